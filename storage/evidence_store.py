"""Evidence files, stored content-addressed by SHA-256 under the data folder.

A file is written before the transaction that records it; should that
transaction roll back, the file stays as an unreferenced blob that a later
submission of the same bytes reuses. Nothing is ever overwritten.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from domain.evidence import safe_name
from storage.private_files import write_private


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    name: str
    """The file's own name, without any folder the uploader gave."""
    stored_path: str
    """Path relative to the store's root."""


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(
        self, content: bytes, name: str, *, sha256: str | None = None, content_type: str | None = None
    ) -> StoredFile:
        """Store ``content`` (``sha256`` saves hashing it again when the caller has); blocking I/O."""
        sha = sha256 or hashlib.sha256(content).hexdigest()
        relative = Path(sha[:2]) / sha
        target = self.root / relative
        # A file already there is reused only if it still holds these bytes (it may have been damaged).
        if not target.exists() or hashlib.sha256(target.read_bytes()).hexdigest() != sha:
            write_private(target, content)  # 0600 in 0700 folders: evidence is the review's, no one else's
        shown = safe_name(name)
        kind = content_type or mimetypes.guess_type(shown)[0] or "application/octet-stream"
        return StoredFile(sha, len(content), kind, shown, str(relative))

    def open(self, stored_path: str) -> bytes:
        return (self.root / stored_path).read_bytes()
