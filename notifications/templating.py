"""Jinja2 templates: one file per kind, rendered as plain text and as autoescaped HTML.

A kind's file (``templates/kinds/<kind>.j2``) holds three blocks: ``subject``,
``happened`` and ``todo`` (what the reader must do). It extends ``layout``, which
is the text or the HTML layout: the loader serves the same file under ``txt/<kind>``
and ``html/<kind>``, and only the ``html/`` names are autoescaped. Templates load
from the installed package: nothing from the network, nothing from the working folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, TemplateError, TemplateNotFound

from notifications.content import KINDS, Notice, context
from notifications.errors import TemplateFailed, UnknownKind

_ROOT = resources.files("notifications") / "templates"
_LAYOUTS = {"txt": "layout.txt.j2", "html": "layout.html.j2"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _load(name: str) -> tuple[str, str | None, Callable[[], bool]] | None:
    if name.startswith(("txt/", "html/")):
        kind = name.split("/", 1)[1]
        if kind not in KINDS:
            raise TemplateNotFound(name)
        source = _ROOT / "kinds" / f"{kind}.j2"
    else:
        source = _ROOT / name
    if not source.is_file():
        raise TemplateNotFound(name)
    return source.read_text(encoding="utf-8"), None, lambda: True


def _autoescape(name: str | None) -> bool:
    return name is not None and (name.startswith("html/") or name.endswith(".html.j2"))


class Templates:
    """Renders notices; build one per process (the compiled templates are cached)."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url
        self._env = Environment(
            loader=FunctionLoader(_load),
            autoescape=_autoescape,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, notice: Notice) -> Rendered:
        """The subject, text and HTML of one notice.

        Raises:
            UnknownKind: no template for ``notice.kind``.
            TemplateFailed: the template could not render it.
        """
        try:
            blocks = self._blocks(notice)
            ctx = blocks["context"]
            text = self._env.get_template(f"txt/{notice.kind}").render(ctx | {"layout": _LAYOUTS["txt"]})
            html = self._env.get_template(f"html/{notice.kind}").render(ctx | {"layout": _LAYOUTS["html"]})
        except TemplateError as exc:
            raise TemplateFailed(notice.kind, str(exc)) from exc
        return Rendered(blocks["subject"], text, html)

    def render_digest(self, recipient_name: str, day: date, notices: Sequence[Notice]) -> Rendered:
        """One email for a person's notices of ``day``, in the order given.

        Raises:
            UnknownKind, TemplateFailed: as ``render``.
        """
        try:
            items = []
            for notice in notices:
                b = self._blocks(notice)
                items.append(b | b["context"])
            count = len(items)
            ctx = {"recipient_name": recipient_name, "day": f"{day:%A %-d %B %Y}", "items": items}
            subject = f"dhrflow digest for {day:%-d %B %Y}: {count} notification{'' if count == 1 else 's'}"
            text = self._env.get_template("digest.txt.j2").render(ctx)
            html = self._env.get_template("digest.html.j2").render(ctx)
        except TemplateError as exc:
            raise TemplateFailed("digest", str(exc)) from exc
        return Rendered(subject, text, html)

    def _blocks(self, notice: Notice) -> dict[str, Any]:
        """The subject, happened and todo blocks as plain text, and the notice's context."""
        if notice.kind not in KINDS:
            raise UnknownKind(notice.kind)
        ctx = context(notice, self._base_url) | {"layout": _LAYOUTS["txt"]}
        template = self._env.get_template(f"txt/{notice.kind}")
        tctx = template.new_context(ctx)
        out: dict[str, Any] = {
            name: " ".join("".join(template.blocks[name](tctx)).split()) for name in ("subject", "happened", "todo")
        }
        out["context"] = ctx
        return out
