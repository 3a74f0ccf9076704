"""Use cases for lessons across reviews: suggest themes from actions' text, the coordinator confirms or
removes them (each a decision), the vocabulary grows per partnership, and the report counts what recurs.

A report covers one partnership: a signed-in person's own (the web), or, from the
command line (the machine operator's reads), the one named or every partnership
in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.access import may_read_partnership_documents
from domain.errors import ThemeRefused
from domain.model import Action
from domain.themes import (
    STARTER,
    THEME_CONFIRMED,
    THEME_REMOVED,
    Suggestion,
    Theme,
    ThemeTally,
    check_new_theme,
    suggest,
    tally,
    theme_named,
)
from workflows.context import (
    ActionKey,
    Attribution,
    Principal,
    coordinator_by_email,
    decision_about,
    find_action,
    partnership_by_id,
    partnership_id,
)
from workflows.errors import NotVisible
from workflows.ports import Tx, UowFactory


@dataclass(frozen=True)
class ActionSuggestions:
    review_ref: str
    action_ref: str
    action_id: int
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class ActionThemes:
    """An action's themes as its page shows them."""

    confirmed: tuple[Theme, ...]
    removed: tuple[Theme, ...]
    suggested: tuple[tuple[Theme, Suggestion], ...]
    """Suggested from the text and not decided yet, with the words that matched."""
    vocabulary: tuple[Theme, ...]


@dataclass(frozen=True)
class ThemesReport:
    partnerships: tuple[str, ...]
    as_of: date
    themes: list[ThemeTally] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "partnerships": list(self.partnerships),
            "as_of": self.as_of.isoformat(),
            "themes": [
                {
                    "theme": t.theme,
                    "label": t.label,
                    "actions": t.actions,
                    "reviews": len(t.reviews),
                    "partnerships": len(t.partnerships),
                    "recurs": t.recurs,
                    "outcomes": t.outcomes,
                }
                for t in self.themes
            ],
        }


def vocabulary(tx: Tx, pid: int) -> list[Theme]:
    """The starter themes, then the partnership's own."""
    return [*STARTER, *tx.themes.added(pid)]


async def add_theme(
    actor_email: str, key: str, label: str, phrases: list[str], *, uow_factory: UowFactory, at: datetime
) -> Theme:
    """Add a theme to the coordinator's partnership's vocabulary (a ``theme_added`` decision).

    Raises:
        ThemeRefused: a bad key, label or phrases, or a key already there.
        UnknownPerson, InvalidInput: ``actor_email`` is not one of the partnership's coordinators.
    """

    def add(tx: Tx) -> Theme:
        actor = coordinator_by_email(tx, actor_email, "adds themes")
        theme = check_new_theme(key.strip(), label, phrases, vocabulary(tx, actor.partnership_id))
        tx.themes.add(actor.partnership_id, theme, at)
        payload = {"theme": theme.key, "label": theme.label, "phrases": list(theme.phrases)}
        tx.decisions.append(decision_about(actor, actor.partnership_id, event="theme_added", at=at, payload=payload))
        return theme

    async with uow_factory() as uow:
        return await uow.run_and_commit(add)


def _suggestions_in(tx: Tx, pid: int, review_ref: str | None) -> list[tuple[str, Action, list[Suggestion]]]:
    from storage.action_lists import ActionFilter

    words = vocabulary(tx, pid)
    rows = tx.actions.matching(ActionFilter(pid, review_ref))
    decided = tx.themes.decided([a.id for _, a in rows])
    out = []
    for ref, action in rows:
        fresh = [s for s in suggest(action.columns.action, words) if s.theme not in decided[action.id]]
        if fresh:
            out.append((ref, action, fresh))
    return out


async def suggest_themes(
    reader: UowFactory, review_ref: str | None = None, *, partnership: str | None = None
) -> list[ActionSuggestions]:
    """Themes the actions' text suggests that no coordinator has confirmed or removed yet (a read)."""

    def read(tx: Tx) -> list[ActionSuggestions]:
        pid = partnership_id(tx, partnership)
        return [ActionSuggestions(ref, a.ref, a.id, tuple(s)) for ref, a, s in _suggestions_in(tx, pid, review_ref)]

    async with reader() as uow:
        return await uow.run(read)


async def apply_suggestions(
    actor_email: str, review_ref: str | None = None, *, uow_factory: UowFactory, at: datetime
) -> list[ActionSuggestions]:
    """Confirm every open suggestion in the coordinator's partnership (of one review, where given): one
    ``theme_confirmed`` decision each, naming the words that matched."""

    def apply(tx: Tx) -> list[ActionSuggestions]:
        actor = coordinator_by_email(tx, actor_email, "confirms themes")
        done = []
        for ref, action, found in _suggestions_in(tx, actor.partnership_id, review_ref):
            for s in found:
                _decide(tx, actor, ref, action, s.theme, True, at, list(s.matched))
            done.append(ActionSuggestions(ref, action.ref, action.id, tuple(found)))
        return done

    async with uow_factory() as uow:
        return await uow.run_and_commit(apply)


def _decide(
    tx: Tx,
    actor: Attribution,
    review_ref: str,
    action: Action,
    theme: str,
    keep: bool,
    at: datetime,
    matched: list[str],
) -> None:
    payload: dict[str, Any] = {"theme": theme}
    if matched:
        payload["matched"] = matched
    event = THEME_CONFIRMED if keep else THEME_REMOVED
    decision_id = tx.decisions.append(
        decision_about(
            actor,
            actor.partnership_id,
            event=event,
            at=at,
            review_id=action.review_id,
            review_ref=review_ref,
            action_id=action.id,
            action_ref=action.ref,
            payload=payload,
        )
    )
    tx.themes.set(action.id, theme, keep, decision_id, at)


async def set_theme(
    actor_email: str, key: ActionKey, theme: str, *, remove: bool = False, uow_factory: UowFactory, at: datetime
) -> bool:
    """Confirm (or remove) ``theme`` on the action; False when it already stood so (nothing written).

    Raises:
        ThemeRefused: no such theme in the partnership's vocabulary.
        UnknownPerson, InvalidInput: not one of the partnership's coordinators.
        ActionNotFound, AmbiguousAction: the action.
    """

    def decide(tx: Tx) -> bool:
        actor = coordinator_by_email(tx, actor_email, "confirms themes")
        pid = actor.partnership_id
        chosen = theme_named(theme, vocabulary(tx, pid))
        review_ref, action = find_action(tx, pid, key)
        before = tx.themes.decided([action.id])[action.id].get(chosen.key)
        if before is (not remove):
            return False
        matched = next((list(s.matched) for s in suggest(action.columns.action, [chosen])), [])
        _decide(tx, actor, review_ref, action, chosen.key, not remove, at, matched)
        return True

    async with uow_factory() as uow:
        return await uow.run_and_commit(decide)


async def action_themes(reader: UowFactory, partnership_id_: int, action_id: int) -> ActionThemes:
    """The action's confirmed, removed and suggested themes (the caller has checked the person may see it)."""

    def read(tx: Tx) -> ActionThemes:
        words = vocabulary(tx, partnership_id_)
        by_key = {t.key: t for t in words}
        found = tx.actions.by_id(partnership_id_, action_id)
        if found is None:
            raise ThemeRefused(f"no action #{action_id}")
        action = found[1]
        decided = tx.themes.decided([action.id])[action.id]
        suggested = [(by_key[s.theme], s) for s in suggest(action.columns.action, words) if s.theme not in decided]
        return ActionThemes(
            tuple(by_key[k] for k, keep in decided.items() if keep and k in by_key),
            tuple(by_key[k] for k, keep in decided.items() if not keep and k in by_key),
            tuple(suggested),
            tuple(words),
        )

    async with reader() as uow:
        return await uow.run(read)


async def themes_report(
    reader: UowFactory, *, today: date, partnership: str | None = None, every: bool = False
) -> ThemesReport:
    """Confirmed themes counted across the reviews of one partnership (``every``: all of them).

    Raises:
        InvalidInput: no partnership named and several exist (unless ``every``).
    """

    def read(tx: Tx) -> ThemesReport:
        parts = tx.partnerships.all()
        if every and partnership is None:
            chosen = parts
        else:
            pid = partnership_id(tx, partnership)
            chosen = [p for p in parts if p.id == pid]
        labels: dict[str, str] = {}
        for p in chosen:
            labels |= {t.key: t.label for t in vocabulary(tx, p.id)}
        rows = tx.themes.confirmed([p.id for p in chosen])
        return ThemesReport(tuple(p.short_name for p in chosen), today, tally(rows, labels, today))

    async with reader() as uow:
        return await uow.run(read)


async def themes_report_for(reader: UowFactory, principal: Principal, *, today: date) -> ThemesReport:
    """The report a signed-in person gets: their own partnership's reviews only, and only for the
    partnership's own staff (it covers every agency, as the board pack does).

    Raises:
        NotVisible: a lead officer or a director.
    """
    if not may_read_partnership_documents(principal.actor):
        raise NotVisible("the themes report covers every agency: it is for the partnership's own staff")
    pid = principal.person.partnership_id

    def short(tx: Tx) -> str:
        return partnership_by_id(tx, pid).short_name

    async with reader() as uow:
        name = await uow.run(short)
    return await themes_report(reader, today=today, partnership=name)
