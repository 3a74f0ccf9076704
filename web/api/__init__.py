"""The REST API under ``/api/v1``: bearer tokens, JSON in and out, errors as ``application/problem+json``.

One module per capability, named as in ``workflows/commands`` and ``workflows/queries``; ``common`` holds what
they share (the caller, the documented errors, ``api_router``). ``router`` holds every route, each module's
in ``MODULES`` order, which is the order of the paths in the OpenAPI document and the order Starlette tries
them in: where two modules' paths could meet, the order here is part of the behaviour.
"""

from __future__ import annotations

from fastapi import APIRouter

from web.api import (
    accounts,
    acknowledgements,
    actions,
    bulk,
    deputies,
    evidence,
    exports,
    extensions,
    final_audit,
    impact,
    import_plan,
    log,
    milestones,
    recommendations,
    reviews,
    tasks,
    transitions,
)

MODULES = (
    accounts,
    reviews,
    recommendations,
    actions,
    bulk,
    transitions,
    evidence,
    acknowledgements,
    extensions,
    impact,
    final_audit,
    exports,
    milestones,
    log,
    deputies,
    import_plan,
    tasks,
)

router = APIRouter(tags=["dhrflow"])
for module in MODULES:
    router.include_router(module.router)
