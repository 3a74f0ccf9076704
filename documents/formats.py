"""The plan's file formats, one writer each, and how the files are named and typed."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from documents.export_csv import write_plan_csv
from documents.export_docx import write_plan_docx
from documents.export_pdf import write_plan_pdf
from documents.export_xlsx import write_plan_xlsx
from documents.plan_out import Plan


def plan_csv(plan: Plan) -> bytes:
    """The plan's CSV, UTF-8."""
    text = io.StringIO(newline="")
    write_plan_csv(plan, text)
    return text.getvalue().encode("utf-8")


PLAN_WRITERS: dict[str, Callable[[Plan], bytes]] = {
    "docx": write_plan_docx,
    "xlsx": write_plan_xlsx,
    "pdf": write_plan_pdf,
    "csv": plan_csv,
}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def file_stem(ref: str) -> str:
    """A review reference fit for a file name: ``BDHR2011/12-03`` gives ``BDHR2011-12-03``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ref).strip("-") or "review"


def plan_file_name(plan: Plan, kind: str) -> str:
    return f"{file_stem(plan.review_ref)}-plan{'-public' if plan.public else ''}.{kind}"
