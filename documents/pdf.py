"""What every PDF dhrflow writes shares: fpdf2, the font, a footer, text fit for the font.

The font is DejaVu Sans, embedded (subset), where the system has it (Debian's
``fonts-dejavu-core`` and ``fonts-dejavu-extra``, which ``make test`` installs): it covers the names and text of any
European plan. Without it, the PDF uses the core Helvetica, which needs no
embedding but holds only Windows-1252: other characters print as ``?``. Nothing
is fetched at run time.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
)
_FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FAMILY = "dejavu"


@cache
def font_dir() -> Path | None:
    """The folder holding the DejaVu Sans faces, or None: the core font is used then."""
    return next((d for d in FONT_DIRS if all((d / name).is_file() for name in _FACES.values())), None)


class Document(FPDF):
    """An A4 PDF with a footer naming what it is, the page and the page count."""

    def __init__(self, footer: str, *, landscape: bool = True, core_font: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.footer_text = footer
        folder = None if core_font else font_dir()
        if folder is None:
            self.family = "helvetica"
            self.core_fonts_encoding = "windows-1252"
            self.unicode = False
        else:
            self.family = FAMILY
            self.unicode = True
            for style, name in _FACES.items():
                self.add_font(FAMILY, style, str(folder / name))
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(True, margin=12)
        self.set_title(footer)
        self.set_creator("dhrflow")
        self.alias_nb_pages()
        self.add_page()
        self.font(9)

    def font(self, size: float, style: str = "") -> None:
        self.set_font(self.family, style, size)

    def text_of(self, text: str) -> str:
        """``text`` as the font can print it (with the core font, Windows-1252 only)."""
        if self.unicode:
            return text
        return text.encode("cp1252", "replace").decode("cp1252")

    def line_of(self, text: str, size: float = 9, style: str = "", height: float = 5) -> None:
        """A paragraph across the page."""
        self.font(size, style)
        # Left-aligned: fpdf's default justification spreads the words of a short last line apart.
        self.multi_cell(0, height, self.text_of(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def footer(self) -> None:
        self.set_y(-10)
        self.font(7)
        self.cell(0, 5, self.text_of(f"{self.footer_text} · page {self.page_no()} of {{nb}}"), align="C")

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.output(buffer)
        return buffer.getvalue()


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``C62828`` as (198, 40, 40)."""
    return int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16)


@dataclass(frozen=True)
class GridRow:
    """A row of a ``Grid``: its cells' text, or one text across the table (``span``)."""

    cells: Sequence[str]
    fills: Mapping[int, tuple[int, int, int]] = field(default_factory=dict)
    """Background colours, by cell index."""
    span: bool = False
    bold: bool = False


class Grid:
    """A table drawn with its own line breaking: fpdf2's ``table()`` re-measures a growing line for every
    character and lays each cell out twice, which made a 1,000-action plan take 11 s (measured in
    ``bench/document_cases.py``). Here each word is measured once per font style; a row splits across pages
    when it is taller than one, and the header row repeats on every page."""

    def __init__(
        self, pdf: Document, headers: Sequence[str], weights: Sequence[float], size: float = 6.5, pad: float = 0.8
    ) -> None:
        self.pdf = pdf
        total = sum(weights)
        self.widths = [pdf.epw * w / total for w in weights]
        self.size = size
        self.pad = pad
        self.line = size * 0.3528 * 1.25
        self.header = GridRow(headers, dict.fromkeys(range(len(headers)), (217, 217, 217)), bold=True)
        self._measured: dict[tuple[str, str], float] = {}
        self.row(self.header)

    def row(self, row: GridRow) -> None:
        widths = [sum(self.widths)] if row.span else self.widths
        style = "B" if row.bold else ""
        cells = [row.cells[0]] if row.span else list(row.cells)
        lines = [
            self._wrap(self.pdf.text_of(text), width - 2 * self.pad, style)
            for text, width in zip(cells, widths, strict=True)
        ]
        done = 0
        tallest = max((len(cell) for cell in lines), default=0) or 1
        while True:
            room = int((self.pdf.h - self.pdf.b_margin - self.pdf.get_y() - 2 * self.pad) // self.line)
            if room < min(tallest - done, 3) and self.pdf.get_y() > self.pdf.t_margin + 2 * self.line:
                self._new_page()
                continue
            chunk = max(1, min(room, tallest - done))
            self._draw(row, widths, [cell[done : done + chunk] for cell in lines], chunk, style)
            done += chunk
            if done >= tallest:
                return
            self._new_page()

    def _new_page(self) -> None:
        self.pdf.add_page()
        self.row(self.header)

    def _draw(
        self, row: GridRow, widths: Sequence[float], lines: Sequence[Sequence[str]], count: int, style: str
    ) -> None:
        pdf = self.pdf
        top = pdf.get_y()
        height = count * self.line + 2 * self.pad
        x = pdf.l_margin
        pdf.font(self.size, style)
        for index, (width, cell) in enumerate(zip(widths, lines, strict=True)):
            fill = row.fills.get(index)
            if fill is not None:
                pdf.set_fill_color(*fill)
            pdf.rect(x, top, width, height, style="DF" if fill is not None else "D")
            for n, text in enumerate(cell):
                if text:
                    pdf.text(x + self.pad, top + self.pad + (n + 0.8) * self.line, text)
            x += width
        pdf.set_fill_color(255)
        pdf.set_y(top + height)

    def _wrap(self, text: str, width: float, style: str) -> list[str]:
        """``text`` broken into lines no wider than ``width``: at spaces, and inside a word only if it must."""
        space = self._width(" ", style)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split():
                size = self._width(word, style)
                if line and used + space + size <= width:
                    line, used = f"{line} {word}", used + space + size
                    continue
                if line:
                    lines.append(line)
                line, used = word, size
                while used > width and len(line) > 1:  # a word wider than the column: cut it
                    cut = len(line) - 1
                    while cut > 1 and self._width(line[:cut], style) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
                    used = self._width(line, style)
            lines.append(line)
        return lines

    def _width(self, text: str, style: str) -> float:
        key = (style, text)
        found = self._measured.get(key)
        if found is None:
            self.pdf.font(self.size, style)
            found = self._measured[key] = self.pdf.get_string_width(text)
        return found
