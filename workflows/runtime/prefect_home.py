"""Prefect's home in the data folder, private as the rest of it: the local Prefect server that ``dhrflow serve``
starts keeps its SQLite database (every flow run, with its parameters and logs) there, and writes its log there.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from storage.private_files import private_file, private_folder


def prefect_home(data_dir: Path) -> Path:
    """``<data_dir>/prefect``, made ``0700`` (with any missing parents) if it is not there yet.

    Raises:
        OSError: the folder could not be made.
    """
    return private_folder(data_dir / "prefect")


def open_server_log(path: Path) -> BinaryIO:
    """The Prefect server's log at ``path``, made ``0600`` if it is not there, open for appending bytes.

    Raises:
        OSError: the file could not be made or opened.
    """
    return private_file(path).open("ab")
