"""What the page modules share: who is signed in (``Signed``; ``Coordinator`` on the coordinator's pages),
a form's text fields when a page reads its form by hand, and the links of a list's pager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from domain.roles import Role
from web.security import page_principal
from workflows.context import Principal
from workflows.errors import NotVisible

Signed = Annotated[Principal, Depends(page_principal)]


async def coordinator(request: Request) -> Principal:
    principal = await page_principal(request)
    if principal.person.role is not Role.COORDINATOR:
        raise NotVisible("this page is the partnership's coordinator's")
    return principal


Coordinator = Annotated[Principal, Depends(coordinator)]


def form_text(form: FormData, name: str) -> str:
    """A text field of ``form``; empty when missing or sent as a file.

    For a page that reads its form after its own checks: FastAPI reads declared form fields, files and all,
    before any check of ours runs.
    """
    value = form.get(name)
    return value if isinstance(value, str) else ""


def page_number(text: str) -> int:
    """``page=`` of an address as a number (1 for anything that is not one)."""
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 7 else 1


def pager(page: int, pages: int, at: Callable[[int], str]) -> list[tuple[str, str, bool]]:
    """A pager's links, each (label, address, whether it is the page shown): the previous page, the first,
    the pages near the one shown, the last, the next; none when everything fits on one page. ``at`` gives a
    page's address."""
    if pages <= 1:
        return []
    near = range(max(1, page - 2), min(pages, page + 2) + 1)
    links = [("Previous", at(page - 1), False)] if page > 1 else []
    if near[0] > 1:
        links.append(("1", at(1), False))
    links += [(str(n), at(n), n == page) for n in near]
    if near[-1] < pages:
        links.append((str(pages), at(pages), False))
    if page < pages:
        links.append(("Next", at(page + 1), False))
    return links
