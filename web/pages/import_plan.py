"""The coordinator's import page: upload a plan, preview what importing it would do (with its warnings and how
its columns were read), place columns by hand, confirm."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from documents.columns import EXTRA, FIELD_LABELS, merged
from documents.errors import DocumentError
from documents.importer import read_columns
from documents.plan import PlanDraft
from domain.review_kinds import UnknownReviewKind
from web.flash import done_url
from web.pages.common import Coordinator, form_text
from web.plan_uploads import accept_upload, kept, plan_name, read_upload, uploads
from web.security import check_csrf, dhr
from web.templating import render
from workflows.commands.import_plan import ImportReport, import_plan, remembered_mapping
from workflows.context import Principal
from workflows.errors import InvalidInput
from workflows.queries import desk
from workflows.queries.review_kinds import review_kinds

router = APIRouter(include_in_schema=False)


@router.get("/import")
async def import_form(request: Request, principal: Coordinator, done: str = "") -> Response:
    kinds = await review_kinds(dhr(request).reader)
    return await render(
        request, "import.html", principal, here="import", preview=None, flash=done, fields=FIELD_LABELS, kinds=kinds
    )


@dataclass(frozen=True)
class Preview:
    """What the import page shows of a kept upload: how its columns were read, what importing would do, or
    why it cannot be read yet. Every choice the coordinator made is kept for the next round."""

    name: str
    """The file's name as uploaded."""
    stored: str
    """Its content-addressed name in the uploads folder."""
    review: str
    chosen: dict[str, str]
    """Header to field, where the coordinator chose otherwise than the importer read (empty at first)."""
    kind: str = ""
    """The review kind the coordinator chose ("": as the document says)."""
    draft: PlanDraft | None = None
    report: ImportReport | None = None
    error: str = ""
    headers: list[tuple[str, str]] | None = None
    """The header cells of a plan that could not be read, with the field each is read as."""
    auto: dict[str, str] | None = None
    """How the importer read each header before the coordinator chose (kept across previews)."""
    note: str = ""

    @property
    def columns(self) -> list[tuple[str, str]]:
        """Each header with the field it is read as: the draft's reading, else the header cells found."""
        if self.draft is not None:
            return self.draft.columns
        return list(merged(dict(self.headers or []), self.chosen).items())

    def read_before(self, header: str) -> str:
        """How the importer read ``header`` before the coordinator chose: a choice is what differs from it."""
        auto = self.auto if self.auto is not None else dict(self.columns)
        return auto.get(header, dict(self.columns).get(header, EXTRA))


@router.post("/import")
async def import_preview(request: Request, principal: Coordinator) -> Response:
    """Keep the file (content-addressed, its own name kept for the record) and show what importing it would do.

    The form is read here, after ``Coordinator`` has refused anyone else, as
    ``web.pages.transitions.transition_submit`` reads its own: declared form fields would be read, the plan and
    all (up to 11 MB), before that check.
    """
    async with request.form() as form:
        check_csrf(principal, form_text(form, "csrf"))
        plan = form.get("plan")
        if not isinstance(plan, UploadFile):
            raise InvalidInput("choose the plan file to upload")
        name, stored = await accept_upload(request, principal, plan)
        review = form_text(form, "review")
        kind = form_text(form, "kind")[:_LONGEST_KIND]
    preview = await _preview(request, principal, name, stored, review, {}, kind)
    return await _show(request, principal, preview)


@router.post("/import/preview")
async def import_repreview(
    request: Request,
    principal: Coordinator,
    form: Annotated[MappingForm, Depends(MappingForm.read)],
) -> Response:
    """The same upload read again with the columns the coordinator placed and the review they named."""
    stored = kept(request, form.stored)
    preview = await _preview(request, principal, form.name, stored, form.review, form.chosen, form.kind)
    return await _show(request, principal, replace(preview, auto=form.auto or preview.auto))


@router.post("/import/confirm")
async def import_confirm(
    request: Request,
    principal: Coordinator,
    form: Annotated[MappingForm, Depends(MappingForm.read)],
) -> Response:
    """Import the upload as previewed, and remember the columns placed by hand for the partnership. A column
    set otherwise after the preview shows the plan read that way first: nothing imports unseen."""
    stored = kept(request, form.stored)
    if form.changed:
        preview = await _preview(request, principal, form.name, stored, form.review, form.chosen, form.kind)
        note = "a column was set otherwise after the preview: here is the plan read that way; confirm to import it"
        return await _show(request, principal, replace(preview, auto=form.auto, note=note))
    try:
        path = uploads(request) / stored
        draft = await read_upload(request, principal, path, form.name, form.review, form.chosen, form.kind)
        report = await import_plan(
            draft,
            uow_factory=dhr(request).uow,
            clock=dhr(request).clock,
            actor_email=principal.person.email,
            remember=form.chosen,
        )
    except (DocumentError, InvalidInput, UnknownReviewKind) as exc:  # shown with every choice kept, not an error page
        preview = Preview(form.name, stored, form.review, form.chosen, form.kind, error=str(exc), auto=form.auto)
        return await _show(request, principal, await _refused(request, principal, preview))
    named = report.kind.label(report.review_ref) if report.kind else report.review_ref
    done = f"{named}: {len(report.added)} added, {len(report.updated)} updated, {report.unchanged} unchanged"
    return RedirectResponse(done_url("/import", done), status_code=303)


@dataclass(frozen=True)
class MappingForm:
    """The preview form: the kept upload, the review named, and how each column is to be read."""

    stored: str
    name: str
    review: str
    chosen: dict[str, str]
    """Only where the coordinator chose otherwise than the importer read: what is remembered on confirming."""
    auto: dict[str, str]
    changed: bool
    """A column was set otherwise than the preview showed it: the plan is shown again before it imports."""
    kind: str = ""
    """The review kind chosen ("": as the document says)."""

    @classmethod
    async def read(
        cls,
        principal: Coordinator,
        stored: Annotated[str, Form()],
        name: Annotated[str, Form()],
        csrf: Annotated[str, Form()] = "",
        review: Annotated[str, Form()] = "",
        header: Annotated[list[str] | None, Form()] = None,
        auto: Annotated[list[str] | None, Form()] = None,
        shown: Annotated[list[str] | None, Form()] = None,
        field: Annotated[list[str] | None, Form()] = None,
        place_header: Annotated[str, Form()] = "",
        place_field: Annotated[str, Form()] = "",
        kind: Annotated[str, Form()] = "",
    ) -> MappingForm:
        """Raises InvalidInput for a field no plan column can be read as, or more columns than a plan has
        (a forged form)."""
        check_csrf(principal, csrf)
        headers, fields = header or [], field or []
        if len(headers) > _MOST_COLUMNS or len(headers) != len(fields):
            raise InvalidInput("the import form's columns do not match: upload the plan again")
        autos = (auto or []) + [""] * len(headers)
        showns = (shown or []) + [""] * len(headers)
        before: dict[str, str] = {}
        chosen: dict[str, str] = {}
        changed = False
        for text, value, was, previewed in zip(headers, fields, autos, showns, strict=False):
            text = text[:_LONGEST_HEADER]
            for given in (value, was or value):
                if given not in FIELD_LABELS:
                    raise InvalidInput(f"column {text!r}: {given!r} is not a field a column can be read as")
            before[text] = was or value
            changed = changed or value != (previewed or value)
            if value != before[text]:
                chosen[text] = value
        if place_header.strip():
            if (place_field or EXTRA) not in FIELD_LABELS:
                raise InvalidInput(f"{place_field!r} is not a field a column can be read as")
            chosen[place_header.strip()[:_LONGEST_HEADER]] = place_field or EXTRA
            changed = True
        review = review.strip()[:_LONGEST_REVIEW]
        return cls(stored, plan_name(name), review, chosen, before, changed, kind.strip()[:_LONGEST_KIND])


_LONGEST_HEADER = 200
_LONGEST_REVIEW = 80
_LONGEST_KIND = 40
_MOST_COLUMNS = 100


async def _preview(
    request: Request,
    principal: Principal,
    name: str,
    stored: str,
    review: str,
    chosen: dict[str, str],
    kind: str = "",
) -> Preview:
    """A dry run of the kept upload; a file that cannot be read (yet) gives the reason instead."""
    app = dhr(request)
    try:
        draft = await read_upload(request, principal, uploads(request) / stored, name, review, chosen, kind)
        report = await import_plan(
            draft,
            uow_factory=app.uow,
            clock=app.clock,
            actor_email=principal.person.email,
            dry_run=True,
            remember=chosen,
        )
    except (DocumentError, InvalidInput, UnknownReviewKind) as exc:
        return await _refused(request, principal, Preview(name, stored, review, chosen, kind, error=str(exc)))
    return Preview(name, stored, review, chosen, kind, draft, report)


async def _refused(request: Request, principal: Principal, preview: Preview) -> Preview:
    """``preview`` of a plan refused as it stands, with its header cells to place."""
    app = dhr(request)
    mapping = await remembered_mapping(app.reader, partnership=await desk.partnership_name(app.reader, principal))
    headers = await asyncio.to_thread(read_columns, uploads(request) / preview.stored, merged(mapping, preview.chosen))
    return replace(preview, headers=headers)


async def _show(request: Request, principal: Principal, preview: Preview) -> Response:
    """The import page with ``preview``; answered 422 while the plan cannot be imported as it stands."""
    status = 422 if preview.error else 200
    kinds = await review_kinds(dhr(request).reader)
    return await render(
        request, "import.html", principal, status, here="import", preview=preview, fields=FIELD_LABELS, kinds=kinds
    )
