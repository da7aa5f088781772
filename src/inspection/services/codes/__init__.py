"""Inspection codes (检查码): one per published visit, and what the public may read with one."""
