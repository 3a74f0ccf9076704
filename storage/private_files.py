"""The data folder is the service account's alone: the folders dhrflow makes are 0700, the files it writes 0600.

The database, the evidence files, uploaded plans and backups hold what a review concerns. Made with the
defaults they took the process's umask, commonly 022: readable by every account on the machine. The modes
here are set explicitly, so no umask widens (or narrows) them. Folders that were already there are left as
they are: a parent may be a shared one, such as a home directory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """``path``, made with any missing parents, each one made here ``FOLDER_MODE``."""
    missing: list[Path] = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another process: its own mode stands
        folder.chmod(FOLDER_MODE)  # mkdir's mode passes through the umask
    return path


def private_file(path: Path) -> Path:
    """``path``, made empty with ``FILE_MODE`` if it is not there (an existing file is left untouched).

    An empty file is an empty SQLite database: made this way before SQLite opens it, the database is private,
    and so are the ``-wal`` and ``-shm`` files SQLite makes beside it (it gives them the database's mode).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return path
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` (in a folder made private if missing) whole or not at all: into a
    ``FILE_MODE`` temporary file beside it, synced, then renamed over it."""
    private_folder(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
