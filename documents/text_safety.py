"""Text fit for a document: characters that XML (Word, Excel) cannot hold taken out.

Plan text is kept verbatim, but a control character (a form feed pasted from a
legacy system) would make python-docx and openpyxl refuse the whole file.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (tabs and line ends stay)."""
    return _NOT_XML.sub("", text)
