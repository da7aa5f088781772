"""Use cases: the only layer that touches both the database and the solver; it owns the commit."""
