"""Plain-text tables and JSON for the terminal, and documents written to a file or to standard output."""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from cli.runner import fail


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, wrap_last: bool = True) -> str:
    """Columns sized to their content; the last column is cut to fit the terminal."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    if wrap_last and len(headers) > 1:
        room = shutil.get_terminal_size((120, 24)).columns - sum(widths[:-1]) - 2 * (len(headers) - 1)
        widths[-1] = max(20, min(widths[-1], room))
    lines = []
    for n, row in enumerate(cells):
        parts = [_fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def safe(text: str) -> str:
    """``text`` with control characters shown as escapes: a note cannot drive the terminal."""
    return "".join(c if c in "\n\t" or unicodedata.category(c) != "Cc" else f"\\x{ord(c):02x}" for c in text)


def _fit(text: str, width: int) -> str:
    text = safe(" ".join(text.split()))
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def write_document(data: bytes, out: Path | None, default: str, what: str) -> None:
    """Write ``data`` to ``out``, to the file named ``default`` here if it is left out, or to standard output
    if it is ``-``; say on stderr what was written where (standard output carries only the document)."""
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = out or Path(default)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise fail(f"--out {target}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {what} to {target}", err=True)
