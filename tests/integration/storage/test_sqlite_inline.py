"""SQLite inline on the event loop: a writer waiting for the lock must not block the loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import make_engine
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork, writing


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'inline.db'}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


async def test_a_waiting_writer_lets_the_event_loop_run_and_then_writes(engine: AsyncEngine) -> None:
    ticks = 0
    order: list[str] = []

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    async def first() -> None:
        async with SqlUnitOfWork(writing(engine)) as uow:
            await uow.run(lambda tx: tx.partnerships.add("First", "FIRST"))
            order.append("first holds the lock")
            await asyncio.sleep(0.3)  # a slow unit of work keeps the write lock
            await uow.commit()
            order.append("first committed")

    async def second() -> None:
        await asyncio.sleep(0.05)
        async with SqlUnitOfWork(writing(engine)) as uow:
            order.append("second began")
            await uow.run(lambda tx: tx.partnerships.add("Second", "SECOND"))
            await uow.commit()

    tick_task = asyncio.create_task(ticker())
    await asyncio.gather(first(), second())
    tick_task.cancel()
    assert order == ["first holds the lock", "first committed", "second began"]
    assert ticks >= 30, "the event loop was blocked while the second writer waited"
    async with SqlUnitOfWork(engine) as uow:
        assert [p.short_name for p in await uow.run(lambda tx: tx.partnerships.all())] == ["FIRST", "SECOND"]


async def test_readers_do_not_wait_for_a_writer(engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(writing(engine)) as writer:
        await writer.run(lambda tx: tx.partnerships.add("Pending", "PENDING"))
        async with SqlUnitOfWork(engine) as reader:
            count = (await reader.connection.execute(text("SELECT count(*) FROM partnership"))).scalar_one()
        assert count == 0  # WAL: the reader sees the last committed state, at once
        await writer.commit()
