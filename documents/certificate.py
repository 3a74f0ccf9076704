"""The final-audit sign-off certificate: which plan was signed, by whom, when, and the hash that proves it.

The frozen snapshot's SHA-256 is recomputed when the certificate is made, and
the decision log's chain checked again: the certificate says whether both still
hold, not only what was recorded at the time. It prints the log's head at
sign-off (the sign-off decision) and now, for ``dhrflow log verify --expect-head``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from documents.plan_out import long_date
from domain.log_head import LogHead
from domain.review_kinds import ReviewKind, described

# documents.pdf (fpdf) and documents.templating (jinja2) are imported by the writers below: the
# certificate's data is read by use cases and commands that never write one.


@dataclass(frozen=True)
class Certificate:
    partnership: str
    short_name: str
    review_ref: str
    title: str
    signed_by: str
    signed_role: str
    signed_at: datetime
    """In England and Wales time."""
    snapshot_sha256: str
    """As recorded at sign-off."""
    snapshot_matches: bool
    """The frozen snapshot, hashed again now, gives ``snapshot_sha256``."""
    logged_sha256: str
    """The hash the ``plan_signed_off`` decision in the log names."""
    decision_seq: int
    decision_hash: str
    log_head_seq: int
    log_head_hash: str
    """The decision log's head when the plan was frozen (inside the snapshot)."""
    head_now: LogHead
    """The decision log's head when the certificate was made."""
    actions_by_state: dict[str, int]
    chain_ok: bool
    chain_checked: int
    chain_problem: str = ""
    kind: ReviewKind | None = None
    """The review's kind: its name heads the certificate."""
    former_name: str = ""
    """The former name the plan calls its kind by ("Domestic Homicide Review"), said beside the kind's."""

    @property
    def heading(self) -> str:
        """ "Domestic Abuse Related Death Review: final audit sign-off certificate"."""
        return (
            f"{self.kind.name}: final audit sign-off certificate" if self.kind else "Final audit sign-off certificate"
        )

    @property
    def review_label(self) -> str:
        """ "DARDR BDHR2011/12-03"."""
        return self.kind.label(self.review_ref) if self.kind else self.review_ref

    @property
    def holds(self) -> bool:
        """Everything checked agrees: snapshot, log entry and chain."""
        return self.snapshot_matches and self.logged_sha256 == self.snapshot_sha256 and self.chain_ok

    @property
    def signed_head(self) -> LogHead:
        """The log's head at sign-off: the sign-off decision, the last one its transaction wrote."""
        return LogHead(self.short_name, self.decision_seq, self.decision_hash)

    def findings(self) -> list[str]:
        """What the checks made now found, one sentence each."""
        found = [
            "The frozen plan hashes to the recorded SHA-256."
            if self.snapshot_matches
            else "The frozen plan no longer hashes to the recorded SHA-256: it was altered.",
            f"The sign-off decision (seq {self.decision_seq}) in the decision log names the same SHA-256."
            if self.logged_sha256 == self.snapshot_sha256
            else f"The sign-off decision (seq {self.decision_seq}) names another SHA-256: {self.logged_sha256}.",
            f"The decision log's hash chain holds ({self.chain_checked} decisions checked)."
            if self.chain_ok
            else f"The decision log's hash chain is broken: {self.chain_problem}",
        ]
        return found

    def rows(self) -> list[tuple[str, str]]:
        states = ", ".join(f"{n} {state.replace('_', ' ')}" for state, n in sorted(self.actions_by_state.items()))
        kind = [("Kind of review", described(self.kind, self.former_name))] if self.kind else []
        return [
            ("Partnership", f"{self.partnership} ({self.short_name})"),
            ("Review", self.review_label),
            *kind,
            ("Plan", self.title),
            ("Actions at sign-off", states),
            ("Signed off by", f"{self.signed_by} ({self.signed_role})"),
            ("Signed off at", f"{long_date(self.signed_at.date())}, {self.signed_at:%H:%M} (UK time)"),
            ("Snapshot SHA-256", self.snapshot_sha256),
            ("Sign-off decision", f"seq {self.decision_seq}, hash {self.decision_hash}"),
            ("Decision log head when frozen", f"seq {self.log_head_seq}, hash {self.log_head_hash}"),
            ("Decision log head at sign-off", f"{self.signed_head} (the sign-off decision)"),
            ("Decision log head now", f"{self.head_now} (when this certificate was made)"),
        ]


LABEL_WIDTH = 52
"""Millimetres for the labels' column; a longer label wraps within it."""
LABEL_GAP = 4


def certificate_html(certificate: Certificate) -> str:
    from documents.templating import render

    return render("certificate.html.j2", c=certificate)


def certificate_pdf(certificate: Certificate, *, core_font: bool = False) -> bytes:
    from documents.pdf import Document

    pdf = Document(f"{certificate.review_label} sign-off certificate", landscape=False, core_font=core_font)
    pdf.line_of(certificate.partnership, 12, "B", 7)
    pdf.line_of(certificate.heading, 16, "B", 9)
    pdf.line_of(certificate.title, 11, "", 6)
    pdf.ln(4)
    for label, value in certificate.rows():
        # The label and its value side by side, each wrapped in its own column and left-aligned (a long
        # label such as "Decision log head when frozen" ran into its value in a fixed-width cell).
        top = pdf.get_y()
        pdf.font(9, "B")
        pdf.multi_cell(LABEL_WIDTH, 5, pdf.text_of(label), align="L", new_x="LMARGIN", new_y="NEXT")
        label_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + LABEL_WIDTH + LABEL_GAP, top)
        pdf.font(9)
        pdf.multi_cell(0, 5, pdf.text_of(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), label_bottom))
        pdf.ln(1)
    pdf.ln(4)
    verdict = "Verified now" if certificate.holds else "NOT VERIFIED"
    pdf.line_of(verdict, 12, "B", 7)
    for finding in certificate.findings():
        pdf.line_of(finding, 9, "", 5)
    pdf.ln(4)
    pdf.line_of(
        "The SHA-256 is taken over the canonical JSON of the plan frozen at sign-off (every action's columns, "
        "state and version, and the decision log's head). Keep the head at sign-off with this certificate: at any "
        f"later date, `{certificate.signed_head.command}` shows that no decision up to the sign-off has since been "
        f"removed or altered; the head now, {certificate.head_now}, does the same for every decision up to the "
        "making of this certificate.",
        8,
        "I",
        4,
    )
    return pdf.bytes()
