"""The database schema as SQLModel tables.

The Alembic migrations under ``storage/migrations`` are the schema's source of
truth in a deployed database; these classes must match them (a test compares).
Repositories read and write these tables with SQLAlchemy Core statements and map
rows to ``domain`` objects: table models never leave ``storage``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint, false, text
from sqlmodel import Field, SQLModel


class PartnershipRow(SQLModel, table=True):
    __tablename__ = "partnership"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    short_name: str = Field(unique=True)
    catch_up: str = "highest_only"
    """What a sweep fires for an action with several steps due at once (``domain.ladders.CatchUp``)."""
    impact_check_months: int = Field(default=6, sa_column_kwargs={"server_default": "6"})
    """How long after assurance the partnership checks whether practice changed (0: no impact checks)."""


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    name: str
    email: str = Field(unique=True)
    role: str
    agency_id: int | None = Field(default=None, foreign_key="agency.id")
    notify: str = Field(default="immediate", sa_column_kwargs={"server_default": "immediate"})
    """How the person wants their notifications: ``immediate`` or one ``daily`` digest."""


class AgencyRow(SQLModel, table=True):
    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("partnership_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    name: str
    director_id: int | None = Field(
        default=None,
        # person and agency refer to each other: this key is added after both tables exist
        sa_column=Column(Integer, ForeignKey("person.id", use_alter=True, name="fk_agency_director"), nullable=True),
    )


class ReviewRow(SQLModel, table=True):
    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("partnership_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    ref: str
    title: str
    status: str = "active"
    notes: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    """What the plan says beside its actions (a panel's query and its answer, a list of agencies), as JSON:
    ``[{"location": ..., "text": ...}]``, verbatim."""
    kind: str = Field(default="dardr", foreign_key="review_kind.key", sa_column_kwargs={"server_default": "dardr"})
    """What sort of statutory review it is (``review_kind``): its labels and who quality-assures it."""
    imported_on: date | None = None
    """The day the plan was first imported: overdue milestones (no submission N weeks on) count from it."""
    next_step_due_on: date | None = Field(default=None, index=True)
    """The timer index of the review's own ladder (``report_submission``): the day the sweep next looks at it."""


class RecommendationRow(SQLModel, table=True):
    __tablename__ = "recommendation"
    __table_args__ = (UniqueConstraint("review_id", "text_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    text_sha256: str
    """Uniqueness by hash: PostgreSQL cannot index a long text itself."""
    numbers: str = ""
    """Recommendation numbers the row names, dotted, comma separated ("5,7,10")."""
    position: int = 0
    scope: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """Where the recommendation applies: ``local``, ``regional``, ``national`` (comma separated), or ""."""
    addressee: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """The body it is addressed to: an agency of the plan or a national body (Home Office, DHSC, ...)."""
    not_accepted_reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    """Why the body it is addressed to did not accept it; empty while it stands accepted."""


class ActionRow(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("review_id", "ref"),
        Index("ix_action_agency_state", "agency_id", "state"),
        # A partnership's list reaches its actions through its reviews: by state, and the overdue by date.
        Index("ix_action_review_state", "review_id", "state", "target_date"),
        # A lead officer's own actions (My tasks, the list's lead filter).
        Index("ix_action_lead_officer_state", "lead_officer_id", "state"),
        # A recommendation's actions (the recommendations list, the national export).
        Index("ix_action_recommendation", "recommendation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    agency_id: int = Field(foreign_key="agency.id")
    recommendation_id: int | None = Field(default=None, foreign_key="recommendation.id")
    ref: str
    position: int = 0
    """Order of the action in the imported document."""
    action: str = Field(sa_column=Column(Text, nullable=False))
    lead: str = Field(default="", sa_column=Column(Text, nullable=False))
    target_date_text: str = ""
    desired_outcome: str = Field(default="", sa_column=Column(Text, nullable=False))
    monitoring: str = Field(default="", sa_column=Column(Text, nullable=False))
    success_measure: str = Field(default="", sa_column=Column(Text, nullable=False))
    outcome_progress: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence_location: str = Field(default="", sa_column=Column(Text, nullable=False))
    status_rag: str = ""
    quality_assured_by: str = Field(default="", sa_column=Column(Text, nullable=False))
    extra: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    """Columns kept verbatim under their own header, as JSON."""
    target_date: date | None = None
    route: str
    state: str = "open"
    version: int = 0
    lead_officer_id: int | None = Field(default=None, foreign_key="person.id")
    submitted_by: int | None = Field(default=None, foreign_key="person.id")
    submitted_for: int | None = Field(default=None, foreign_key="person.id")
    """The lead officer a deputy submitted for (``None`` when the lead officer submitted themselves)."""
    verified_by: int | None = Field(default=None, foreign_key="person.id")
    """Who verified the evidence now waiting for the partnership: they may not assure it as well."""
    verified_for: int | None = Field(default=None, foreign_key="person.id")
    """The commissioner a deputy verified for."""
    returned: bool = False
    waiting_since: date | None = None
    """The day the evidence reached whoever must check it now: the checker ladders count from it."""
    original_target_date: date | None = None
    """The plan's own target date, kept when an approved extension moves ``target_date``."""
    next_step_due_on: date | None = Field(default=None, index=True)
    """The timer index: when the sweep must next look at this action (``None``: never again)."""
    reported_complete: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """The plan said the action was done when it was imported: the partnership still checks it."""
    reported_complete_on: date | None = None
    """The day the plan gives for that completion, when it gives one."""
    target_after_months: int | None = None
    """A target counted from an event of the review ("within 6 months of publication"): its months, kept until
    the event's milestone gives ``target_date``."""
    target_after_event: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """The event such a target counts from (``publication``); empty for a target with its own date."""


class DecisionRow(SQLModel, table=True):
    """Append-only: triggers refuse UPDATE and DELETE; ``hash`` chains every row to the one before."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("partnership_id", "seq"), Index("ix_decision_action", "action_id"))

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    seq: int
    review_id: int | None = Field(default=None, foreign_key="review.id")
    review_ref: str = ""
    action_id: int | None = Field(default=None, foreign_key="action.id")
    action_ref: str = ""
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    actor_name: str
    actor_role: str
    on_behalf_of_id: int | None = Field(default=None, foreign_key="person.id")
    event: str
    from_state: str = ""
    to_state: str = ""
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    evidence_hashes: str = "[]"
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    at: datetime
    prev_hash: str
    hash: str
    seal: str | None = None
    """HMAC-SHA-256 of ``hash`` under the log key (``DHRFLOW_LOG_KEY``), when one is set."""


class EvidenceRow(SQLModel, table=True):
    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    decision_id: int = Field(foreign_key="decision.id")
    sha256: str = Field(index=True)
    size: int
    content_type: str
    name: str
    stored_path: str
    at: datetime


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
    kind: str
    review_id: int | None = Field(default=None, foreign_key="review.id")
    action_id: int | None = Field(default=None, foreign_key="action.id")
    recipient_role: str
    recipient_agency_id: int | None = Field(default=None, foreign_key="agency.id")
    recipient_person_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = "pending"
    attempts: int = 0
    next_attempt_at: datetime
    message_id: str = ""
    created_at: datetime
    sent_at: datetime | None = None
    last_reply: str = ""
    parent_id: int | None = Field(default=None, foreign_key="outbox.id")
    """Set on a delivery: the row for a role this one was resolved from, at send time, to one person."""
    recipient_email: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """The address the delivery went to (who was told), set when it is resolved."""
    digest_on: date | None = None
    """The day of the person's daily digest this delivery waits for; ``None``: sent on its own."""


class LadderRow(SQLModel, table=True):
    """A partnership's ladder, versioned: a change adds a version, the ledger names the one that fired."""

    __tablename__ = "ladder"
    __table_args__ = (UniqueConstraint("partnership_id", "name", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    name: str
    version: int
    anchor: str
    steps: str = Field(sa_column=Column(Text, nullable=False))
    """The steps as JSON: key, offset (working days), notify (roles), kind."""
    created_at: datetime


class EscalationRow(SQLModel, table=True):
    """The ledger: one row per step fired, unique per action, ladder, step and anchor date; a step of a review's
    own ladder (``domain.ladders.REVIEW_LADDERS``) has no action and is unique per review instead."""

    __tablename__ = "escalation"
    __table_args__ = (
        UniqueConstraint("action_id", "ladder", "step", "anchor_date"),
        Index("ix_escalation_waiting", "partnership_id", "acknowledged_by", "id"),  # still to acknowledge, newest first
        Index(
            "ux_escalation_review_step",
            "review_id",
            "ladder",
            "step",
            "anchor_date",
            unique=True,
            sqlite_where=text("action_id IS NULL"),
            postgresql_where=text("action_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    action_id: int | None = Field(default=None, foreign_key="action.id")
    """The action whose ladder fired; ``None`` for a step of a review's own ladder."""
    review_id: int | None = Field(default=None, foreign_key="review.id")
    """The review whose own ladder fired (a step about no action); ``None`` on an action's row."""
    ladder: str
    ladder_version: int
    step: str
    anchor_date: date
    due_on: date
    fired_on: date
    decision_id: int = Field(foreign_key="decision.id")
    acknowledged_by: int | None = Field(default=None, foreign_key="person.id")
    """Who the step told and said they have it in hand (a director, the partnership); a decision too."""
    acknowledged_at: datetime | None = None


class ExtensionRow(SQLModel, table=True):
    """A request for a later target date and its answer; both are decisions too."""

    __tablename__ = "extension"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    requested_by: int = Field(foreign_key="person.id")
    requested_for: int | None = Field(default=None, foreign_key="person.id")
    """The lead officer a deputy asked for: they may not decide it either."""
    new_date: date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = "pending"
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    requested_at: datetime
    decided_at: datetime | None = None


metadata = SQLModel.metadata


class CredentialRow(SQLModel, table=True):
    """A person's password (argon2 hash); failed sign-ins are counted in ``sign_in_attempt``."""

    __tablename__ = "credential"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    password_hash: str
    changed_at: datetime


class WebSessionRow(SQLModel, table=True):
    """A signed-in browser: only the SHA-256 of its cookie is kept, and its CSRF token."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None


class ApiTokenRow(SQLModel, table=True):
    """A token for the REST API, kept hashed; revoked, never deleted."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    name: str
    created_at: datetime
    revoked_at: datetime | None = None


class EvidenceAccessRow(SQLModel, table=True):
    """Every download of an evidence file: who, when."""

    __tablename__ = "evidence_access"

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    at: datetime


class PlanSignOffRow(SQLModel, table=True):
    """A review's plan as it was signed off, frozen, with the SHA-256 the sign-off decision records."""

    __tablename__ = "plan_signoff"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", unique=True)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str
    signed_by: int = Field(foreign_key="person.id")
    signed_at: datetime
    decision_id: int = Field(foreign_key="decision.id")


class PasswordResetRow(SQLModel, table=True):
    """A one-time link to set a new password: only the SHA-256 of its token is kept."""

    __tablename__ = "password_reset"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(unique=True)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class DeputyRow(SQLModel, table=True):
    """A period when ``deputy_id`` acts in ``principal_id``'s stead; naming and ending it are decisions."""

    __tablename__ = "deputy"

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    principal_id: int = Field(foreign_key="person.id", index=True)
    deputy_id: int = Field(foreign_key="person.id", index=True)
    starts_on: date
    ends_on: date
    reason: str = Field(sa_column=Column(Text, nullable=False))
    named_by: int = Field(foreign_key="person.id")
    named_at: datetime
    ended_by: int | None = Field(default=None, foreign_key="person.id")
    ended_at: datetime | None = None


class CalendarFeedRow(SQLModel, table=True):
    """A person's secret calendar address: only the SHA-256 of its token is kept; revoked, never deleted."""

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime
    revoked_at: datetime | None = None


class ThemeRow(SQLModel, table=True):
    """A theme a partnership's coordinator added to the starter vocabulary (``domain.themes.STARTER``)."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("partnership_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    key: str
    label: str
    phrases: str = Field(sa_column=Column(Text, nullable=False))
    """The phrases that suggest it, as a JSON list."""
    created_at: datetime


class ActionThemeRow(SQLModel, table=True):
    """The coordinator's word on one theme of one action: confirmed or removed (each a decision)."""

    __tablename__ = "action_theme"
    __table_args__ = (UniqueConstraint("action_id", "theme"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    theme: str
    confirmed: bool
    decision_id: int = Field(foreign_key="decision.id")
    decided_at: datetime


class BoardMeetingRow(SQLModel, table=True):
    """A date the partnership's board meets; adding and removing one are decisions."""

    __tablename__ = "board_meeting"
    __table_args__ = (UniqueConstraint("partnership_id", "meets_on"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    meets_on: date
    added_at: datetime
    removed_at: datetime | None = None


class ProgressRequestRow(SQLModel, table=True):
    """The ledger of the board cycle: a lead officer asked (or reminded) once per meeting."""

    __tablename__ = "progress_request"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="board_meeting.id")
    person_id: int = Field(foreign_key="person.id")
    kind: str
    """``request`` or ``reminder``."""
    sent_on: date
    decision_id: int = Field(foreign_key="decision.id")


class ImportMappingRow(SQLModel, table=True):
    """A header the partnership's coordinator placed by hand: the next plan in that layout imports as mapped."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("partnership_id", "header_key"),)

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id")
    header_key: str
    """The header reduced for comparison (``columns.normalise_header``)."""
    header: str
    """The header as the coordinator last saw it written."""
    field: str
    """The field it is read as (``columns.FIELDS``)."""
    updated_at: datetime
    updated_by: int | None = Field(default=None, foreign_key="person.id")


class SignInAttemptRow(SQLModel, table=True):
    """Sign-ins tried for one address from one client: counted before the password is checked, so a burst
    cannot check more passwords than the throttle allows, and kept apart per client, so a stranger's
    failures slow the stranger, not the account's owner. Addresses with no account are counted alike."""

    __tablename__ = "sign_in_attempt"

    key: str = Field(primary_key=True)
    """SHA-256 of the address (lower case) and the client's network address: neither is kept in clear."""
    account: str = Field(index=True)
    """SHA-256 of the address alone: a new password clears every client's count for it."""
    attempts: int = 0
    locked_until: datetime | None = None
    """No attempt is checked before this time."""
    last_at: datetime = Field(index=True)


class ReviewKindRow(SQLModel, table=True):
    """A kind of statutory review and its vocabulary: data, so a new kind or a renamed body needs no release."""

    __tablename__ = "review_kind"

    key: str = Field(primary_key=True)
    """``dardr``, ``sar``, ``cspr``."""
    name: str
    """"Domestic Abuse Related Death Review"."""
    abbreviation: str
    """"DARDR", shown in labels."""
    quality_assurer: str
    """Who quality-assures the report before publication: "the Home Office quality-assurance panel"."""
    aliases: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    """Other names a document may call it by, as JSON ("Domestic Homicide Review", "DHR"): read at import."""
    vocabulary: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    """Further words of the kind as JSON (a milestone's label, the body a report goes to), by key."""


class ReviewMilestoneRow(SQLModel, table=True):
    """A dated step of the review as a whole (submitted, panel letter, published, ...); a decision too."""

    __tablename__ = "review_milestone"
    __table_args__ = (UniqueConstraint("review_id", "milestone"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    milestone: str
    """``domain.milestones.ReviewMilestone``."""
    happened_on: date
    """The day it happened (the publication date, the panel letter's date), as recorded."""
    detail: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    """What the milestone carries, as JSON: the address published at, the panel letter's points."""
    recorded_by: int = Field(foreign_key="person.id")
    recorded_at: datetime
    decision_id: int = Field(foreign_key="decision.id")


class ImpactCheckRow(SQLModel, table=True):
    """Whether an assured action changed practice, checked on a day after assurance; its answer is a decision."""

    __tablename__ = "impact_check"

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", unique=True)
    due_on: date = Field(index=True)
    outcome: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """``domain.impact.ImpactOutcome``, or "" while it is still to be checked."""
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    """What the partnership found, against the plan's "How will success be measured"."""
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    decided_on: date | None = None
    decision_id: int | None = Field(default=None, foreign_key="decision.id")
