"""The coordinator imports a review's action plan, or previews what importing it would change."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Query, Request, UploadFile

from web.api.common import ERRORS, Caller, Json, api_router
from web.before_body import checked_first
from web.plan_uploads import check_may_import, import_upload
from web.security import api_principal

router = api_router()


async def _may_import(request: Request) -> None:
    """An import's caller, before the plan (up to 11 MB) is read: the coordinator only."""
    check_may_import(await api_principal(request))


@router.post("/imports", responses=ERRORS)
@checked_first(_may_import)
async def import_(
    request: Request,
    caller: Caller,
    plan: Annotated[UploadFile, File(description="The action plan: .txt, .tsv, .docx, .xlsx or .csv")],
    dry_run: Annotated[bool, Query(description="Only say what importing would change")] = False,
    kind: Annotated[
        str,
        Query(
            max_length=40,
            description="The review's kind (dardr, sar, cspr, ...) when the plan's title does not say; one its "
            "title contradicts wins, with a warning",
        ),
    ] = "",
) -> Json:
    """The coordinator imports a review's action plan (or, with ``dry_run``, previews it): added, updated
    and unchanged actions, the review's kind, and the anomalies kept as warnings."""
    report = await import_upload(request, caller, plan, dry_run=dry_run, kind=kind)
    return report.to_json()
