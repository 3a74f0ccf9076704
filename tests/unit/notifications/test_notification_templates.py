"""Every notification kind renders, as text and as HTML, exactly as its snapshot under tests/snapshots.

Run with ``UPDATE_SNAPSHOTS=1`` to rewrite the snapshots after a deliberate change, then read the diff.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.ladders import DEFAULT_LADDERS
from notifications.content import KINDS, Notice
from notifications.errors import UnknownKind
from notifications.templating import Rendered, Templates
from tests.paths import SNAPSHOTS

SNAPSHOTS = SNAPSHOTS / "notifications"
BASE_URL = "https://dhrflow.bcsp.test/"


def notice(kind: str, **kw: Any) -> Notice:
    values: dict[str, Any] = {
        "kind": kind,
        "recipient_name": "Sam Patel",
        "recipient_role": "lead_officer",
        "review_ref": "BDHR2011/12-03",
        "review_kind": "DARDR",
        "review_id": 1,
        "action_ref": "3.11.1",
        "action_id": 12,
        "decided_on": date(2014, 5, 8),
        "target_date": date(2014, 6, 30),
        "lead_name": "Lead WMP",
    }
    return Notice(**(values | kw))


_LEAD_LADDER = {"ladder": "lead_officer", "anchor_date": "2014-04-30", "due_on": "2014-05-08", "step": "director"}
_CHECK_LADDER = {"ladder": "commissioner_check", "anchor_date": "2014-04-01", "step": "reminder"}
_EXTENSION = {"from": "2014-06-30", "to": "2014-09-30"}
_BOARD = {"meets_on": "2014-05-21", "actions": ["BDHR2011/12-03 3.11.1", "BDHR2011/12-03 3.11.2"]}

CASES: dict[str, Notice] = {
    "evidence_submitted": notice("evidence_submitted", recipient_role="commissioner"),
    "evidence_returned": notice("evidence_returned", reason="No audit figures for Q3"),
    "evidence_verified": notice("evidence_verified", recipient_role="partnership_assurer"),
    "evidence_verified_lead": notice("evidence_verified"),
    "action_assured": notice("action_assured"),
    "action_assured_sar": notice("action_assured", review_ref="SAR2021/22-01", review_kind="SAR"),
    "action_withdrawn": notice("action_withdrawn", reason="Superseded by 3.11.2"),
    "reminder": notice("reminder", payload=_LEAD_LADDER | {"step": "reminder", "anchor_date": "2014-05-20"}),
    "reminder_checker": notice("reminder", recipient_role="commissioner", payload=_CHECK_LADDER),
    "overdue": notice("overdue", payload=_LEAD_LADDER | {"step": "overdue", "anchor_date": "2014-05-08"}),
    "escalation": notice("escalation", recipient_role="director", payload=_LEAD_LADDER),
    "escalation_caught_up": notice(
        "escalation",
        recipient_role="director",
        payload=_LEAD_LADDER
        | {"step": "partnership", "passed_over": ["reminder", "overdue", "director"], "also_told": ["director"]},
    ),
    "escalation_checker": notice("escalation", recipient_role="director", payload=_CHECK_LADDER | {"step": "director"}),
    "extension_requested": notice(
        "extension_requested", recipient_role="director", reason="Awaiting IMS changes", payload=_EXTENSION
    ),
    "extension_decided": notice("extension_decided", event="extension_approved", reason="Agreed", payload=_EXTENSION),
    "extension_decided_refused": notice(
        "extension_decided", event="extension_refused", reason="The board needs it by June", payload=_EXTENSION
    ),
    "lead_officer_assigned": notice("lead_officer_assigned"),
    "final_audit_ready": notice(
        "final_audit_ready", recipient_role="partnership_assurer", action_ref="", action_id=None, target_date=None
    ),
    "progress_request": notice(
        "progress_request",
        review_ref="",
        review_id=None,
        action_ref="",
        action_id=None,
        target_date=None,
        payload=_BOARD | {"ask": "request"},
    ),
    "board_pack": notice(
        "board_pack",
        recipient_role="viewer",
        review_ref="",
        review_id=None,
        action_ref="",
        action_id=None,
        target_date=None,
        payload={
            "from": "2014-04-01",
            "to": "2014-04-30",
            "review": "all",
            "format": "pdf",
            "log_head": "BCSP:214:3f2a9c0d1e2b4a5f",
        },
    ),
    "progress_reminder": notice(
        "progress_reminder",
        review_ref="",
        review_id=None,
        action_ref="",
        action_id=None,
        target_date=None,
        payload=_BOARD | {"ask": "reminder"},
    ),
}


def as_snapshot(rendered: Rendered) -> tuple[str, str]:
    return f"Subject: {rendered.subject}\n\n{rendered.text}", rendered.html


def check(name: str, rendered: Rendered) -> None:
    text, html = as_snapshot(rendered)
    for suffix, got in ((".txt", text), (".html", html)):
        path = SNAPSHOTS / f"{name}{suffix}"
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            path.write_text(got, encoding="utf-8")
        assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and read it"
        assert got == path.read_text(encoding="utf-8"), f"{path.name} changed"


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates(BASE_URL)


def test_every_kind_has_a_case_here() -> None:
    assert {n.kind for n in CASES.values()} == set(KINDS)


def test_every_kind_a_ladder_fires_has_a_template() -> None:
    fired = {step.kind for ladder in DEFAULT_LADDERS.values() for step in ladder.steps}
    assert fired <= set(KINDS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_kind_renders_as_its_snapshot(templates: Templates, name: str) -> None:
    rendered = templates.render(CASES[name])
    check(name, rendered)
    assert "What you need to do:" in rendered.text
    case = CASES[name]
    link = f"{BASE_URL}actions/12" if case.action_id else f"{BASE_URL}reviews/1" if case.review_id else BASE_URL
    assert link in rendered.text and f'href="{link}"' in rendered.html


def test_a_mail_names_the_review_with_its_kind_and_a_row_queued_with_no_kind_by_its_ref(templates: Templates) -> None:
    sar = templates.render(CASES["action_assured_sar"])
    assert sar.subject == "Action assured: 3.11.1 (SAR SAR2021/22-01)"
    assert "action 3.11.1 of review SAR SAR2021/22-01: it is complete" in sar.text
    assert "Review: SAR SAR2021/22-01" in sar.text and "SAR SAR2021/22-01" in sar.html
    plain = templates.render(replace(CASES["action_assured"], review_kind=""))
    assert plain.subject == "Action assured: 3.11.1 (BDHR2011/12-03)"


def test_a_board_pack_email_queued_before_heads_were_published_renders_without_one(templates: Templates) -> None:
    """Rows queued by an earlier version carry no ``log_head`` in their payload: no empty head, no command."""
    case = CASES["board_pack"]
    rendered = templates.render(replace(case, payload={k: v for k, v in case.payload.items() if k != "log_head"}))
    assert "Decision log head" not in rendered.text and "expect-head" not in rendered.html
    assert "Download the pack (PDF, after signing in)" in rendered.text


def test_a_daily_digest_renders_as_its_snapshot(templates: Templates) -> None:
    items = [CASES["escalation"], CASES["evidence_returned"], CASES["extension_requested"]]
    check("digest", templates.render_digest("Sam Patel", date(2014, 5, 8), items))


def test_html_is_escaped_and_text_is_verbatim(templates: Templates) -> None:
    rendered = templates.render(notice("evidence_returned", reason='<script>alert("x")</script> & more'))
    assert '<script>alert("x")</script> & more' in rendered.text
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html


def test_an_unknown_kind_is_an_error_not_a_blank_email(templates: Templates) -> None:
    with pytest.raises(UnknownKind, match="no template for notifications of kind 'mystery'"):
        templates.render(notice("mystery"))
