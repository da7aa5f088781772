"""Checklists: a unit submits one, amends or withdraws it; each target becomes a request."""
