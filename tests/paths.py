"""Where things are, from the repository's root: tests name files through these, never by counting parents."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTS = REPO_ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SNAPSHOTS = TESTS / "snapshots"
