"""The coordinator's desk: a page served at `/` that works from the public API only."""
