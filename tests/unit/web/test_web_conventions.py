"""Conventions of the web layer that a new page could forget."""

from __future__ import annotations

from tests.paths import REPO_ROOT

WEB = REPO_ROOT / "web"


def test_every_done_line_is_signed_through_web_flash() -> None:
    """A line shown after a form goes through ``web.flash.done_url``: one built by hand would not be shown."""
    modules = [p for p in WEB.rglob("*.py") if p.name != "flash.py"]  # pages/ and api/ as well as web/ itself
    by_hand = [str(p.relative_to(WEB)) for p in modules if "?done={" in p.read_text()]
    assert by_hand == []
