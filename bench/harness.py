"""A tiny harness: cases return results, the table shows them beside their targets."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool
    detail: str = ""
    why_not: str = ""
    """Why the target is not met, when it is not: printed before the detail (issue 17: "every target met or
    the reason it is not")."""

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    @property
    def target_text(self) -> str:
        return f"{'>=' if self.higher_is_better else '<='} {self.target:,.0f} {self.unit}"


def render(results: list[Result]) -> str:
    rows = [("case", "result", "target", "met", "detail")]
    for r in results:
        value = f"{r.value:,.1f} {r.unit}" if r.value < 100 else f"{r.value:,.0f} {r.unit}"
        detail = r.detail if r.met or not r.why_not else f"why: {r.why_not}; {r.detail}"
        rows.append((r.name, value, r.target_text, "yes" if r.met else "NO", detail))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine() -> str:
    """The machine a run measured, in one line: a figure means little without its cores and their load."""
    one, five, fifteen = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1, 5, 15 min)"


def loaded() -> str:
    """Why a latency target may be missed that the code does not explain: the machine was busy; "" when not."""
    one = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    return f"the machine was loaded (load {one:.1f} on {cores} cores) while it ran" if one > cores else ""
