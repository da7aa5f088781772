"""Inspect Once (综合查一次): plans joint enterprise inspections."""

__all__ = ["__version__"]

__version__ = "0.1.0"
