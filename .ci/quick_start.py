"""The README's quick start, checked against the Makefile, printed one command a line.

The quick start is exactly two commands, the Makefile's header names the same two, and each is a
target the Makefile defines: so what CI runs (the second) is what the README tells a new user to
type. Exit 1 with one line naming the difference otherwise.

Usage: python .ci/quick_start.py  (prints "make run" and "make test")
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Mismatch(Exception):
    pass


def readme_commands(readme: str) -> list[str]:
    """The commands of the first ``sh`` block under "## Quick start", comments dropped."""
    try:
        section = readme.split("\n## Quick start", 1)[1].split("\n## ", 1)[0]
        block = section.split("```sh", 1)[1].split("```", 1)[0]
    except IndexError:
        raise Mismatch("README.md has no ```sh block under '## Quick start'") from None
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines() if line.split("#", 1)[0].strip()]


def makefile_commands(makefile: str) -> list[str]:
    """The commands the Makefile's header comment names (``#   make X   what it does``)."""
    header = []
    for line in makefile.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    return re.findall(r"^#\s+(make \S+)\s", "\n".join(header), flags=re.MULTILINE)


def check(readme: str, makefile: str) -> list[str]:
    commands = readme_commands(readme)
    if len(commands) != 2:
        raise Mismatch(f"README.md's quick start has {len(commands)} commands, not two: {commands}")
    named = makefile_commands(makefile)
    if commands != named:
        raise Mismatch(f"README.md's quick start {commands} differs from the Makefile's header {named}")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.MULTILINE))
    for command in commands:
        words = command.split()
        if words[0] != "make" or len(words) != 2 or words[1] not in targets:
            raise Mismatch(f"README.md's quick start command '{command}' is not a target of the Makefile")
    return commands


def main() -> int:
    try:
        commands = check((ROOT / "README.md").read_text(encoding="utf-8"), (ROOT / "Makefile").read_text())
    except (Mismatch, OSError) as error:
        print(f"quick start: {error}", file=sys.stderr)
        return 1
    print("\n".join(commands))
    return 0


if __name__ == "__main__":
    sys.exit(main())
