"""Planning runs: the coordinator's use cases, what the worker process runs, and the runner
that starts workers and watches them."""
