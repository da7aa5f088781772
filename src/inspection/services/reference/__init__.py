"""Reference data: enforcement units (with their capacities) and enterprises."""
