"""The fault suite's tally: each scenario adds its counts; ``make faults`` prints them as one table.

Trials per scenario: ``DHRFLOW_FAULT_TRIALS`` (``make faults`` sets 100); CI runs a few. The counts
are written to ``DHRFLOW_FAULT_REPORT`` (a JSON file) when set, for ``python -m tests.faults.tally``.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

COLUMNS = ("trials", "lost", "duplicated", "crashes", "partial_writes", "resent_same_id")


def trials(default: int = 2) -> int:
    return int(os.environ.get("DHRFLOW_FAULT_TRIALS", default))


@dataclass
class Counts:
    trials: int = 0
    lost: int = 0
    duplicated: int = 0
    crashes: int = 0
    partial_writes: int = 0
    resent_same_id: int = 0
    """Re-sends after a crash between the server's 250 and the mark: same Message-ID, by design."""

    def add(self, other: Counts) -> None:
        for name in COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.crashes or self.partial_writes)


def kind(url: str) -> str:
    """``sqlite`` or ``postgresql``, from a database URL."""
    return url.split(":", 1)[0].split("+", 1)[0]


def record(scenario: str, database: str, counts: Counts) -> None:
    """Add ``counts`` to the report file: read, add, write under a lock (the suite may run on workers)."""
    target = os.environ.get("DHRFLOW_FAULT_REPORT")
    if not target:
        return
    path = Path(target)
    with path.with_name(path.name + ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        table = json.loads(path.read_text()) if path.exists() else {}
        row = Counts(**table.get(f"{scenario}|{database}", {}))
        row.add(counts)
        table[f"{scenario}|{database}"] = asdict(row)
        path.write_text(json.dumps(table, indent=2))


def render(table: dict[str, dict[str, int]]) -> str:
    header = ("scenario", "database", *COLUMNS)
    rows = [(*key.split("|"), *(str(v[c]) for c in COLUMNS)) for key, v in sorted(table.items())]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in [header, *rows]]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


if __name__ == "__main__":
    report = Path(sys.argv[1])
    print(render(json.loads(report.read_text())) if report.exists() else "no fault report written")
