"""What the page modules share: who is signed in (``Signed``; ``Coordinator`` on the coordinator's pages) and
a form's text fields when a page reads its form by hand."""

from __future__ import annotations

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
