"""What every PDF dhrflow writes shares: fpdf2, the font, a footer, text fit for the font.

The font is DejaVu Sans, embedded (subset), where the system has it (Debian's
``fonts-dejavu-core``, which CI installs): it covers the names and text of any
European plan. Without it, the PDF uses the core Helvetica, which needs no
embedding but holds only Windows-1252: other characters print as ``?``. Nothing
is fetched at run time.
"""

from __future__ import annotations

import io
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
        self.multi_cell(0, height, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

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
