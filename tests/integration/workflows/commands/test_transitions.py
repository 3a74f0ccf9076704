"""Decisions through the use cases on real SQLite and PostgreSQL: atomic, versioned, chained."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError

from domain.decisions import UnknownDecisionKind
from domain.errors import DomainError, GuardFailed
from domain.states import Event, State
from storage.errors import ConcurrencyConflict, LogKeyMismatch
from storage.outbox import Outbox
from storage.repositories import DecisionDraft, chained_record
from storage.tables import ActionRow, DecisionRow, EvidenceRow, OutboxRow
from storage.uow import Tx
from tests.integration.helpers import ASSURER, COMMISSIONER, LEAD, LEAD_BSMHFT, POLICE_COMMISSIONER, seed
from workflows.commands.sweep import sweep
from workflows.commands.transitions import TransitionCommand, TransitionResult, take_transition
from workflows.context import ActionKey
from workflows.errors import InvalidInput
from workflows.queries.actions import action_detail
from workflows.queries.log import ExpectedHead, verify_log
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App, open_app
from workflows.runtime.settings import Settings
from workflows.runtime.working_days import england_and_wales

REF = "3.11.1"  # West Midlands Police, verified by commissioners


async def act(app: App, who: str, event: Event, **kw: object) -> TransitionResult:
    command = TransitionCommand(actor_email=who, action=ActionKey(REF), event=event, **kw)  # type: ignore[arg-type]
    return await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)


async def count(app: App, column: object, *where: object) -> int:
    async with app.reader() as uow:
        return int((await uow.connection.execute(select(func.count(column)).where(*where))).scalar_one())  # type: ignore[arg-type]


async def test_submit_reject_resubmit_verify_assure_leaves_five_chained_decisions(
    app: App, seed_plan: Path, tmp_path: Path
) -> None:
    await seed(app, seed_plan)
    assert isinstance(app.clock, FixedClock)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the Acute Care Forum")

    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Message of the day published", files=[minutes])
    app.clock.at += timedelta(days=3)
    await act(app, COMMISSIONER, Event.REJECT, reason="No audit figures")
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Audit figures attached")
    await act(app, COMMISSIONER, Event.VERIFY)
    final = await act(app, ASSURER, Event.ASSURE)
    assert (final.to_state, final.version) == (State.PARTNERSHIP_ASSURED, 5)

    detail = await action_detail(app.reader, ActionKey(REF), today=app.clock.today(), policy=app.rag_policy)
    assert [(d.event, d.to_state) for d in detail.timeline] == [
        ("submit_evidence", "evidence_submitted"),
        ("reject", "open"),
        ("submit_evidence", "evidence_submitted"),
        ("verify", "commissioner_verified"),
        ("assure", "partnership_assured"),
    ]
    assert detail.timeline[1].reason == "No audit figures"
    assert detail.timeline[0].evidence_hashes == [detail.evidence[0]["sha256"]]
    assert (app.store.root / detail.evidence[0]["stored_path"]).read_bytes().startswith(b"%PDF")
    assert [r.ok for r in await verify_log(app.reader)] == [True]
    # every transition queued its notifications with it
    kinds = await count(app, OutboxRow.id)
    assert kinds == 1 + 1 + 1 + 2 + 1


async def test_tampering_with_a_decision_is_detected_and_named(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="done")
    rejected = await act(app, COMMISSIONER, Event.REJECT, reason="No audit figures")
    async with app.uow() as uow:
        with pytest.raises(DBAPIError, match="append-only"):
            await uow.connection.execute(text("UPDATE decision SET reason = 'fine' WHERE id = :id"), {"id": 1})
    async with app.uow() as uow:
        sqlite = uow.connection.dialect.name == "sqlite"
        # Someone with the database's owner rights removes the guard and rewrites history.
        await uow.connection.execute(
            text("DROP TRIGGER decision_no_update" if sqlite else "DROP TRIGGER decision_append_only ON decision")
        )
        await uow.connection.execute(
            text("UPDATE decision SET reason = 'Looks fine' WHERE id = :id"), {"id": rejected.decision_id}
        )
        await uow.commit()
    [report] = await verify_log(app.reader)
    assert report.partnership == "BCSP"
    assert not report.ok
    assert report.chain.first_bad_id == rejected.decision_id
    assert f"decision {rejected.decision_id}" in report.chain.problem and "reject on 3.11.1" in report.chain.problem


async def test_commissioner_of_the_same_agency_is_refused_and_nothing_is_written(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="done")
    before = await count(app, DecisionRow.id)
    with pytest.raises(GuardFailed, match="own organisation"):
        await act(app, POLICE_COMMISSIONER, Event.VERIFY)
    assert await count(app, DecisionRow.id) == before


async def test_a_note_holding_a_nul_is_refused_in_one_line_on_either_database(app: App, seed_plan: Path) -> None:
    """PostgreSQL keeps no NUL in text: the use case refuses it first, so neither database sees it."""
    await seed(app, seed_plan)
    before = await count(app, DecisionRow.id)
    with pytest.raises(InvalidInput, match=r"--note holds a NUL character \(U\+0000\)"):
        await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="done\x00")
    assert await count(app, DecisionRow.id) == before


async def test_a_stale_version_is_a_conflict_not_an_overwrite(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="done", expected_version=0)
    with pytest.raises(ConcurrencyConflict, match=r"you had version 0, it is now version 1"):
        await act(app, COMMISSIONER, Event.REJECT, reason="late", expected_version=0)


async def test_state_decision_and_outbox_commit_together_or_not_at_all(
    app: App, seed_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(app, seed_plan)
    decisions_before = await count(app, DecisionRow.id)

    def broken(*_args: object, **_kw: object) -> int:
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(Outbox, "add_for_events", broken)
    with pytest.raises(RuntimeError):
        await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="done", files=[])
    assert await count(app, DecisionRow.id) == decisions_before
    assert await count(app, EvidenceRow.id) == 0
    async with app.reader() as uow:
        [(_, action)] = await uow.run(lambda tx: tx.actions.find(1, REF))
    assert (action.state, action.version) == (State.OPEN, 0)


async def test_fifty_concurrent_conflicting_decisions_exactly_one_wins(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    decisions_before = await count(app, DecisionRow.id)

    async def attempt(i: int) -> TransitionResult | Exception:
        try:
            return await act(app, LEAD, Event.SUBMIT_EVIDENCE, note=f"attempt {i}", expected_version=0)
        except (ConcurrencyConflict, DomainError) as exc:
            return exc

    results = await asyncio.gather(*(attempt(i) for i in range(50)))
    winners = [r for r in results if isinstance(r, TransitionResult)]
    conflicts = [r for r in results if isinstance(r, ConcurrencyConflict)]
    assert len(winners) == 1
    assert len(conflicts) == 49
    assert await count(app, DecisionRow.id) == decisions_before + 1
    assert await count(app, OutboxRow.id) == 1
    async with app.reader() as uow:
        version = (await uow.connection.execute(select(ActionRow.version).where(ActionRow.ref == REF))).scalar_one()  # type: ignore[arg-type]
    assert version == 1
    assert [r.ok for r in await verify_log(app.reader)] == [True]


async def test_fifty_concurrent_decisions_on_different_actions_keep_one_unbroken_chain(
    app: App, seed_plan: Path
) -> None:
    """Without a version each person acts on the action as it is: fifty at once, none conflicts,
    and appends from all of them serialise on the chain head: no fork, no gap."""
    await seed(app, seed_plan)
    refs = ["3.11.1", "3.11.2"]

    async def progress(i: int) -> None:
        command = TransitionCommand(
            actor_email=LEAD, action=ActionKey(refs[i % 2]), event=Event.RECORD_PROGRESS, note=f"update {i}"
        )
        await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)

    await asyncio.gather(*(progress(i) for i in range(50)))
    [report] = await verify_log(app.reader)
    assert report.ok, report.problems
    assert report.chain.checked == await count(app, DecisionRow.id)


async def test_a_refused_submission_keeps_no_file(app: App, seed_plan: Path, tmp_path: Path) -> None:
    await seed(app, seed_plan)
    report = tmp_path / "audit.pdf"
    report.write_bytes(b"%PDF-1.4 audit")
    command = TransitionCommand(LEAD_BSMHFT, ActionKey(REF), Event.SUBMIT_EVIDENCE, files=[report])
    with pytest.raises(GuardFailed, match="another agency"):
        await take_transition(command, uow_factory=app.uow, clock=app.clock, store=app.store)
    assert not app.store.root.exists() or not any(app.store.root.rglob("*"))


async def _drop_append_only_guard(uow: object) -> None:
    conn = uow.connection  # type: ignore[attr-defined]
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        await conn.execute(text("DROP TRIGGER decision_no_update"))
        await conn.execute(text("DROP TRIGGER decision_no_delete"))
    else:
        await conn.execute(text("DROP TRIGGER decision_append_only ON decision"))


async def test_an_action_edited_behind_the_log_is_named(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    async with app.uow() as uow:
        await uow.connection.execute(
            text("UPDATE action SET state = 'partnership_assured', version = 5 WHERE ref = '3.1.1'")
        )
        await uow.commit()
    [report] = await verify_log(app.reader)
    assert report.chain.ok and not report.ok
    assert "action 3.1.1 of BDHR2011/12-03 is partnership_assured but its last decision left it open" in report.problems
    assert "action 3.1.1 of BDHR2011/12-03 is at version 5 but has 0 decisions" in report.problems


async def test_a_log_cut_short_is_caught_against_the_head_written_down(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await act(app, LEAD, Event.RECORD_PROGRESS, note="briefing drafted")
    [before] = await verify_log(app.reader)
    head = ExpectedHead("BCSP", before.chain.head_seq, before.chain.head_hash[:16])
    async with app.uow() as uow:
        await _drop_append_only_guard(uow)
        await uow.connection.execute(text("DELETE FROM decision WHERE seq = :seq"), {"seq": before.chain.head_seq})
        # and cover the tracks in the action table too
        await uow.connection.execute(text("UPDATE action SET version = 0 WHERE ref = :ref"), {"ref": REF})
        await uow.commit()
    [unanchored] = await verify_log(app.reader)
    # without an outside anchor a clean cut of the tail cannot be seen: only the guard dropped to make it
    assert unanchored.chain.ok and unanchored.problems == [dropped_guard(app)]
    [anchored] = await verify_log(app.reader, expect=[head])
    assert not anchored.ok
    assert anchored.problems == [
        dropped_guard(app),
        f"the head written down (seq {head.seq}) is gone: the log was cut short",
    ]


async def test_a_stored_evidence_file_that_changed_is_named(app: App, seed_plan: Path, tmp_path: Path) -> None:
    await seed(app, seed_plan)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    result = await act(app, LEAD, Event.SUBMIT_EVIDENCE, files=[minutes])
    [clean] = await verify_log(app.reader, files=app.store.root)
    assert clean.ok
    (app.store.root / result.evidence[0].stored_path).write_bytes(b"%PDF-1.4 other minutes")
    [report] = await verify_log(app.reader, files=app.store.root)
    assert report.problems == ["evidence 1 of action 3.11.1: the stored file no longer matches its SHA-256"]


async def test_edits_that_would_switch_off_a_guard_are_named(app: App, seed_plan: Path, tmp_path: Path) -> None:
    """Changing who submitted (segregation of duties), deleting evidence or an action: all caught."""
    await seed(app, seed_plan)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, files=[minutes])
    async with app.uow() as uow:
        await _drop_append_only_guard(uow)
        await uow.connection.execute(text("UPDATE action SET submitted_by = NULL WHERE ref = :ref"), {"ref": REF})
        await uow.connection.execute(text("DELETE FROM evidence"))
        await uow.commit()
    [report] = await verify_log(app.reader)
    assert f"action {REF} of BDHR2011/12-03: its submitter, verifier or returned mark is not what the log says" in (
        report.problems
    )
    assert any("names evidence that is gone" in p for p in report.problems)


def dropped_guard(app: App) -> str:
    """What ``log verify`` says once ``_drop_append_only_guard`` has run, on this database."""
    names = (
        "decision_no_delete, decision_no_update"
        if app.settings.database_url.startswith("sqlite")
        else ("decision_append_only")
    )
    return f"the database no longer refuses changes to the decision log: trigger {names} is gone or off"


async def forge_verify_by_the_lead(app: App, claimed_role: str) -> None:
    """A database writer's forgery: the lead officer's own ``verify`` of 3.11.1, claiming ``claimed_role``,
    appended after the head with ``record_hash`` (the repository's append does exactly that), and the action
    row updated to match."""

    def forge(tx: Tx) -> None:
        lead = tx.people.by_email(LEAD)
        assert lead is not None
        [(review_ref, action)] = tx.actions.find(lead.partnership_id, REF)
        draft = DecisionDraft(
            partnership_id=lead.partnership_id,
            actor_id=lead.id,
            actor_name=lead.name,
            actor_role=claimed_role,
            event="verify",
            at=app.clock.now(),
            review_id=action.review_id,
            review_ref=review_ref,
            action_id=action.id,
            action_ref=REF,
            from_state="evidence_submitted",
            to_state="commissioner_verified",
        )
        tx.decisions.append(draft)
        tx.actions.update_versioned(action, action.version, {"state": "commissioner_verified", "verified_by": lead.id})

    async with app.uow() as uow:
        await uow.run(forge)
        await uow.commit()


async def test_a_forged_decision_the_rules_forbid_is_named_though_its_chain_and_action_agree(
    app: App, seed_plan: Path
) -> None:
    """The hostile review's script: the submitter's own ``verify``, as lead officer, chained after the old head."""
    await seed(app, seed_plan)
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Briefing sent")
    [before] = await verify_log(app.reader)
    assert before.ok
    old_head = ExpectedHead("BCSP", before.chain.head_seq, before.chain.head_hash[:16])
    await forge_verify_by_the_lead(app, "lead_officer")
    [report] = await verify_log(app.reader, expect=[old_head])
    assert report.chain.ok  # the chain holds, and still holds the old head
    assert not report.ok
    [problem] = report.problems
    assert problem.startswith(
        f"decision {before.chain.head_seq + 1} (verify of action {REF} of BDHR2011/12-03 by Lead WMP"
    )
    assert "lead officer" in problem


async def test_a_decision_claiming_a_role_its_person_does_not_have_is_named(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Briefing sent")
    await forge_verify_by_the_lead(app, "commissioner")
    [report] = await verify_log(app.reader)
    assert any("Lead WMP is a lead officer, not a commissioner" in p for p in report.problems)


async def test_a_dropped_append_only_guard_is_reported(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)
    async with app.uow() as uow:
        await _drop_append_only_guard(uow)
        await uow.commit()
    [report] = await verify_log(app.reader)
    assert report.chain.ok and not report.ok
    assert report.problems == [dropped_guard(app)]


async def test_with_a_log_key_a_writer_without_it_cannot_extend_the_log_unseen(
    settings: Settings, clock: FixedClock, seed_plan: Path
) -> None:
    """``DHRFLOW_LOG_KEY``: the application seals every decision; an append by someone with the database but
    not the key (here: the application opened without it) carries no seal, and ``log verify`` names it."""
    keyed = settings.model_copy(update={"log_key": SecretStr("a key kept outside the database")})
    async with open_app(keyed, clock=clock) as app:
        await seed(app, seed_plan)
        await act(app, LEAD, Event.SUBMIT_EVIDENCE, note="Briefing sent")
        fired = await sweep(date(2026, 11, 26), uow_factory=app.uow, clock=app.clock, calendar=england_and_wales())
        assert fired.fired_count == 13 + 1  # the sweep's bulk path seals its decisions too (and the review's own)
        [sealed] = await verify_log(app.reader)
        assert sealed.ok, sealed.problems
    async with open_app(settings, clock=clock) as keyless:  # dhrflow itself, started without the key, will not
        with pytest.raises(LogKeyMismatch, match="the decision log is sealed: set DHRFLOW_LOG_KEY"):
            await act(keyless, COMMISSIONER, Event.VERIFY)
    wrong = settings.model_copy(update={"log_key": SecretStr("another key")})
    async with open_app(wrong, clock=clock) as mistyped:  # nor with another key
        with pytest.raises(LogKeyMismatch, match="not the key the decision log is sealed with"):
            await act(mistyped, COMMISSIONER, Event.VERIFY)
    async with open_app(settings, clock=clock) as writer:  # a writer of the database, chaining a record by hand
        async with writer.uow() as uow:

            def append_unsealed(tx: Tx) -> None:
                seq, prev = tx.connection.execute(
                    text("SELECT seq, hash FROM decision ORDER BY seq DESC LIMIT 1")
                ).one()
                draft = DecisionDraft(
                    partnership_id=1, actor_name="x", actor_role="system", event="import_plan", at=clock.now()
                )
                tx.connection.execute(insert(DecisionRow.__table__), chained_record(draft, seq + 1, prev))  # type: ignore[arg-type]

            await uow.run(append_unsealed)
            await uow.commit()
        [unchecked] = await verify_log(writer.reader)
        assert unchecked.ok  # without the key the seals cannot be checked
    async with open_app(keyed, clock=clock) as app:
        [report] = await verify_log(app.reader)
        assert report.chain.ok and not report.ok
        [problem] = report.problems
        assert problem == (
            f"decision seq {report.chain.head_seq} (import_plan) carries no seal: written without the log key"
        )
    async with open_app(wrong, clock=clock) as app:
        [report] = await verify_log(app.reader)
        assert any("its seal does not match the log key" in p for p in report.problems)


async def test_the_log_refuses_a_decision_of_a_kind_the_catalogue_does_not_list(app: App, seed_plan: Path) -> None:
    await seed(app, seed_plan)

    def append(tx: Tx) -> None:
        draft = DecisionDraft(
            partnership_id=1, actor_name="x", actor_role="system", event="made_up", at=app.clock.now()
        )
        tx.decisions.append(draft)

    async with app.uow() as uow:
        with pytest.raises(UnknownDecisionKind, match=r"'made_up' is not in domain\.decisions\.KINDS"):
            await uow.run(append)
