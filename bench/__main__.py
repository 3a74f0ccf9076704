"""``python -m bench`` (or ``make bench``): run every case and print the table."""

from __future__ import annotations

import asyncio
import logging
import sys

from bench import (
    cases,
    document_cases,
    import_cases,
    notify_cases,
    page_cases,
    prefect_cases,
    sweep_cases,
    web_cases,
)
from bench.harness import Result, render
from workflows.runtime.observability import configure_logging


async def main(quick: bool) -> list[Result]:
    results: list[Result] = []
    results += await cases.transitions_per_second(500 if quick else 5000)
    results += await cases.seed_imported_many_times(100 if quick else 1000)
    results += await sweep_cases.steady_state(100_000 if quick else 1_000_000)
    results += await sweep_cases.catch_up(20_000 if quick else 1_000_000)
    results += await prefect_cases.sweep_under_prefect((10, 100_000) if quick else (10, 1_000_000))
    results += await notify_cases.transport(500 if quick else 2000)
    results += await notify_cases.dispatcher(500 if quick else 2000)
    results += await web_cases.transitions_over_http(800 if quick else 4000)
    results += await document_cases.documents_at_volume(1000)
    results += await import_cases.home_office_template(1000)
    scale = (20_000, 30, 2_000) if quick else (200_000, 300, 5_000)  # actions, partnerships, the largest's actions
    results += await page_cases.pages_at_volume(*scale, databases=("sqlite", "postgresql"))
    return results


if __name__ == "__main__":
    configure_logging(logging.WARNING)
    print(render(asyncio.run(main(quick="--quick" in sys.argv))))
