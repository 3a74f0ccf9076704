"""``python -m bench`` (or ``make bench``): run every case and print the table.

``--quick`` runs smaller cases; ``--only NAME`` (repeatable) runs only the named groups:
cli, transitions, rest, sweep, catch-up, seed, prefect, notify, documents, import, pages.
"""

from __future__ import annotations

import asyncio
import logging
import sys

from bench import (
    cases,
    cli_cases,
    document_cases,
    import_cases,
    notify_cases,
    page_cases,
    prefect_cases,
    recommendation_cases,
    serve_cases,
    sweep_cases,
    web_cases,
)
from bench.databases import POSTGRES, SQLITE, postgres_reachable
from bench.harness import Result, machine, render
from workflows.runtime.observability import configure_logging


async def main(quick: bool, only: frozenset[str] = frozenset()) -> list[Result]:
    def want(group: str) -> bool:
        return not only or group in only

    results: list[Result] = []
    if want("cli"):
        results += await cli_cases.read_commands(5)
    if want("serve"):
        results += await serve_cases.first_page(3)
    missing = await postgres_reachable()
    kinds = [SQLITE] if missing else [SQLITE, POSTGRES]
    if missing:
        print(f"PostgreSQL not measured: {missing}", file=sys.stderr)
    # The cases that run on either database, one row per database side by side (issue 17).
    for kind in kinds if want("transitions") else []:
        results += await cases.transitions_per_second(500 if quick else 5000, kind)
    for kind in kinds if want("rest") else []:
        results += await web_cases.transitions_over_http(800 if quick else 4000, kind)
    for kind in kinds if want("sweep") else []:
        results += await sweep_cases.steady_state(100_000 if quick else 1_000_000, kind=kind)
    for kind in kinds if want("catch-up") else []:
        results += await sweep_cases.catch_up(20_000 if quick else 1_000_000, kind)
    if want("seed"):
        results += await cases.seed_imported_many_times(100 if quick else 1000)
    if want("prefect"):
        results += await prefect_cases.sweep_under_prefect((10, 100_000) if quick else (10, 1_000_000))
    if want("notify"):
        results += await notify_cases.transport(500 if quick else 2000)
        results += await notify_cases.dispatcher(500 if quick else 2000)
    if want("documents"):
        results += await document_cases.documents_at_volume(1000)
    if want("import"):
        results += await import_cases.home_office_template(1000)
    if want("pages"):
        scale = (20_000, 30, 2_000) if quick else (200_000, 300, 5_000)  # actions, partnerships, the largest's actions
        databases = tuple("sqlite" if kind == SQLITE else "postgresql" for kind in kinds)
        results += await page_cases.pages_at_volume(*scale, databases=databases)
        if not quick:  # the same pages in a database five times the size: the partnership read is the same size
            results += await page_cases.pages_at_volume(1_000_000, 1_500, 5_000, databases=databases)
    if want("national"):
        scale = (20_000, 30, 2_000) if quick else (200_000, 300, 5_000)
        databases = tuple("sqlite" if kind == SQLITE else "postgresql" for kind in kinds)
        results += await recommendation_cases.national_export_at_volume(*scale, databases=databases)
    return results


if __name__ == "__main__":
    configure_logging(logging.WARNING)
    args = sys.argv[1:]
    only = frozenset(args[i + 1] for i, arg in enumerate(args[:-1]) if arg == "--only")
    print(f"machine at the start: {machine()}")
    table = render(asyncio.run(main(quick="--quick" in args, only=only)))
    print(f"machine at the end: {machine()}")
    print(table)
