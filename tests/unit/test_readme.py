from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.lifecycle import mermaid

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))


def test_readme_diagram_is_generated_from_the_lifecycle_table() -> None:
    assert f"```mermaid\n{mermaid()}\n```" in README.read_text(encoding="utf-8")


def test_readme_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick_start = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in quick_start.strip().splitlines()] == ["make run", "make test"]


def _prose(markdown: str) -> list[str]:
    """The lines of ``markdown`` outside fenced code blocks."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of ``markdown`` (a repeated heading gets -1, -2, ...)."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in _prose(markdown):
        if match := re.match(r"#{1,6} (.+)", line):
            slug = re.sub(r"[^\w\- ]", "", match[1].strip().lower()).replace(" ", "-")
            anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda page: page.relative_to(ROOT).as_posix())
def test_links_between_the_readme_and_docs_reach_a_file_and_heading_that_exist(page: Path) -> None:
    """The README was split into docs/ (issue 15): a heading renamed or moved must not strand a link."""
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", "\n".join(_prose(page.read_text(encoding="utf-8")))):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.is_file() or (anchor and anchor not in _anchors(linked.read_text(encoding="utf-8"))):
            broken.append(target)
    assert broken == []


def test_readme_links_every_docs_file() -> None:
    text = README.read_text(encoding="utf-8")
    assert DOCS
    assert [page.name for page in DOCS if f"](docs/{page.name})" not in text] == []
