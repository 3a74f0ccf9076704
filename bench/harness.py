"""A tiny harness: cases return results, the table shows them beside their targets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool
    detail: str = ""

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
        rows.append((r.name, value, r.target_text, "yes" if r.met else "NO", r.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
