"""Persistence: tables, engine, migrations and repository functions (which never commit)."""
