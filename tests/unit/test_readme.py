from __future__ import annotations

from pathlib import Path

from domain.lifecycle import mermaid

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_diagram_is_generated_from_the_lifecycle_table() -> None:
    assert f"```mermaid\n{mermaid()}\n```" in README.read_text(encoding="utf-8")


def test_readme_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick_start = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in quick_start.strip().splitlines()] == ["make run", "make test"]
