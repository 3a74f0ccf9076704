"""What may be kept as evidence: an allow-list of types, checked by content as well as by name.

A file whose name says ``.pdf`` must start like a PDF; a ``.docx`` or ``.xlsx``
must be a zip holding a Word or Excel document, and not a zip bomb (its entries
may not claim to expand beyond ``MAX_EXPANDED_BYTES`` or ``MAX_RATIO`` times
their packed size); text (``.txt``, ``.csv``) must be UTF-8 without NUL bytes.
A name holding a control or bidi character is refused (``domain.characters``):
``invoice\\u202efdp.txt`` would show as "invoicetxt.pdf".
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from domain.characters import refused_character
from domain.errors import DomainError

KINDS: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
"""Allowed extensions and the content type each is stored and served as."""
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100


class EvidenceRefused(DomainError):
    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        shown = name if refused_character(name) is None else repr(name)  # the message holds no such character
        super().__init__(f"evidence file {shown}: {problem}")


def safe_name(name: str) -> str:
    """The file's own name, without any folder the uploader's machine gave (``../`` included)."""
    return PurePosixPath(name.replace("\\", "/")).name.strip() or "evidence"


def checked_name(name: str) -> str:
    """``safe_name(name)``, refused when it holds a control or bidi character.

    Raises:
        EvidenceRefused: the name holds one (the message names it).
    """
    shown = safe_name(name)
    problem = refused_character(shown)
    if problem:
        raise EvidenceRefused(shown, problem)
    return shown


def check_evidence(name: str, content: bytes) -> str:
    """The content type ``content`` is kept as, when its name and its bytes agree on an allowed type.

    Raises:
        EvidenceRefused: the name holds a control or bidi character, the type is not allowed, or the
            bytes are not what the name says.
    """
    shown = checked_name(name)
    suffix = PurePosixPath(shown.lower()).suffix
    if suffix not in KINDS:
        allowed = ", ".join(s.lstrip(".") for s in KINDS if s != ".jpeg")
        raise EvidenceRefused(shown, f"type {suffix or '(none)'} is not accepted; accepted: {allowed}")
    problem = _content_problem(suffix, content)
    if problem:
        raise EvidenceRefused(shown, problem)
    return KINDS[suffix]


def _content_problem(suffix: str, content: bytes) -> str | None:
    if not content:
        return "is empty"
    if suffix == ".pdf":
        return None if content[:1024].lstrip().startswith(b"%PDF-") else "is not a PDF"
    if suffix == ".png":
        return None if content.startswith(b"\x89PNG\r\n\x1a\n") else "is not a PNG image"
    if suffix in (".jpg", ".jpeg"):
        return None if content.startswith(b"\xff\xd8\xff") else "is not a JPEG image"
    if suffix in (".txt", ".csv"):
        if b"\x00" in content:
            return "holds binary data, not text"
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "is not UTF-8 text"
        return None
    return _office_problem(suffix, content)


def _office_problem(suffix: str, content: bytes) -> str | None:
    what, part = ("a Word document", "word/") if suffix == ".docx" else ("an Excel workbook", "xl/")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return f"is not {what}"
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
        return f"is not {what}"
    return expansion_problem(entries)


def expansion_problem(entries: list[zipfile.ZipInfo]) -> str | None:
    """Why an archive with these entries is refused as a zip bomb, or ``None``.

    The sizes are the archive's own claims; Python's ``zipfile`` (and so openpyxl and python-docx)
    never inflates an entry beyond its claimed size, so a lying entry fails its CRC instead.
    """
    expanded = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if expanded > MAX_EXPANDED_BYTES or expanded / packed > MAX_RATIO:
        return f"would expand to {expanded:,} bytes from {packed:,}: refused as a zip bomb"
    return None
