from __future__ import annotations

import pytest

from tests.unit.fakes import FakeTx, uow_factory
from tests.unit.workflows.commands.world import AT, world
from workflows.ports import UowFactory
from workflows.runtime.clock import FixedClock


@pytest.fixture
def tx() -> FakeTx:
    return world()


@pytest.fixture
def uow(tx: FakeTx) -> UowFactory:
    return uow_factory(tx)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(AT)
