"""An uploaded action plan, as the import page and the API's import take it: checked (the coordinator's, a plan
file's type, at most 10 MB, a name without control characters), kept content-addressed until it is confirmed
(``workflows.commands.import_plan.keep_upload``), and read for the coordinator's own partnership."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile

from documents.columns import merged
from documents.errors import DocumentError
from documents.importer import read_plan
from documents.plan import PlanDraft
from domain.characters import refused_character
from domain.evidence import safe_name
from domain.roles import Role
from web.security import dhr
from workflows.commands.import_plan import UPLOADED_NAME, ImportReport, import_plan, keep_upload, remembered_mapping
from workflows.context import Principal
from workflows.errors import InvalidInput, NotVisible
from workflows.queries import desk

PLAN_TYPES = (".txt", ".tsv", ".docx", ".xlsx", ".csv")
MAX_PLAN_BYTES = 10 * 1024 * 1024


def check_may_import(principal: Principal) -> None:
    """Raises NotVisible unless the person is the coordinator: checked before an upload's body is read."""
    if principal.person.role is not Role.COORDINATOR:
        raise NotVisible("importing a plan is the partnership's coordinator's")


def uploads(request: Request) -> Path:
    """The folder the uploads are kept in until they are confirmed."""
    return dhr(request).settings.data_dir / "uploads"


def plan_name(name: str) -> str:
    """An uploaded plan's own name (``safe_name``), shown on the preview and named in its warnings.

    Raises:
        InvalidInput: the name holds a control or bidi character (``plan\\u202excod.txt`` shows as
            "plantxt.docx").
    """
    shown = safe_name(name)
    problem = refused_character(shown)
    if problem:
        raise InvalidInput(f"plan file {shown!r}: {problem}")
    return shown


async def accept_upload(request: Request, principal: Principal, plan: UploadFile) -> tuple[str, str]:
    """Check an uploaded plan's type and size and keep it content-addressed: its name as uploaded and its
    stored name.

    Raises:
        NotVisible: the person is not the coordinator.
        InvalidInput: not a plan file, too large, or a name holding a control or bidi character.
    """
    check_may_import(principal)
    name = plan_name(plan.filename or "plan")
    suffix = Path(name.lower()).suffix
    if suffix not in PLAN_TYPES:
        raise InvalidInput(f"{name}: a plan is a {', '.join(PLAN_TYPES)} file")
    content = await plan.read(MAX_PLAN_BYTES + 1)
    if len(content) > MAX_PLAN_BYTES:
        raise InvalidInput(f"{name} is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB")
    stored = f"{hashlib.sha256(content).hexdigest()}{suffix}"
    await asyncio.to_thread(keep_upload, uploads(request), stored, content)
    return name, stored


async def import_upload(
    request: Request, principal: Principal, plan: UploadFile, *, dry_run: bool, review: str = "", kind: str = ""
) -> ImportReport:
    """Keep an uploaded plan and import it (or show what would change), reading its columns as the partnership
    remembers them: the API's import. ``kind`` is the review's kind when the document does not say it (or says
    otherwise: the kind given wins, with a warning).

    Raises:
        NotVisible: the person is not the coordinator.
        InvalidInput, DocumentError: not a plan file, too large, unreadable, or another partnership's.
        UnknownReviewKind: ``kind`` is not a review kind.
    """
    name, stored = await accept_upload(request, principal, plan)
    draft = await read_upload(request, principal, uploads(request) / stored, name, review, {}, kind)
    app = dhr(request)
    return await import_plan(
        draft, uow_factory=app.uow, clock=app.clock, actor_email=principal.person.email, dry_run=dry_run
    )


def kept(request: Request, stored: str) -> str:
    """The stored name of an upload still kept; refused for any other name (no path from a form is opened)."""
    if not UPLOADED_NAME.match(stored) or not (uploads(request) / stored).is_file():
        raise InvalidInput("that upload is gone: upload the plan again")
    return stored


async def read_upload(
    request: Request,
    principal: Principal,
    path: Path,
    name: str,
    review: str,
    chosen: dict[str, str],
    kind: str = "",
) -> PlanDraft:
    """Read ``path`` (named ``name`` as uploaded) for the coordinator's own partnership only, its columns
    placed as the partnership remembers them and as chosen now; ``review`` names the review of a plan that
    gives it no code or name, ``kind`` its kind ("": as the document says).

    Raises:
        InvalidInput: unreadable, or another partnership's plan.
    """
    app = dhr(request)
    mine = await desk.partnership_name(app.reader, principal)
    mapping = merged(await remembered_mapping(app.reader, partnership=mine), chosen)
    try:
        draft = await asyncio.to_thread(
            read_plan, path, mapping=mapping, partnership_short_name=mine, review_ref=review.strip() or None
        )
    except DocumentError as exc:  # it names the kept file; the coordinator knows the file by the name they sent
        raise InvalidInput(str(exc).replace(str(path), name).replace(path.name, name)) from None
    # the decision records the name the coordinator knows the file by
    draft = replace(draft, source_name=name, kind=kind.strip())
    if draft.partnership_short_name.lower() != mine.lower():
        raise InvalidInput(f"{name} is {draft.partnership_short_name}'s plan, not {mine}'s")
    return draft
