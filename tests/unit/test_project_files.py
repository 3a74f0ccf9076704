"""The project's own files install everything: the lock names registry packages only, and the README's
quick start is the Makefile's two commands (the checks CI runs, ``.ci/check_lock.py`` and
``.ci/quick_start.py``)."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _ci_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / ".ci" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_lock = _ci_module("check_lock")
quick_start = _ci_module("quick_start")


def test_the_lock_names_registry_packages_only_each_with_hashes() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    assert check_lock.problems(lock) == []
    assert len(lock["package"]) > 100  # the whole tree, not only what pyproject.toml names


def test_a_lock_line_pointing_at_a_file_or_url_is_refused() -> None:
    wheel = {"url": "file:///tmp/ical/icalendar-7.3.2-py3-none-any.whl", "hash": "sha256:f95c"}
    lock = {
        "package": [
            {"name": "dhrflow", "version": "0.1.0", "source": {"editable": "."}},
            {"name": "icalendar", "version": "7.3.2", "source": {"path": "/tmp/ical/icalendar.whl"}, "wheels": [wheel]},
            {"name": "six", "version": "1.16.0", "source": {"registry": check_lock.REGISTRY}, "wheels": [wheel]},
            {"name": "tool", "version": "1", "source": {"git": "https://github.com/x/tool?rev=main"}},
            {"name": "bare", "version": "1", "source": {"registry": check_lock.REGISTRY}, "wheels": [{"url": ""}]},
        ]
    }
    found = check_lock.problems(lock)
    assert [line.split(":")[0] for line in found] == ["icalendar 7.3.2", "six 1.16.0", "tool 1", "bare 1", "bare 1"]
    assert "not from the registry" in found[0] and "not on https://files.pythonhosted.org/" in found[1]
    assert "no sha256 hash" in found[-1]


@pytest.mark.parametrize("lock", [{}, {"package": []}, {"package": [{"version": "1"}]}])
def test_a_lock_with_no_packages_or_a_nameless_one_is_refused(lock: dict[str, object]) -> None:
    assert check_lock.problems(lock)


def test_the_readme_quick_start_is_the_makefiles_two_commands() -> None:
    readme, makefile = (ROOT / "README.md").read_text(encoding="utf-8"), (ROOT / "Makefile").read_text()
    assert quick_start.check(readme, makefile) == ["make run", "make test"]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("make run\nmake check\n", "differs from the Makefile's header"),
        ("make run\nmake test\nmake lint\n", "has 3 commands, not two"),
        ("make run\n", "has 1 commands, not two"),
    ],
)
def test_a_quick_start_that_differs_from_the_makefile_is_refused(block: str, message: str) -> None:
    readme = f"# x\n\n## Quick start\n\n```sh\n{block}```\n\n## Next\n"
    makefile = "#   make run    a\n#   make test   b\n\nrun:\n\techo\ntest:\n\techo\n"
    with pytest.raises(quick_start.Mismatch, match=message):
        quick_start.check(readme, makefile)


def test_a_quick_start_command_that_is_not_a_target_is_refused() -> None:
    readme = "# x\n\n## Quick start\n\n```sh\nmake run\nmake test\n```\n"
    makefile = "#   make run    a\n#   make test   b\n\nrun:\n\techo\n"
    with pytest.raises(quick_start.Mismatch, match="'make test' is not a target"):
        quick_start.check(readme, makefile)


def test_the_root_conftest_needs_no_database() -> None:
    """Unit tests run on a machine with no database: the databases are the integration tier's fixtures."""
    import ast

    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text())
    imported = {
        node.module.split(".")[0] if isinstance(node, ast.ImportFrom) and node.module else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"storage", "sqlalchemy", "asyncpg", "aiosqlite"}, imported
    assert "pytest_plugins" not in (ROOT / "tests" / "conftest.py").read_text()
