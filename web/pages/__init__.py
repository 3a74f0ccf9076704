"""The HTML pages: server-rendered, plain forms, no JavaScript needed.

One module per capability, named as in ``workflows/commands`` and ``workflows/queries``; ``common`` holds what
they share (who is signed in, a form read by hand), ``web.templating`` renders them. ``router`` holds every
page, each module's routes in ``MODULES`` order: Starlette takes the first route whose path and method match,
and of the routes whose path alone matches, the first answers the 405, so where two modules' paths could meet
(``/reviews/final-audit`` and ``/reviews/{review_id}``) the order here is part of the behaviour.
"""

from __future__ import annotations

from fastapi import APIRouter

from web.pages import (
    accounts,
    acknowledgements,
    actions,
    board_cycle,
    bulk,
    calendar_feed,
    dead_letters,
    deputies,
    desk,
    evidence,
    exports,
    extensions,
    final_audit,
    impact,
    import_plan,
    ladders,
    milestones,
    people,
    recommendations,
    reviews,
    sent_mail,
    themes,
    transitions,
)

MODULES = (
    accounts,
    desk,
    actions,
    bulk,
    transitions,
    extensions,
    impact,
    evidence,
    reviews,
    milestones,
    recommendations,
    final_audit,
    dead_letters,
    sent_mail,
    acknowledgements,
    import_plan,
    people,
    ladders,
    deputies,
    calendar_feed,
    themes,
    board_cycle,
    exports,
)

router = APIRouter()
for module in MODULES:
    router.include_router(module.router)
