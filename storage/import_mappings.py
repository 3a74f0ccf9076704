"""The headers each partnership's coordinator placed by hand: the next plan in that layout imports as mapped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from storage.repositories import _Repo
from storage.tables import metadata

MAPPING = metadata.tables["import_mapping"]


class ImportMappings(_Repo):
    def for_partnership(self, partnership_id: int) -> list[tuple[str, str]]:
        """``(header as written, field)`` pairs, by header."""
        stmt = (
            select(MAPPING.c.header, MAPPING.c.field)
            .where(MAPPING.c.partnership_id == partnership_id)
            .order_by(MAPPING.c.header_key)
        )
        return [(r["header"], r["field"]) for r in self._all(stmt)]

    def put(self, partnership_id: int, key: str, header: str, field: str, at: datetime, by: int | None) -> bool:
        """Remember ``header`` (``key`` once normalised) as ``field``; False when it was already so."""
        found = self._one(
            select(MAPPING.c.id, MAPPING.c.field, MAPPING.c.header).where(
                MAPPING.c.partnership_id == partnership_id, MAPPING.c.header_key == key
            )
        )
        values = {"header": header, "field": field, "updated_at": at, "updated_by": by}
        if found is None:
            self._insert(MAPPING, values | {"partnership_id": partnership_id, "header_key": key})
            return True
        if (found["field"], found["header"]) == (field, header):
            return False
        self._conn.execute(update(MAPPING).where(MAPPING.c.id == found["id"]).values(**values))
        return True

    def remove(self, partnership_id: int, key: str) -> str | None:
        """Forget the header ``key``; the field it was mapped to, or None when none was remembered."""
        found = self._one(
            select(MAPPING.c.id, MAPPING.c.field).where(
                MAPPING.c.partnership_id == partnership_id, MAPPING.c.header_key == key
            )
        )
        if found is None:
            return None
        self._conn.execute(delete(MAPPING).where(MAPPING.c.id == found["id"]))
        return str(found["field"])
