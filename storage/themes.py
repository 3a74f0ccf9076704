"""Themes: the partnership's own additions to the vocabulary and the coordinator's word on each action's themes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update

from domain.states import State
from domain.themes import Theme, ThemedAction
from storage.repositories import _Repo
from storage.tables import metadata

THEME = metadata.tables["theme"]
ACTION_THEME = metadata.tables["action_theme"]
_ACTION = metadata.tables["action"]
_REVIEW = metadata.tables["review"]
_PARTNERSHIP = metadata.tables["partnership"]


class Themes(_Repo):
    def added(self, partnership_id: int) -> list[Theme]:
        """The themes the partnership's coordinators added, in the order they were added."""
        query = select(THEME).where(THEME.c.partnership_id == partnership_id).order_by(THEME.c.id)
        return [Theme(r["key"], r["label"], tuple(json.loads(r["phrases"]))) for r in self._all(query)]

    def add(self, partnership_id: int, theme: Theme, at: datetime) -> int:
        values = {
            "partnership_id": partnership_id,
            "key": theme.key,
            "label": theme.label,
            "phrases": json.dumps(list(theme.phrases), ensure_ascii=False),
            "created_at": at,
        }
        return self._insert(THEME, values)

    def decided(self, action_ids: Sequence[int]) -> dict[int, dict[str, bool]]:
        """Per action: theme -> confirmed (True) or removed (False), for the themes the coordinator decided."""
        out: dict[int, dict[str, bool]] = {i: {} for i in action_ids}
        if not action_ids:
            return out
        query = select(ACTION_THEME.c.action_id, ACTION_THEME.c.theme, ACTION_THEME.c.confirmed).where(
            ACTION_THEME.c.action_id.in_(list(action_ids))
        )
        for action_id, theme, confirmed in self._conn.execute(query):
            out[action_id][theme] = bool(confirmed)
        return out

    def set(self, action_id: int, theme: str, confirmed: bool, decision_id: int, at: datetime) -> None:
        """Record the coordinator's word (the last one counts; the log keeps every one)."""
        values = {"confirmed": confirmed, "decision_id": decision_id, "decided_at": at}
        stmt = update(ACTION_THEME).where(ACTION_THEME.c.action_id == action_id, ACTION_THEME.c.theme == theme)
        if self._conn.execute(stmt.values(**values)).rowcount == 0:
            self._insert(ACTION_THEME, {"action_id": action_id, "theme": theme} | values)

    def confirmed(self, partnership_ids: Sequence[int]) -> list[ThemedAction]:
        """Every confirmed theme of an action of these partnerships, with what the report counts."""
        query = (
            select(
                _PARTNERSHIP.c.short_name,
                _REVIEW.c.ref,
                ACTION_THEME.c.theme,
                _ACTION.c.state,
                _ACTION.c.target_date,
            )
            .join(_ACTION, _ACTION.c.id == ACTION_THEME.c.action_id)
            .join(_REVIEW, _REVIEW.c.id == _ACTION.c.review_id)
            .join(_PARTNERSHIP, _PARTNERSHIP.c.id == _REVIEW.c.partnership_id)
            .where(ACTION_THEME.c.confirmed.is_(True), _PARTNERSHIP.c.id.in_(list(partnership_ids)))
            .order_by(_PARTNERSHIP.c.short_name, _REVIEW.c.ref, ACTION_THEME.c.theme)
        )
        return [ThemedAction(p, r, t, State(s), d) for p, r, t, s, d in self._conn.execute(query)]
