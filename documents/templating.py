"""The HTML documents' templates (``documents/templates``), autoescaped: plan text is never markup."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from documents.plan_out import long_date


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    return env


def render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)
