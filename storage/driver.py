"""Statements built once and run straight on ``sqlite3`` where a transaction's connection is a synchronous one.

Why: a writing unit of work on a SQLite file runs on ``sqlite3`` under SQLAlchemy's
synchronous engine (``storage.engine.SqliteWriter``), and there SQLAlchemy's
execution of a statement (execution context, parameters, result set-up) costs about
20 µs of Python against 2 µs for SQLite to run it: most of a decision's cost, over
its six statements. A ``Prepared`` statement is compiled once into its SQL, the order
of its parameters, and the conversions SQLAlchemy makes on the way in (bind
processors: a date as SQLite's text) and out (result processors), and run on the
driver's cursor with them: the same SQL, the same values in and out. On any other
connection (PostgreSQL, the async SQLite engine) it runs through SQLAlchemy as
before. A driver error is raised as SQLAlchemy would raise it (``DBAPIError``), so
what catches those still does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Delete, Select, Update


def sqlite_driver(conn: Connection) -> sqlite3.Connection | None:
    """``conn``'s own ``sqlite3`` connection, if it is one (a writing unit of work on a SQLite file's)."""
    driver = conn.connection.driver_connection
    return driver if isinstance(driver, sqlite3.Connection) else None


def execute(conn: Connection, driver: sqlite3.Connection, sql: str, values: Sequence[Any]) -> sqlite3.Cursor:
    """``sql`` with ``values`` on ``driver`` (``conn``'s); an error raised as SQLAlchemy's ``DBAPIError`` of it."""
    try:
        return driver.execute(sql, values)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, values, exc, sqlite3.Error, dialect=conn.dialect) from exc


def executemany(conn: Connection, driver: sqlite3.Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """``sql`` once per row of ``rows`` on ``driver`` (``conn``'s); an error raised as SQLAlchemy's ``DBAPIError``."""
    try:
        driver.executemany(sql, rows).close()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, rows, exc, sqlite3.Error, dialect=conn.dialect, ismulti=True) from exc


@dataclass(frozen=True)
class _Bind:
    key: str
    required: bool
    value: Any
    process: Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Form:
    sql: str
    binds: tuple[_Bind, ...]
    columns: tuple[str, ...]
    results: tuple[tuple[int, Callable[[Any], Any]], ...]


class Prepared:
    """A select, update or delete built once, whose parameters are named ``bindparam``s and constants.

    ``rows``, ``first`` and ``rowcount`` run it on ``sqlite3`` directly where the
    connection is a synchronous SQLite one, and through SQLAlchemy elsewhere.
    Statements that SQLAlchemy renders anew at each execution (an ``IN`` list) are
    refused when first compiled.
    """

    def __init__(self, statement: Select[Any] | Update | Delete) -> None:
        self.statement = statement
        self._form: _Form | None = None

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        driver = sqlite_driver(conn)
        if driver is None:
            return [dict(r) for r in conn.execute(self.statement, params).mappings()]
        form = self._form or self._compile(conn.dialect)
        cursor = execute(conn, driver, form.sql, self._values(form, params))
        try:
            return [self._row(form, raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, conn: Connection, params: Mapping[str, Any]) -> dict[str, Any] | None:
        driver = sqlite_driver(conn)
        if driver is None:
            row = conn.execute(self.statement, params).mappings().first()
            return dict(row) if row is not None else None
        form = self._form or self._compile(conn.dialect)
        cursor = execute(conn, driver, form.sql, self._values(form, params))
        try:
            raw = cursor.fetchone()
        finally:
            cursor.close()
        return self._row(form, raw) if raw is not None else None

    def rowcount(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """Run an update or delete; how many rows it matched."""
        driver = sqlite_driver(conn)
        if driver is None:
            return conn.execute(self.statement, params).rowcount
        form = self._form or self._compile(conn.dialect)
        cursor = execute(conn, driver, form.sql, self._values(form, params))
        count = cursor.rowcount
        cursor.close()
        return count

    @staticmethod
    def _values(form: _Form, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = []
        for bind in form.binds:
            if bind.key in params:
                value = params[bind.key]
            elif bind.required:
                raise KeyError(f"no value for the parameter {bind.key!r}")
            else:
                value = bind.value
            values.append(value if bind.process is None else bind.process(value))  # None too, as SQLAlchemy does
        return tuple(values)

    @staticmethod
    def _row(form: _Form, raw: tuple[Any, ...]) -> dict[str, Any]:
        if not form.results:
            return dict(zip(form.columns, raw, strict=True))
        values = list(raw)
        for i, process in form.results:
            values[i] = process(values[i])
        return dict(zip(form.columns, values, strict=True))

    def _compile(self, dialect: Dialect) -> _Form:
        compiled = self.statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params or compiled.positiontup is None:
            raise ValueError(f"not a statement to prepare (rendered anew at each execution): {compiled.string}")
        binds = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            binds.append(_Bind(bind.key, bind.required, None if bind.required else bind.effective_value, process))
        columns: tuple[str, ...] = ()
        results: list[tuple[int, Callable[[Any], Any]]] = []
        if isinstance(self.statement, Select):
            selected = list(self.statement.selected_columns)
            columns = tuple(self.statement.selected_columns.keys())
            if len(set(columns)) != len(columns):
                raise ValueError(f"two selected columns share a name: {columns}")
            for i, column in enumerate(selected):
                result = column.type.dialect_impl(dialect).result_processor(dialect, None)
                if result is not None:
                    results.append((i, result))
        self._form = _Form(compiled.string, tuple(binds), columns, tuple(results))
        return self._form
