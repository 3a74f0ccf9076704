"""From the rows of any plan document to a ``PlanDraft``: the one interpreter all readers share.

Each reader (text, DOCX, XLSX, CSV) only turns its file into ``RawRow``s: a
location and the row's cells, a paragraph or title line being a one-cell row and
a blank line an empty one. Everything a plan means is decided here, so a Word
table and a spreadsheet of the same plan give the same draft:

- the title block above the first table gives the partnership, the review
  reference and the title;
- a header row (cells naming the Ref and Action columns, see ``columns``) starts
  a table; a one-cell row directly above it (blank rows between allowed), or a
  row worded like "<Agency> - Domestic Homicide Review Action Plan ...", names
  the agency of the section;
- below a header, a row whose Ref cell is a dotted number is an action, and a
  row holding one text only (in its first cell, or merged across the row) is a
  recommendation or theme: the actions below belong to it until the next one or
  the next section;
- lines dhrflow's own export wrote into the progress, RAG and quality-assured
  cells (``documents.live``) are not the plan's text and are left out, so an
  exported plan imports back as the plan it was.

Cells are kept as written, typos included; only whitespace around a cell is
dropped (it is layout, not content). Anomalies become ``PlanWarning``s and the
import goes on; a file that cannot be a plan raises ``PlanImportError``.

A count line ("total 12", "Total: 12", "12 actions in total", the whole text of
a cell) is not plan content but a tally checked against the actions found. It
is read as one in three places: a row of its own; a column without a header
(one tab too many before "total 12"); and the last non-empty cell of the plan's
last action row, whatever its column. The third is a count typed straight onto
the end of the last line: the seed's last row ends in two empty cells, so there
"total 12" lands in the Quality Assured column. That cell is then left empty
(the route is inherited as for any empty cell) and a warning says the text was
moved out of the column. Only that one cell qualifies: the same text anywhere
else in a table (a cell with text after it, a row with actions below) is kept
as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from documents import live
from documents.columns import HeaderMap, normalise_header, read_header
from documents.dates import read_after_event, read_completion, read_milestones, read_target_date
from documents.errors import PlanImportError
from documents.plan import ActionDraft, PlanDraft, PlanWarning, RecommendationDraft
from domain.model import ActionColumns, DottedNumber, Note, Route, Scope, recommendation_numbers


class RawRow(NamedTuple):
    """One row as a reader found it: where it is and its cells, verbatim."""

    location: str
    cells: list[str]


@dataclass
class RawDocument:
    """Everything a reader hands the interpreter."""

    source: str
    """The file name, for messages."""
    rows: list[RawRow]
    warnings: list[PlanWarning] = field(default_factory=list)
    """What the reader noticed (a file read as Windows-1252)."""
    unterminated: bool = False
    """The last row has no line end: a text file that may have been cut short."""


REVIEW_REF = re.compile(r"\b[A-Z]{2,}[ /-]?\d+(?:[/-]\d+)+\b")
"""A review reference: BDHR2011/12-03, DHR 2019-04, SAR/2020/01."""
_ACTION_PLAN_WORDS = re.compile(r"\b(?:multi[- ]agency\s+)?action\s+plan\b", re.IGNORECASE)
_NAMES_A_REVIEW = re.compile(
    r"\b(?:domestic homicide review|domestic abuse related death review|dhr|dardr|review)\b", re.IGNORECASE
)
_LONGEST_REVIEW_NAME = 80
_DOCUMENT_PART = re.compile(r"(?:appendix|annex|annexe|table|part|section|page|schedule)\s*[\w.]{0,5}", re.IGNORECASE)
"""A title naming a part of the document, not an agency: "Appendix 3", "Annex B", "Table 1"."""
_FILLER = re.compile(r"\b(?:in respect of|into|the|death|of|for|a|an|and)\b", re.IGNORECASE)
_COUNT = re.compile(r"(?:total(?:\s+actions?)?\s*[:=]?\s*(\d+)|(\d+)\s+actions?(?:\s+in)?\s+total)", re.IGNORECASE)
"""A count line: "total 12", "Total: 12", "12 actions in total"."""
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")
_AGENCY_ACRONYM = re.compile(r"\(([A-Z]{3,})\)")
_KIND_NAMES = (
    r"domestic homicide review|domestic abuse related death review|dardr"
    r"|safeguarding adults? review|(?:local )?child safeguarding practice review|serious case review"
)
"""The seeded review kinds' names (``review_kind``), as section titles word them: a SAR's plan is laid out as a
DHR's. Which kind a plan is, is read from its title by the kinds' data (``domain.review_kinds``)."""
_TITLE_MARKER = re.compile(rf"(?:^|\s+-?\s*)(?:{_KIND_NAMES}|action plan)\b", re.IGNORECASE)
"""Where an agency's name ends in a section title: "NHS - Domestic Homicide Review Action Plan ..."."""
_REVIEW_PLAN = re.compile(rf"(?:{_KIND_NAMES})\b.*\baction plan\b|\baction plan in respect of\b", re.IGNORECASE)
_AGENCY_LABEL = re.compile(r"agency\s*:\s*", re.IGNORECASE)
_AGENCY_LIST = re.compile(
    r"(?:(?:responsible|lead|partner|participating|contributing|involved)\s+)?agencies(?:\s+\w+){0,2}\s*:",
    re.IGNORECASE,
)
"""A list of the agencies the plan involves ("Responsible agencies: Police; NHS Trust"): kept as a note."""
_RECOMMENDATION = re.compile(r"recommendations?\b", re.IGNORECASE)
_NUMBER_LABEL = re.compile(r"\(?(\d+(?:\.\d+)*)[.)]")
"""A number written as a list label: ``1.``, ``2)``, ``(3)``, ``3.1.1.``."""
_TEMPLATE_HINT = re.compile(
    r"\s*(?:\(?\s*local,?\s*regional,?\s*(?:or|and|/)\s*national(?:\s+level)?\s*\??\s*\)?"
    r"|\(?\s*red,?\s*(?:/\s*)?amber,?\s*(?:/\s*)?(?:or\s+|/\s*)?green\s*\)?"
    r"|(?:e\.g\.|eg\b|please\b|insert\b|enter\b|specify\b|describe\b)[^\n]{0,120}"
    r"|dd/mm/yy(?:yy)?)\s*",
    re.IGNORECASE,
)
"""What the Home Office template writes under its headers for the author to replace."""
_PANEL_QUERY = re.compile(
    r"\s*(?:(?:query|question|comment|feedback)s?\s+(?:from|by|of)\s+(?:the\s+)?home\s+office"
    r"|home\s+office\s+(?:quality[- ]assurance\s+)?(?:panel\s+)?(?:query|question|comment|feedback))",
    re.IGNORECASE,
)
"""A row answering the Home Office quality-assurance panel, in the recommendation column."""
_LISTED_NUMBER = re.compile(r"\s*(?:rec(?:ommendation)?\.?\s*)?(\d+(?:\.\d+)*)[.):]\s", re.IGNORECASE)
"""A recommendation numbered as a list item: "1. When a child and family assessment ..."."""
PLAN_LABEL = "Plan's own ref"
"""The extra column that keeps a plan's label where dhrflow numbered the action itself."""
_REVIEW_HEADING = re.compile(r"\b(?:review|action plan|dardr)\b", re.IGNORECASE)
_QA_BY = re.compile(r"quality\s+assured\s+by\s+(\S+)", re.IGNORECASE)
_MARKUP = "*_# \t"
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "&"})


def interpret(
    document: RawDocument,
    *,
    mapping: dict[str, str] | None = None,
    partnership_short_name: str | None = None,
    review_ref: str | None = None,
) -> PlanDraft:
    """Build the draft plan the rows describe.

    Args:
        document: the rows a reader made of the file.
        mapping: header text to field, from ``--map`` (see ``columns``).
        partnership_short_name: used when no "Quality Assured by <SHORT>" header
            names the partnership; the initials of its name otherwise.
        review_ref: the review, as the coordinator names it (``--review``): for a plan
            that gives neither a code nor a name; a plan whose code differs is refused.

    Returns:
        The draft, with ``source_name`` and ``source_sha256`` left for the caller.

    Raises:
        PlanImportError: the rows are not a plan (no header, no actions, no
            review reference, a row that is neither action nor recommendation...).

    Duplicate refs: the first action with a ref is kept; a later row with the
    same ref is skipped with a warning (a review's refs are unique).
    Identical recommendation rows in different sections are one recommendation.
    A count line ("total 12": a row of its own, a cell in a column without a
    header, or the last cell of the last action row) is compared with the
    actions of the whole plan.
    """
    return _Interpreter(document, mapping or {}).run(partnership_short_name, review_ref)


class _Interpreter:
    """One pass over the rows, holding where in the plan the current row is."""

    def __init__(self, document: RawDocument, mapping: dict[str, str]) -> None:
        self.source = document.source
        self.document = document
        self.mapping = mapping
        self.cells = [[cell.strip() for cell in row.cells] for row in document.rows]
        self.headers: dict[int, HeaderMap] = {}
        self.warnings: list[tuple[int, PlanWarning]] = [(-1, w) for w in document.warnings]
        self.title_lines: list[tuple[int, str]] = []
        self.texts: list[str] = []
        """Title lines, section titles and grouping rows in row order: where the review ref is looked for."""
        self.recommendations: list[RecommendationDraft] = []
        self.recommendation_index: dict[str, int] = {}
        self.actions: list[ActionDraft] = []
        self.action_rows: list[int] = []
        self.agencies: dict[str, None] = {}
        self.refs: dict[str, str] = {}
        self.first_under_header = False
        """The next row is the first under a header: where a template's guidance row sits."""
        self.under_recommendation: dict[int | None, int] = {}
        """Actions so far under each recommendation (by index): an action dhrflow numbers takes the next place."""
        self.lead_read_as_agency: set[HeaderMap] = set()
        """Tables whose lead column is read as the agency (warned once each)."""
        self.written_refs: set[str] = set()
        """Every dotted ref the plan writes in a ref column."""
        self.counts: list[tuple[int, str, int]] = []
        self.notes: list[Note] = []
        """Rows that are not actions but carry content, kept as notes of the plan."""
        self.last_action_row: int | None = None
        """The plan's last row with a dotted ref under a header: where a trailing count line is looked for."""
        self.header_cells: list[str] = []
        """The current header row's cells, to name a column in a warning."""
        self.qa_short_name: str | None = None
        # -- the current table and section
        self.header: HeaderMap | None = None
        self.pending_agency: str | None = None
        """The agency named by a title above the coming header."""
        self.pending_recommendation: tuple[int, str] | None = None
        """A recommendation row above the first header: it applies once the section opens."""
        self.section_agency: str | None = None
        self.last_agency: str | None = None
        self.recommendation: int | None = None
        self.route: Route | None = None
        self.defaulted: list[tuple[int, str]] = []
        """``(row, ref)`` of the section's actions whose route nothing names."""
        self.rows_padded = True
        """Every action row of the table so far is as wide as its header (for the cut-short check)."""

    # -- the pass ------------------------------------------------------------------------------

    def run(self, partnership_short_name: str | None, review_ref: str | None = None) -> PlanDraft:
        rows = self.document.rows
        first = next((i for i, cells in enumerate(self.cells) if any(cells)), None)
        if first is None:
            raise PlanImportError(self.source, rows[0].location if rows else "", "the file is empty")
        self._find_headers()
        next_is_header = self._next_is_header()
        self.last_action_row = self._find_last_action_row()
        for i, cells in enumerate(self.cells):
            if not any(cells):
                continue
            if (header := self.headers.get(i)) is not None:
                self._start_table(i, header)
                self.header_cells = cells
                continue
            lone = _lone_text(cells)
            if lone is not None and (match := _COUNT.fullmatch(lone[1])):
                self._count(i, lone[1], match)
            elif self.header is None:
                self._above_tables(i, cells, lone, next_is_header[i])
            else:
                self._in_table(i, cells, lone, next_is_header[i])
        self._close_section()
        return self._draft(first, partnership_short_name, review_ref)

    def _find_headers(self) -> None:
        rows = self.document.rows
        last = len(rows) - 1
        for i, cells in enumerate(self.cells):
            if len(cells) < 2:
                continue
            header = read_header(cells, self.mapping, source=self.source, location=rows[i].location)
            if header is None:
                continue
            if header.unknown and i == last and self.document.unterminated:  # "Target Date for C": cut mid-cell
                raise PlanImportError(
                    self.source, rows[i].location, "the file ends inside the header row: the file looks cut short"
                )
            self.headers[i] = header
            for name in header.unknown:
                self._warn(
                    i,
                    f"column {name!r} is not one dhrflow knows: kept as written under its header "
                    f'(--map "{name}=FIELD" places it)',
                )
        if not self.headers:
            where = f"{rows[0].location} to {rows[-1].location}"
            raise PlanImportError(
                self.source,
                where,
                "no header row found: a table needs an Action column, and a Ref column or two other columns "
                "dhrflow knows (such as Lead and Target Date)",
            )

    def _next_is_header(self) -> list[bool]:
        """For each row: is the next non-blank row a header row?"""
        result = [False] * len(self.cells)
        upcoming = False
        for i in range(len(self.cells) - 1, -1, -1):
            result[i] = upcoming
            if i in self.headers:
                upcoming = True
            elif any(self.cells[i]):
                upcoming = False
        return result

    def _find_last_action_row(self) -> int | None:
        """The last row whose ref cell, under the header above it, is a dotted number (and every such
        ref, so that an action dhrflow numbers never takes a number the plan uses further down)."""
        header: HeaderMap | None = None
        last = None
        for i, cells in enumerate(self.cells):
            if (found := self.headers.get(i)) is not None:
                header = found
            elif (
                header is not None
                and header.ref is not None
                and header.ref < len(cells)
                and DottedNumber.is_dotted(cells[header.ref])
            ):
                last = i
                self.written_refs.add(cells[header.ref].strip())
        return last

    def _above_tables(self, i: int, cells: list[str], lone: tuple[int, str] | None, before_header: bool) -> None:
        """A row of the title block, or the title of the first section."""
        if lone is not None and lone[1].startswith((live.NOTE_LABEL, *live.PREFACE)):
            if lone[1].startswith(live.NOTE_LABEL):  # a note an export of dhrflow's wrote: the note itself
                self.notes.append(Note(self._location(i), lone[1].removeprefix(live.NOTE_LABEL).strip()))
            return  # the export's own account of itself is not the plan's
        if lone is not None and _AGENCY_LIST.match(lone[1]):
            self.title_lines.append((i, lone[1]))  # "Responsible agencies: ...": a note, not a section's title
            return
        if lone is not None:
            text = lone[1]
            self.texts.append(text)
            if before_header and _RECOMMENDATION.match(text):
                self.pending_recommendation = (i, text)
                return
            if before_header or _is_section_title(text):
                agency = _agency_from_title(text)
                if agency:
                    self.pending_agency = agency
                    return
            self.title_lines.append((i, text))
            return
        filled = [cell for cell in cells if cell]
        if DottedNumber.is_dotted(filled[0]):
            raise PlanImportError(
                self.source, self._location(i), f"action row {filled[0]} comes before any header row (Ref, Action, ...)"
            )
        text = " ".join(filled)
        self.texts.append(text)
        self.title_lines.append((i, text))

    def _in_table(self, i: int, cells: list[str], lone: tuple[int, str] | None, before_header: bool) -> None:
        header = self.header
        assert header is not None  # only called below a header
        first_under_header, self.first_under_header = self.first_under_header, False
        if first_under_header and all(_TEMPLATE_HINT.fullmatch(cell) for cell in cells if cell):
            self._warn(i, "the template's guidance row (what to write in each column): not an action, left out")
            return
        if header.ref is None:
            self._in_table_without_refs(i, header, cells, lone, before_header)
            return
        ref = cells[header.ref] if header.ref < len(cells) else ""
        if lone is None:
            self._row_recommendation(i, header, cells)
        if (number := _NUMBER_LABEL.fullmatch(ref)) is not None:
            ref = number.group(1)  # "1.", "2)", "(3)": the number it labels
        if ref and DottedNumber.is_dotted(ref):
            self._action(i, header, cells, ref)
            return
        if lone is not None and (lone[0] == 0 or lone[0] == header.ref):
            self._lone_in_table(i, lone[1], before_header)
            return
        if ref:  # a label that is no number ("a)", "Rec 3"), on a row with more than the label
            numbered = self._number_for()
            self._warn(
                i,
                f"ref {ref!r} is not a number such as 3.1.1: dhrflow numbers this action {numbered} and keeps {ref!r}",
            )
            self._action(i, header, cells, numbered, label=ref, numbered=True)
            return
        problem = (
            "row has text but no ref (such as 3.1.1) and is not a recommendation row: "
            "is the file cut short or a row split in two?"
        )
        raise PlanImportError(self.source, self._location(i), problem)

    def _lone_in_table(self, i: int, text: str, before_header: bool) -> None:
        """A row of one text below a header: the next table's title, a section title or a recommendation."""
        self.texts.append(text)
        if before_header and not _RECOMMENDATION.match(text):
            # The title of the next table; a title naming no agency ("continued") keeps the section.
            self.pending_agency = _agency_from_title(text)
        elif _is_section_title(text):
            self._open_section(_agency_from_title(text))
        else:
            self._grouping(i, text)

    def _in_table_without_refs(
        self, i: int, header: HeaderMap, cells: list[str], lone: tuple[int, str] | None, before_header: bool
    ) -> None:
        """A row of a table without a Ref column: an action wherever its Action cell has text, unless it is
        a row of one text that reads as a recommendation, a section or the next table's title."""
        action = next(index for index, name in header.columns if name == "action")
        if lone is not None and (
            lone[0] != action or _RECOMMENDATION.match(lone[1]) or _is_section_title(lone[1]) or before_header
        ):
            self._lone_in_table(i, lone[1], before_header)
            return
        column = header.recommendation
        if column is not None and column < len(cells) and _PANEL_QUERY.match(cells[column]):
            self.notes.append(Note(self._location(i), " | ".join(cell for cell in cells if cell)))
            self._warn(
                i,
                "a query of the Home Office quality-assurance panel and its answer: not an action, "
                "kept as a note of the plan",
            )
            return
        if action < len(cells) and cells[action]:
            self._row_recommendation(i, header, cells)
            self._action(i, header, cells, self._number_for(), numbered=True)
            return
        raise PlanImportError(
            self.source,
            self._location(i),
            "row has text but no action text and is not a recommendation row: is a row split in two?",
        )

    def _row_recommendation(self, i: int, header: HeaderMap, cells: list[str]) -> None:
        """A recommendation written in the row's own column: a new one where the cell has text; blank (or
        a merged cell read once), the one above carries on."""
        column = header.recommendation
        if column is not None and column < len(cells) and cells[column]:
            self.texts.append(cells[column])
            self._grouping(i, cells[column])

    def _number_for(self) -> str:
        """A ref for an action the plan labels without a number: the recommendation's number, then the
        action's place under it (``8.2``); without a numbered recommendation, the next whole number."""
        text = self.recommendations[self.recommendation].text if self.recommendation is not None else ""
        numbers = recommendation_numbers(text) if text else ()
        if not numbers and (listed := _LISTED_NUMBER.match(text)):
            numbers = (DottedNumber.parse(listed.group(1)),)
        if numbers:
            base = str(numbers[0])
            place = 1 + self.under_recommendation.get(self.recommendation, 0)
            while f"{base}.{place}" in self.refs or f"{base}.{place}" in self.written_refs:
                place += 1
            return f"{base}.{place}"
        place = len(self.actions) + 1
        while str(place) in self.refs or str(place) in self.written_refs:
            place += 1
        return str(place)

    # -- what rows mean ------------------------------------------------------------------------

    def _start_table(self, i: int, header: HeaderMap) -> None:
        if self.pending_agency is not None or self.header is None:
            self._close_section()
            self.section_agency = self.pending_agency
            self._reset_section()
        # else: a header repeated without a title (a new page, a table per recommendation) continues the section
        if self.pending_recommendation is not None:
            self._grouping(*self.pending_recommendation)
        self.pending_agency = self.pending_recommendation = None
        self.header = header
        self.first_under_header = True
        self.rows_padded = True
        if header.ref is None:
            self._warn(
                i,
                "this table has no Ref column: dhrflow numbers its actions "
                "(1.1, 1.2, 2.1 under numbered recommendations, else 1, 2, 3)",
            )
        if self.qa_short_name is None and (match := _QA_BY.fullmatch(header.qa_header)):
            self.qa_short_name = match.group(1)

    def _open_section(self, agency: str | None) -> None:
        """A section title below a header: a new agency under the same columns."""
        self._close_section()
        self.section_agency = agency
        self._reset_section()

    def _reset_section(self) -> None:
        self.last_agency = None
        self.recommendation = None
        self.route = None
        self.defaulted = []

    def _close_section(self) -> None:
        if self.defaulted:
            i = self.defaulted[0][0]
            refs = ", ".join(ref for _, ref in self.defaulted)
            self._warn(i, f"no route given for {refs}: defaulted to commissioner verification (the stricter check)")
            self.defaulted = []

    def _grouping(self, i: int, text: str) -> None:
        index = self.recommendation_index.get(text)
        if index is None:
            index = len(self.recommendations)
            self.recommendations.append(RecommendationDraft(text=text, location=self._location(i)))
            self.recommendation_index[text] = index
        self.recommendation = index

    def _action(
        self, i: int, header: HeaderMap, cells: list[str], ref: str, *, label: str | None = None, numbered: bool = False
    ) -> None:
        location = self._location(i)
        if (first := self.refs.get(ref)) is not None:
            self._warn(i, f"duplicate ref {ref} (first at {first}): this row is skipped")
            return
        self.refs[ref] = location
        self._check_cut_short(i, header)
        if i == self.last_action_row:
            cells = self._trailing_count(i, header, cells)
        columns = ActionColumns(
            extra={text: cells[index] if index < len(cells) else "" for index, text in header.extras}
        )
        for index, name in header.columns:
            if index < len(cells):
                setattr(columns, name, live.without_lines(cells[index]) if name in live.LIVE_FIELDS else cells[index])
        columns.extra.update(self._stray_cells(i, header, cells))
        if label is not None:
            columns.extra[PLAN_LABEL] = label
        target_date = self._target_date(i, columns)
        self._scope(i, header, cells, columns)
        self._addressee(header, cells)
        reported, reported_on = self._completion(header, cells, columns)
        agency = self._agency(i, header, cells, ref)
        self.agencies.setdefault(agency)
        self.actions.append(
            ActionDraft(
                ref=ref,
                agency=agency,
                columns=columns,
                target_date=target_date,
                route=self._route(i, ref, columns.quality_assured_by),
                location=location,
                recommendation=self.recommendation,
                reported_complete=reported,
                reported_complete_on=reported_on,
                target_after=read_after_event(columns.target_date_text) if target_date is None else None,
                numbered=numbered,
            )
        )
        self.action_rows.append(i)
        self.under_recommendation[self.recommendation] = self.under_recommendation.get(self.recommendation, 0) + 1

    def _target_date(self, i: int, columns: ActionColumns) -> date | None:
        """The date the target cell gives; for a cell of several dated steps, the last step's."""
        target_date, problem = read_target_date(columns.target_date_text)
        if problem is None:
            return target_date
        steps, moved = read_milestones(columns.target_date_text, columns.action)
        if not steps:
            self._warn(i, problem)
            return None
        for message in moved:
            self._warn(i, message)
        return next((step.due for step in reversed(steps) if step.due is not None), None)

    def _scope(self, i: int, header: HeaderMap, cells: list[str], columns: ActionColumns) -> None:
        """The scope cell: local, regional or national, for the row's recommendation; anything else is kept
        as written under its header."""
        if header.scope is None or header.scope >= len(cells) or not (text := cells[header.scope]):
            return
        scope = Scope.read(text)
        name = self.header_cells[header.scope] if header.scope < len(self.header_cells) else "Scope"
        if scope and self.recommendation is not None:
            recommendation = self.recommendations[self.recommendation]
            recommendation.scope = tuple(s for s in Scope if s in scope or s in recommendation.scope)
            return
        columns.extra[name] = text
        why = "names neither local, regional nor national" if not scope else "belongs to no recommendation"
        self._warn(i, f"scope {text!r} {why}: kept as written under {name!r}")

    def _addressee(self, header: HeaderMap, cells: list[str]) -> None:
        """The addressee cell: the body the row's recommendation is addressed to (the first the plan gives)."""
        if header.addressee is None or header.addressee >= len(cells) or self.recommendation is None:
            return
        recommendation = self.recommendations[self.recommendation]
        if cells[header.addressee].strip() and not recommendation.addressee:
            recommendation.addressee = cells[header.addressee].strip()

    def _completion(self, header: HeaderMap, cells: list[str], columns: ActionColumns) -> tuple[bool, date | None]:
        """Whether the plan reports the action done (a date of completion, "Completed: 31 October 2016" in
        its progress, "Complete" as its status), and on which day."""
        if header.completion is not None and header.completion < len(cells):
            reported, on = read_completion(cells[header.completion], column=True)
            if reported:
                return reported, on
        for text in (columns.outcome_progress, columns.status_rag):
            reported, on = read_completion(text)
            if reported:
                return reported, on
        return False, None

    def _agency(self, i: int, header: HeaderMap, cells: list[str], ref: str) -> str:
        """The agency column's cell; empty, the one above (a merged cell); else the section's. In a plan
        whose titles name no agency, a "Lead Agency" column (with no Agency column) names it."""
        column = header.agency
        if column is None and header.lead_agency is not None and self.section_agency is None:
            column = header.lead_agency
        elif column is None and self.section_agency is None and header.lead is not None:
            column = header.lead  # one table for all, no agency column: the lead column names it
            if header not in self.lead_read_as_agency:
                self.lead_read_as_agency.add(header)
                name = self.header_cells[header.lead] if header.lead < len(self.header_cells) else "Lead"
                self._warn(
                    i,
                    f"no Agency column and no agency title: the {name!r} column is read as each action's agency "
                    f'(--map "{name}=agency" says so; an Agency column or a title naming the agency overrides it)',
                )
        cell = cells[column] if column is not None and column < len(cells) else ""
        agency = cell or self.last_agency or self.section_agency
        if not agency:
            raise PlanImportError(
                self.source,
                self._location(i),
                f"action {ref} has no agency: put the agency's name on a title line above the table, "
                "add an Agency column, or read a column as the agency "
                '(--map "Header=agency", or "Read as: Agency" on the import page)',
            )
        self.last_agency = agency
        return agency

    def _route(self, i: int, ref: str, text: str) -> Route:
        """The route the quality-assured cell names; an empty cell inherits the one above (a merged cell)."""
        folded = text.casefold()
        if "commissioner" in folded:
            self.route = Route.COMMISSIONER
        elif "final audit" in folded:
            self.route = Route.FINAL_AUDIT
        elif self.route is None:
            self.defaulted.append((i, ref))
            if text:
                self._warn(i, f"{text!r} in the quality-assured column names no route (commissioners or final audit)")
            return Route.COMMISSIONER
        elif text:
            self._warn(
                i,
                f"{text!r} in the quality-assured column names no route (commissioners or final audit): "
                f"{self.route.value} kept from the action above",
            )
        return self.route

    def _stray_cells(self, i: int, header: HeaderMap, cells: list[str]) -> dict[str, str]:
        """Text in a column without a header: a count line is checked; anything else is kept as an extra
        column named "Column N" (its place in the row), with a warning."""
        stray = [index for index in header.unnamed if index < len(cells) and cells[index]]
        stray += [index for index in range(header.width, len(cells)) if cells[index]]
        kept: dict[str, str] = {}
        for index in stray:
            text = cells[index]
            if match := _COUNT.fullmatch(text):
                self._count(i, text, match)
            else:
                kept[f"Column {index + 1}"] = text
                self._warn(i, f"text in column {index + 1}, which has no header, kept as 'Column {index + 1}'")
        return kept

    def _trailing_count(self, i: int, header: HeaderMap, cells: list[str]) -> list[str]:
        """The cells without a count line typed onto the end of the row, in a column with a header.

        Only the last non-empty cell is looked at; one in a column without a
        header is left for ``_stray_cells``.
        """
        index = next((n for n in range(len(cells) - 1, -1, -1) if cells[n]), None)
        if index is None or index >= header.width or index in header.unnamed or index == header.ref:
            return cells
        text = cells[index]
        if not (match := _COUNT.fullmatch(text)):
            return cells
        self._count(i, text, match)
        name = self.header_cells[index] if index < len(self.header_cells) else ""
        column = f"column {index + 1} ({name})" if name else f"column {index + 1}"
        self._warn(
            i,
            f"{text!r} ends the last action row, in {column}: read as a count line and moved out of that column",
        )
        return [*cells[:index], "", *cells[index + 1 :]]

    def _count(self, i: int, text: str, match: re.Match[str]) -> None:
        self.counts.append((i, text, int(match.group(1) or match.group(2))))

    def _check_cut_short(self, i: int, header: HeaderMap) -> None:
        """A last row narrower than its header, in a file whose rows are padded to it, ending without a line end."""
        narrow = len(self.document.rows[i].cells) < header.width
        if narrow and self.rows_padded and self.document.unterminated and i == len(self.cells) - 1:
            raise PlanImportError(
                self.source,
                self._location(i),
                f"the row stops after {len(self.document.rows[i].cells)} of {header.width} columns "
                "and the file ends without a line end: the file looks cut short",
            )
        self.rows_padded = self.rows_padded and not narrow

    # -- the plan as a whole -------------------------------------------------------------------

    def _draft(self, first: int, partnership_short_name: str | None, given_ref: str | None) -> PlanDraft:
        if not self.actions:
            location = next(iter(self.headers.values())).location
            raise PlanImportError(self.source, location, "no action rows (refs such as 3.1.1) found below the header")
        review_ref = self._review_ref(first, (given_ref or "").strip() or None)
        for i, text, number in self.counts:
            if number != len(self.actions):
                self._warn(i, f"{text!r} but {len(self.actions)} actions found")
        self._check_agency_spellings()
        name, name_rows = _partnership_name(self.title_lines)
        notes = [
            Note(self._location(i), text)
            for i, text in self.title_lines
            if i not in name_rows and not _is_review_heading(text) and not _DOCUMENT_PART.fullmatch(text.strip(_MARKUP))
        ]
        reported = [a.ref for a in self.actions if a.reported_complete]
        if reported:
            self._warn(
                self.action_rows[0],
                f"the plan reports {len(reported)} action(s) complete ({', '.join(reported[:10])}"
                f"{', ...' if len(reported) > 10 else ''}): imported open and listed as reported complete "
                "until the partnership checks the evidence",
            )
        if not name:
            self._warn(first, "no partnership name found in the title lines")
        short_name = self.qa_short_name or partnership_short_name or _initials(name)
        self.warnings.sort(key=lambda item: item[0])
        return PlanDraft(
            partnership_name=name,
            partnership_short_name=short_name,
            review_ref=review_ref,
            title=_title(self.title_lines, review_ref),
            agencies=list(self.agencies),
            recommendations=self.recommendations,
            actions=self.actions,
            warnings=[warning for _, warning in self.warnings],
            notes=[*notes, *self.notes],
            columns=self._column_readings(),
        )

    def _column_readings(self) -> list[tuple[str, str]]:
        """Each header spelling of the plan's tables, once, with the field it was read as."""
        seen: dict[str, tuple[str, str]] = {}
        for header in self.headers.values():
            for text, name in header.readings:
                seen.setdefault(normalise_header(text), (text, name))
        return list(seen.values())

    def _review_ref(self, first: int, given: str | None) -> str:
        """The review's code where the plan writes one; else the reference the coordinator gave; else the
        name the plan gives it ("Domestic Homicide Review 7"); else the coordinator is asked for one."""
        code = next((m.group(0) for text in self.texts if (m := REVIEW_REF.search(text))), None)
        if code is not None and given is not None and code.casefold() != given.casefold():
            raise PlanImportError(
                self.source, self._location(first), f"the plan is review {code}'s, not {given}'s (--review)"
            )
        if code is not None or given is not None:
            return code or given or ""
        labelled = next((text for _, text in self.title_lines if text.startswith(live.REVIEW_LABEL)), None)
        if labelled is not None and (named := labelled.removeprefix(live.REVIEW_LABEL).strip()):
            return named  # the line dhrflow's own export writes: the review, by the reference it has
        name = next((found for _, text in self.title_lines if (found := _review_name(text))), None)
        if name is None:
            raise PlanImportError(
                self.source,
                self._location(first),
                "no review reference (such as DHR 2019-04) or name (such as Domestic Homicide Review 7) "
                "in the title lines: give the review's reference (--review REF, or the import page's Review reference)",
            )
        self._warn(first, f"the plan gives no review code: the review is named {name!r} (--review REF names it)")
        return name

    def _check_agency_spellings(self) -> None:
        """An acronym one slip away from an agency's ("BSMFHT" for "BSMHFT") is reported, never corrected."""
        known = {acronym for agency in self.agencies for acronym in _AGENCY_ACRONYM.findall(agency)}
        if not known:
            return
        for i, action in zip(self.action_rows, self.actions, strict=True):
            text = f"{action.ref} {action.columns.action} {action.columns.lead}"
            for token in dict.fromkeys(_ACRONYM.findall(text)):
                if token in known:
                    continue
                for acronym in sorted(known):
                    if _one_slip(token, acronym):
                        self._warn(i, f"{token!r} looks like a misspelling of agency {acronym!r} (kept as written)")
                        break

    def _warn(self, i: int, message: str) -> None:
        self.warnings.append((i, PlanWarning(self._location(i), message)))

    def _location(self, i: int) -> str:
        return self.document.rows[i].location


# -- pure helpers ------------------------------------------------------------------------------


def _lone_text(cells: list[str]) -> tuple[int, str] | None:
    """``(index, text)`` when every non-empty cell holds the same text (one cell, or merged cells)."""
    first = -1
    text = ""
    for index, cell in enumerate(cells):
        if not cell:
            continue
        if first < 0:
            first, text = index, cell
        elif cell != text:
            return None
    return (first, text) if first >= 0 else None


def _is_section_title(text: str) -> bool:
    """Worded like a section title even without a header below it."""
    if _AGENCY_LABEL.match(text):
        return True
    if _RECOMMENDATION.match(text) or not _REVIEW_PLAN.search(text):
        return False
    agency = _agency_from_title(text)
    return agency is not None and ":" not in agency


def _agency_from_title(text: str) -> str | None:
    """The agency a section title names, or None ("Action Plan", "DHR 2019-04 Action Plan")."""
    text = text.strip(_MARKUP)
    if label := _AGENCY_LABEL.match(text):
        agency = text[label.end() :]
    elif marker := _TITLE_MARKER.search(text):
        agency = text[: marker.start()]
    else:
        agency = text
    agency = REVIEW_REF.sub("", agency).strip(" -–" + _MARKUP)
    if not agency or _DOCUMENT_PART.fullmatch(agency) or _NAMES_A_REVIEW.search(agency):
        return None  # "Appendix 3 - Action Plan", "Domestic Homicide Review 7 - action plan": no agency
    return agency


def _partnership_name(title_lines: list[tuple[int, str]]) -> tuple[str, set[int]]:
    """The leading title lines up to the partnership's name ("**BIRMINGHAM COMMUNITY" / "SAFETY PARTNERSHIP**").

    A name runs over consecutive lines until a line says "Partnership", a bold
    run closes, a blank line or a review heading comes. Returns the name and the rows it takes.
    """
    parts: list[str] = []
    used: set[int] = set()
    bold = False
    previous = -2
    for i, text in title_lines:
        if not parts and _AGENCY_LIST.match(text):
            continue  # "Responsible agencies: ..." above the name: a note, not the partnership
        if parts and not bold and i != previous + 1:
            break
        if not bold and _is_review_heading(text):
            break
        parts.append(text)
        used.add(i)
        previous = i
        if text.count("**") % 2:
            bold = not bold
        if not bold and ("partnership" in text.casefold() or text.endswith("**")):
            break
    name = " ".join(" ".join(part.replace("**", " ").strip(_MARKUP).split()) for part in parts).strip()
    if name.isupper():
        words = name.lower().split()
        name = " ".join(w if n and w in _SMALL_WORDS else w[:1].upper() + w[1:] for n, w in enumerate(words))
    return name, used


def _review_name(text: str) -> str | None:
    """The review a title line names without a code: "Domestic Homicide Review 7 - action plan" gives
    "Domestic Homicide Review 7", "Action plan: DHR 'Sarah'" gives "DHR 'Sarah'"; a line naming no review
    ("Appendix B Multi-agency Action Plan") gives None."""
    around = _ACTION_PLAN_WORDS.split(text, maxsplit=1)
    for part in around:
        name = part.strip(" \t-–—:,;.")
        if not _NAMES_A_REVIEW.search(name) or len(name) > _LONGEST_REVIEW_NAME:
            continue
        rest = _FILLER.sub(" ", _NAMES_A_REVIEW.sub(" ", name))
        if any(ch.isalnum() for ch in rest):  # "Domestic Homicide Review" alone names none in particular
            return " ".join(name.split())
    return None


def _title(title_lines: list[tuple[int, str]], review_ref: str) -> str:
    """The review's heading lines joined ("Domestic Homicide Review BDHR2011/12-03 Action Plan")."""
    parts = [
        text.strip(_MARKUP)
        for _, text in title_lines
        if _is_review_heading(text) and not text.startswith(live.REVIEW_LABEL)
    ]
    return " ".join(part for part in parts if part) or f"{review_ref} Action Plan"


def _is_review_heading(text: str) -> bool:
    return bool(REVIEW_REF.search(text) or _REVIEW_HEADING.search(text))


def _initials(name: str) -> str:
    return "".join(
        word[0].upper() for word in name.split() if word.casefold() not in _SMALL_WORDS and word[0].isalpha()
    )


def _one_slip(token: str, known: str) -> bool:
    """Two adjacent letters swapped, or (for acronyms of 4+ letters) one letter changed, added or lost."""
    if token == known:
        return False
    if len(token) == len(known):
        diffs = [n for n in range(len(token)) if token[n] != known[n]]
        if len(diffs) == 2:
            a, b = diffs
            return b == a + 1 and token[a] == known[b] and token[b] == known[a]
        return len(diffs) == 1 and len(known) >= 4
    if abs(len(token) - len(known)) == 1 and min(len(token), len(known)) >= 4:
        shorter, longer = sorted((token, known), key=len)
        return any(longer[:n] + longer[n + 1 :] == shorter for n in range(len(longer)))
    return False
