"""Checking the decision log: every partnership's hash chain, and the actions and evidence it must explain."""

from __future__ import annotations

import asyncio
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from documents.export_log import AFTER_BREAK, OK, LogSink
from storage import audit
from storage.chain import HASHED_FIELDS, ChainRecord, ChainReport, plain_record, verify_chain
from workflows.context import partnership_by_id, partnership_id, partnership_names
from workflows.errors import InvalidInput
from workflows.ports import Tx, UowFactory
from workflows.queries.review_kinds import labels_in


@dataclass(frozen=True)
class ExpectedHead:
    """A chain head written down earlier (``BCSP:14:3f2a...``): the log must still hold it."""

    partnership: str
    seq: int
    hash_prefix: str

    @classmethod
    def parse(cls, text: str) -> ExpectedHead:
        parts = text.strip().split(":")
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) < 12:
            raise InvalidInput(f"--expect-head {text!r}: give PARTNERSHIP:SEQ:HASH (at least 12 hex digits)")
        return cls(parts[0], int(parts[1]), parts[2].lower())


@dataclass(frozen=True)
class LogReport:
    partnership: str
    chain: ChainReport
    problems: list[str]
    """What the chain alone cannot show: actions or evidence that the log does not explain."""

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "partnership": self.partnership,
            "ok": self.ok,
            "checked": self.chain.checked,
            "head": {"seq": self.chain.head_seq, "hash": self.chain.head_hash},
            "problems": ([self.chain.problem] if self.chain.problem else []) + self.problems,
        }


async def verify_log(
    reader: UowFactory, *, expect: Sequence[ExpectedHead] = (), files: Path | None = None
) -> list[LogReport]:
    """Check every partnership's chain, its actions and evidence (and files, given the store's root)."""
    to_hash: dict[str, list[audit.StoredEvidence]] | None = {} if files is not None else None
    async with reader() as uow:
        reports = await uow.run(_verify_log_in, expect, to_hash)
    if files is not None and to_hash:
        for report in reports:  # the files are read after the transaction, off the event loop
            stored = to_hash.get(report.partnership, [])
            report.problems.extend(await asyncio.to_thread(audit.file_problems, files, stored))
    return reports


def _verify_log_in(
    tx: Tx, expect: Sequence[ExpectedHead], to_hash: dict[str, list[audit.StoredEvidence]] | None
) -> list[LogReport]:
    reports = []
    partnerships = partnership_names(tx)
    known = {name.lower() for name in partnerships.values()}
    for e in expect:
        if e.partnership.lower() not in known:
            # The head was written down, so there was a log: it is the log that has gone.
            gone = f"the head written down (seq {e.seq}) is gone with every record of {e.partnership}"
            reports.append(LogReport(e.partnership, ChainReport(0), [gone]))
    guards = tx.audit.guard_problems()  # the database's, said in each partnership's report
    for pid, name in partnerships.items():
        chain = verify_chain(tx.decisions.chain(pid))
        problems = tx.audit.action_problems(pid) + tx.audit.deputy_problems(pid)
        problems += tx.audit.decision_problems(pid) + guards
        problems += tx.audit.seal_problems(pid)
        files = to_hash.setdefault(name, []) if to_hash is not None else None
        problems += tx.audit.evidence_problems(pid, files)
        for e in expect:
            if e.partnership.lower() == name.lower():
                problems += _head_problem(tx, pid, e)
        reports.append(LogReport(name, chain, problems))
    return reports


def _head_problem(tx: Tx, partnership: int, expected: ExpectedHead) -> list[str]:
    found = tx.decisions.at_seq(partnership, expected.seq)
    if found is None:
        return [f"the head written down (seq {expected.seq}) is gone: the log was cut short"]
    if not found.hash.startswith(expected.hash_prefix):
        return [f"decision at seq {expected.seq} is not the one written down: the log was rewritten"]
    return []


async def export_log(reader: UowFactory, sink: LogSink, *, partnership: str | None = None) -> LogReport:
    """Write every decision of the partnership to ``sink``, each marked by the chain check, then the check.

    The check is ``dhrflow log verify``'s (the chain, and the actions and evidence against it), made on
    the same read transaction as the records written, so the file and its verdict agree.
    """
    async with reader() as uow:
        return await uow.run(_export_in, sink, partnership)


def _export_in(tx: Tx, sink: LogSink, partnership: str | None) -> LogReport:
    pid = partnership_id(tx, partnership)
    short = partnership_by_id(tx, pid).short_name
    sink.start(short, HASHED_FIELDS, labels_in(tx, pid).by_ref)
    records = tx.decisions.chain(pid)
    current: list[ChainRecord] = []

    def written_once_checked() -> Generator[ChainRecord, None, None]:
        # The checker asks for the next record only once the one before passed: that one is written then.
        for record in records:
            current[:] = [record]
            yield record
            sink.row(plain_record(record), OK)

    checking = written_once_checked()
    chain = verify_chain(checking)
    if not chain.ok:
        sink.row(plain_record(current[0]), f"BROKEN: {chain.problem}")
        for record in records:
            sink.row(plain_record(record), AFTER_BREAK)
    checking.close()
    problems = tx.audit.action_problems(pid) + tx.audit.evidence_problems(pid)
    report = LogReport(short, chain, problems)
    sink.finish(report.to_json())
    return report
