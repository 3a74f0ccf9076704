"""What a person typed into a refused form, kept for the page the form came from.

A refused form is answered with a redirect to its page (POST-redirect-GET, as a success is), so the page is
never left at the form's POST address. What was typed travels in a short-lived cookie, signed and bound to
the person and the page, read once by the next view of that page: the form comes back filled in, with the
error beside the field, and the names of the files chosen (a browser cannot refill a file input).

The cookie holds the person's own words in their own browser for a minute; it is signed (as ``web.flash``,
with ``DHRFLOW_FLASH_KEY`` when web workers share one) so no other page or site can put words in a form.
A draft too big for a cookie is not kept this way: the caller answers with the page itself instead.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass

from fastapi import Request
from fastapi.responses import Response

from web import kept

COOKIE = "dhrflow_draft"


@dataclass(frozen=True)
class Draft:
    """One refused form: which one, what was in it, and why it was refused."""

    form: str
    """The form's ``form`` field: which form on the page gets the text back."""
    error: str
    field: str = ""
    """The field the error is about (``reason``, ``note``, ``files``, ``to``, ``confirm``), or empty."""
    fields: dict[str, str] = dataclasses.field(default_factory=dict)
    files: list[str] = dataclasses.field(default_factory=list)
    """The names of the files chosen, to choose again."""
    stale: bool = False
    """Someone else changed the action: the page shows what they did since ``seen``."""
    seen: int = 0
    """The last decision (``seq``) on the page the person filled in."""

    def value(self, name: str) -> str:
        return self.fields.get(name, "")


def keep(response: Response, request: Request, person_id: int, page: str, draft: Draft) -> bool:
    """Put ``draft`` on ``response`` for the next view of ``page`` (its path); ``False`` when it is too big."""
    return kept.keep(response, request, COOKIE, page, person_id, asdict(draft))


def taken(request: Request, person_id: int, page: str) -> Draft | None:
    """The draft this person left on ``page``, if it is theirs and signed for it."""
    data = kept.taken(request, COOKIE, page, person_id)
    try:
        return Draft(**data) if isinstance(data, dict) else None
    except TypeError:
        return None


def forget(response: Response, page: str) -> None:
    """Read once: the page that showed the draft drops it."""
    kept.forget(response, COOKIE, page)
