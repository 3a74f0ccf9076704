"""Export a partnership's decision log with the result of checking it, in one pass over the log."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from documents.export_log import AFTER_BREAK, OK, LogSink
from storage import audit
from storage.chain import HASHED_FIELDS, canonical_time, verify_chain
from storage.uow import Tx
from workflows.context import partnership_id
from workflows.queries import LogReport
from workflows.unit_of_work import UowFactory


async def export_log(reader: UowFactory, sink: LogSink, *, partnership: str | None = None) -> LogReport:
    """Write every decision of the partnership to ``sink``, each marked by the chain check, then the check.

    The check is ``dhrflow log verify``'s (the chain, and the actions and evidence against it), made on
    the same read transaction as the records written, so the file and its verdict agree.
    """
    async with reader() as uow:
        return await uow.run(_export_in, sink, partnership)


def _export_in(tx: Tx, sink: LogSink, partnership: str | None) -> LogReport:
    pid = partnership_id(tx, partnership)
    short = next(p["short_name"] for p in tx.partnerships.all() if p["id"] == pid)
    sink.start(short, HASHED_FIELDS)
    records = tx.decisions.chain(pid)
    current: list[dict[str, Any]] = []

    def written_once_checked() -> Generator[dict[str, Any], None, None]:
        # The checker asks for the next record only once the one before passed: that one is written then.
        for record in records:
            current[:] = [record]
            yield record
            sink.row(_plain(record), OK)

    checking = written_once_checked()
    chain = verify_chain(checking)
    if not chain.ok:
        sink.row(_plain(current[0]), f"BROKEN: {chain.problem}")
        for record in records:
            sink.row(_plain(record), AFTER_BREAK)
    checking.close()
    problems = audit.action_problems(tx.connection, pid) + audit.evidence_problems(tx.connection, pid)
    report = LogReport(short, chain, problems)
    sink.finish(report.to_json())
    return report


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the chain hashes it: ``at`` in its canonical text."""
    return record | {"at": canonical_time(record["at"])}
