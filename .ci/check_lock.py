"""Refuse a lock that names anything but registry packages.

``uv lock --check`` says whether uv.lock still matches pyproject.toml; this says whether every
package in it comes from the registry by name and version, with hashes: no local path, no URL, no
git checkout, no file without a hash. The project itself is the one editable entry. A fresh
machine reaches only the registry, so anything else would install here and fail there.

Usage: python .ci/check_lock.py uv.lock  (exit 1 and one line per problem when it is not)
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

REGISTRY = "https://pypi.org/simple"
FILES = "https://files.pythonhosted.org/"


def problems(lock: dict[str, Any]) -> list[str]:
    packages = lock.get("package")
    if not isinstance(packages, list) or not packages:
        return ["no packages: this is not a uv lock of this project (run uv lock)"]
    found: list[str] = []
    for package in packages:
        if not isinstance(package, dict) or "name" not in package:
            found.append(f"an entry without a name: {package!r:.80}")
            continue
        name = f"{package['name']} {package.get('version', '?')}"
        source = package.get("source", {})
        if source.get("editable") == "." or source.get("virtual") == ".":
            continue  # the project itself
        if source != {"registry": REGISTRY}:
            found.append(f"{name}: from {source}, not from the registry {REGISTRY}")
            continue
        artifacts = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
        if not artifacts:
            found.append(f"{name}: no file recorded")
        for artifact in artifacts:
            if not str(artifact.get("url", "")).startswith(FILES):
                found.append(f"{name}: file at {artifact.get('url') or artifact}, not on {FILES}")
            if not str(artifact.get("hash", "")).startswith("sha256:"):
                found.append(f"{name}: file {artifact.get('url')} has no sha256 hash")
    return found


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "uv.lock")
    try:
        lock = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        print(f"{path}: cannot read the lock: {error}", file=sys.stderr)
        return 1
    found = problems(lock)
    for line in found:
        print(f"{path}: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
