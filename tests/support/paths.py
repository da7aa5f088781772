"""Where the repository's files are, for tests that read them."""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE", "README", "ROOT", "SAMPLES"]

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root."""
PACKAGE = ROOT / "src" / "inspection"
"""The package's source."""
SAMPLES = PACKAGE / "samples"
"""The sample files `make demo` imports (in the package; `sample_checklists` links here)."""
README = ROOT / "README.md"
