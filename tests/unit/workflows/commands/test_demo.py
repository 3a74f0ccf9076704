"""The demo on in-memory storage: the seed plan and one person per role, once, passwords shown once."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.roles import Role
from storage.evidence_store import EvidenceStore
from tests.unit.fakes import FakeTx, uow_factory
from tests.unit.plan_builders import SEED_REFS
from workflows.commands.demo import DEMO_DOMAIN, load_demo
from workflows.errors import NotSetUp
from workflows.runtime.clock import FixedClock
from workflows.runtime.container import App
from workflows.runtime.settings import Settings


def app(tmp_path: Path, tx: FakeTx, clock: FixedClock, settings: Settings | None = None) -> App:
    uow = uow_factory(tx)
    return App(
        settings=settings or Settings(_env_file=None, data_dir=tmp_path),
        engine=cast(AsyncEngine, None),  # the demo opens units of work only
        uow=uow,
        reader=uow,
        clock=clock,
        store=EvidenceStore(tmp_path / "evidence"),
    )


async def test_the_demo_seeds_a_plan_and_its_people_once(tmp_path: Path, clock: FixedClock) -> None:
    tx = FakeTx()
    report, people = await load_demo(app(tmp_path, tx, clock))
    assert report.added == SEED_REFS
    assert {p.role for p in people} == set(Role)
    assert all(p.email.endswith(f"@{DEMO_DOMAIN}") and p.password for p in people)
    coordinator = tx.people.by_email(f"coordinator@{DEMO_DOMAIN}")
    assert coordinator is not None and tx.decisions.drafts[-1].actor_id == coordinator.id  # it added the rest

    again_report, again = await load_demo(app(tmp_path, tx, clock))
    assert (again_report.changed, [p.password for p in again if p.password]) == (False, [])
    assert len(tx.people.rows) == len(people)


async def test_the_demo_is_refused_in_production(tmp_path: Path, clock: FixedClock) -> None:
    settings = Settings(_env_file=None, environment="production", database_url="postgresql://x/y")
    production = app(tmp_path, FakeTx(), clock, settings)
    with pytest.raises(NotSetUp, match="not for production"):
        await load_demo(production)
