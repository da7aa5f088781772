"""Regions (行政区划): districts, cities and provinces in a hierarchy, and who sees which."""
