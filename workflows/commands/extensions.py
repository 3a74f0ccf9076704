"""Use cases for extensions (a lead officer asks, the agency's director or the partnership decides) and
for reassigning an action's lead officer (the agency's director)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.assignment import check_reassign
from domain.events import DomainEvent, Recipient
from domain.extension import ExtensionRefused, ExtensionRequest, ExtensionStatus, check_decision, check_request
from domain.roles import Actor, Role
from storage.errors import ConcurrencyConflict
from workflows.context import ActionKey, about_action, acting_to_decide, check_length, decision_about, find_action
from workflows.errors import UnknownPerson
from workflows.ports import Tx, UowFactory
from workflows.runtime.clock import LONDON, Clock


@dataclass(frozen=True)
class ExtensionResult:
    review_ref: str
    action_ref: str
    status: ExtensionStatus
    target_date: date | None
    requested_date: date

    def to_json(self) -> dict[str, str | None]:
        """The API's answer to a request or a decision."""
        return {
            "status": str(self.status),
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "requested_date": self.requested_date.isoformat(),
        }


async def request_extension(
    actor_email: str,
    key: ActionKey,
    new_date: date,
    reason: str,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    on_behalf_of: str | None = None,
) -> ExtensionResult:
    """Ask for ``key``'s target date to move to ``new_date``; the agency's director is told.

    Raises:
        UnknownPerson, ActionNotFound, AmbiguousAction: bad input.
        ExtensionRefused: not the lead officer, not open, no reason, not later, or one already waiting.
    """
    check_length("--reason", reason)
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(_request_in, actor_email, on_behalf_of, key, new_date, reason.strip(), at)


async def decide_extension(
    actor_email: str,
    key: ActionKey,
    approve: bool,
    reason: str,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    on_behalf_of: str | None = None,
) -> ExtensionResult:
    """Approve (the target date moves, the ladder restarts) or refuse the waiting extension of ``key``."""
    at = clock.now()
    async with uow_factory() as uow:
        check_length("--reason", reason)
        return await uow.run_and_commit(_decide_in, actor_email, on_behalf_of, key, approve, reason.strip(), at)


def _actor(tx: Tx, email: str, on_behalf_of: str | None, at: datetime) -> tuple[int, Actor]:
    person, actor = acting_to_decide(tx, email, on_behalf_of, at)
    return person.partnership_id, actor


def _request_in(
    tx: Tx, email: str, on_behalf_of: str | None, key: ActionKey, new_date: date, reason: str, at: datetime
) -> ExtensionResult:
    partnership_id, actor = _actor(tx, email, on_behalf_of, at)
    review_ref, action = find_action(tx, partnership_id, key)
    check_request(action, actor, new_date, reason, pending=tx.extensions.pending(action.id) is not None)
    asked_for = actor.person_id if actor.deputy else None
    extension_id = tx.extensions.add(ExtensionRequest(action.id, actor.acting_id, new_date, reason, asked_for), at)
    tx.actions.update_versioned(action, action.version, {})  # a decision about the action: its version moves
    draft = decision_about(
        actor, partnership_id, "extension_requested", at, **about_action(action, review_ref), reason=reason
    )
    draft.payload = {
        "extension_id": extension_id,
        "from": action.target_date.isoformat() if action.target_date else None,
        "to": new_date.isoformat(),
    }
    decision_id = tx.decisions.append(draft)
    event = DomainEvent("extension_requested", action.id, action.ref, (Recipient(Role.DIRECTOR, action.agency_id),))
    tx.outbox.add_for_events(partnership_id, action.review_id, decision_id, [event], at)
    return ExtensionResult(review_ref, action.ref, ExtensionStatus.PENDING, action.target_date, new_date)


def _decide_in(
    tx: Tx, email: str, on_behalf_of: str | None, key: ActionKey, approve: bool, reason: str, at: datetime
) -> ExtensionResult:
    partnership_id, actor = _actor(tx, email, on_behalf_of, at)
    review_ref, action = find_action(tx, partnership_id, key)
    request = tx.extensions.pending(action.id)
    if request is None or request.id is None:
        raise ExtensionRefused(action.ref, "no extension is waiting for a decision")
    check_decision(action, actor, request, approve, reason)
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    tx.extensions.decide(request.id, str(status), actor.acting_id, reason, at)
    if approve:
        today = at.astimezone(LONDON).date()
        tx.actions.move_target(action, action.version, request.new_date, recheck_on=today)
    else:
        tx.actions.update_versioned(action, action.version, {})
    draft = decision_about(
        actor, partnership_id, f"extension_{status}", at, **about_action(action, review_ref), reason=reason
    )
    draft.payload = {
        "extension_id": request.id,
        "from": action.target_date.isoformat() if action.target_date else None,
        "to": request.new_date.isoformat(),
    }
    decision_id = tx.decisions.append(draft)
    lead = Recipient(Role.LEAD_OFFICER, action.agency_id, action.lead_officer_id)
    event = DomainEvent("extension_decided", action.id, action.ref, (lead,))
    tx.outbox.add_for_events(partnership_id, action.review_id, decision_id, [event], at)
    target = request.new_date if approve else action.target_date
    return ExtensionResult(review_ref, action.ref, status, target, request.new_date)


@dataclass(frozen=True)
class Reassigned:
    review_ref: str
    action_ref: str
    lead_officer: str


async def reassign_lead(
    actor_email: str,
    key: ActionKey,
    new_lead_email: str,
    *,
    uow_factory: UowFactory,
    clock: Clock,
    on_behalf_of: str | None = None,
    expected_version: int | None = None,
) -> Reassigned:
    """The agency's director names another of its lead officers for ``key``; they are told.

    ``expected_version``: the version of the action the director saw (``None``: as it is now).

    Raises:
        UnknownPerson, ActionNotFound, AmbiguousAction: bad input.
        ReassignRefused: not the agency's director, or the new lead is not one of its lead officers.
        ConcurrencyConflict: the action is no longer at ``expected_version``.
    """
    at = clock.now()
    async with uow_factory() as uow:
        return await uow.run_and_commit(
            _reassign_in, actor_email, on_behalf_of, key, new_lead_email, expected_version, at
        )


def _reassign_in(
    tx: Tx,
    email: str,
    on_behalf_of: str | None,
    key: ActionKey,
    new_lead_email: str,
    expected_version: int | None,
    at: datetime,
) -> Reassigned:
    partnership_id, actor = _actor(tx, email, on_behalf_of, at)
    review_ref, action = find_action(tx, partnership_id, key)
    if expected_version is not None and expected_version != action.version:
        raise ConcurrencyConflict(action.ref, expected_version, action.version)
    new_lead = tx.people.by_email(new_lead_email)
    if new_lead is None or new_lead.partnership_id != partnership_id:
        raise UnknownPerson(new_lead_email)
    check_reassign(action, actor, new_lead)
    tx.actions.update_versioned(action, action.version, {"lead_officer_id": new_lead.id})
    draft = decision_about(actor, partnership_id, "lead_officer_reassigned", at, **about_action(action, review_ref))
    draft.payload = {"from": action.lead_officer_id, "to": new_lead.id}
    decision_id = tx.decisions.append(draft)
    told = Recipient(Role.LEAD_OFFICER, action.agency_id, new_lead.id)
    event = DomainEvent("lead_officer_assigned", action.id, action.ref, (told,))
    tx.outbox.add_for_events(partnership_id, action.review_id, decision_id, [event], at)
    return Reassigned(review_ref, action.ref, new_lead.email)
