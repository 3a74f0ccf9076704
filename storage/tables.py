"""The database schema as SQLAlchemy Core tables.

The Alembic migrations under ``storage/migrations`` are the schema's source of
truth in a deployed database; these tables must match them (a test compares).
Repositories read and write them with SQLAlchemy Core statements and map rows to
``domain`` objects: rows never leave ``storage``.

Plain Core, not SQLModel classes: nothing here was ever used as a model (the
repositories speak Core), and building the 26 classes, a pydantic model and an
ORM mapping each, cost a fifth of every CLI command's start. The columns are the
ones SQLModel made of those classes: a field with a default has it as the
column's default, an optional field is nullable, ``datetime`` is ``UTCDateTime``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Interval,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.operators import OperatorType
from sqlalchemy.types import DateTime, TypeDecorator, TypeEngine


class UTCDateTime(TypeDecorator[datetime]):
    """An aware ``datetime``, stored in UTC and read back in UTC: SQLModel's type of the same name, which
    the migrations name, with the same behaviour (a naive value is refused, not guessed at)."""

    impl = DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> TypeEngine[Any]:
        return Interval() if isinstance(value, timedelta) else self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a datetime to store must say its time zone: use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:  # SQLite keeps no offset: what it holds is UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

partnership_table = Table(
    "partnership",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("short_name", String, nullable=False, unique=True),
    # What a sweep fires for an action with several steps due at once (``domain.ladders.CatchUp``).
    Column("catch_up", String, nullable=False, default="highest_only"),
)

person_table = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("email", String, nullable=False, unique=True),
    Column("role", String, nullable=False),
    Column("agency_id", Integer, ForeignKey("agency.id")),
    # How the person wants their notifications: ``immediate`` or one ``daily`` digest.
    Column("notify", String, nullable=False, default="immediate", server_default="immediate"),
)

agency_table = Table(
    "agency",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("name", String, nullable=False),
    # person and agency refer to each other: this key is added after both tables exist
    Column("director_id", Integer, ForeignKey("person.id", use_alter=True, name="fk_agency_director")),
    UniqueConstraint("partnership_id", "name"),
)

review_table = Table(
    "review",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("ref", String, nullable=False),
    Column("title", String, nullable=False),
    Column("status", String, nullable=False, default="active"),
    # What the plan says beside its actions (a panel's query and its answer, a list of agencies), as JSON:
    # ``[{"location": ..., "text": ...}]``, verbatim.
    Column("notes", Text, nullable=False, server_default="[]"),
    UniqueConstraint("partnership_id", "ref"),
)

recommendation_table = Table(
    "recommendation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("review.id"), nullable=False),
    Column("text", Text, nullable=False),
    # Uniqueness by hash: PostgreSQL cannot index a long text itself.
    Column("text_sha256", String, nullable=False),
    # Recommendation numbers the row names, dotted, comma separated ("5,7,10").
    Column("numbers", String, nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
    # Where the recommendation applies: ``local``, ``regional``, ``national`` (comma separated), or "".
    Column("scope", String, nullable=False, default="", server_default=""),
    UniqueConstraint("review_id", "text_sha256"),
)

action_table = Table(
    "action",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("review.id"), nullable=False),
    Column("agency_id", Integer, ForeignKey("agency.id"), nullable=False),
    Column("recommendation_id", Integer, ForeignKey("recommendation.id")),
    Column("ref", String, nullable=False),
    # Order of the action in the imported document.
    Column("position", Integer, nullable=False, default=0),
    Column("action", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("target_date_text", String, nullable=False, default=""),
    Column("desired_outcome", Text, nullable=False),
    Column("monitoring", Text, nullable=False),
    Column("success_measure", Text, nullable=False),
    Column("outcome_progress", Text, nullable=False),
    Column("evidence_location", Text, nullable=False),
    Column("status_rag", String, nullable=False, default=""),
    Column("quality_assured_by", Text, nullable=False),
    # Columns kept verbatim under their own header, as JSON.
    Column("extra", Text, nullable=False),
    Column("target_date", Date),
    Column("route", String, nullable=False),
    Column("state", String, nullable=False, default="open"),
    Column("version", Integer, nullable=False, default=0),
    Column("lead_officer_id", Integer, ForeignKey("person.id")),
    Column("submitted_by", Integer, ForeignKey("person.id")),
    # The lead officer a deputy submitted for (``None`` when the lead officer submitted themselves).
    Column("submitted_for", Integer, ForeignKey("person.id")),
    # Who verified the evidence now waiting for the partnership: they may not assure it as well.
    Column("verified_by", Integer, ForeignKey("person.id")),
    # The commissioner a deputy verified for.
    Column("verified_for", Integer, ForeignKey("person.id")),
    Column("returned", Boolean, nullable=False, default=False),
    # The day the evidence reached whoever must check it now: the checker ladders count from it.
    Column("waiting_since", Date),
    # The plan's own target date, kept when an approved extension moves ``target_date``.
    Column("original_target_date", Date),
    # The timer index: when the sweep must next look at this action (``None``: never again).
    Column("next_step_due_on", Date, index=True),
    # The plan said the action was done when it was imported: the partnership still checks it.
    Column("reported_complete", Boolean, nullable=False, default=False, server_default=false()),
    # The day the plan gives for that completion, when it gives one.
    Column("reported_complete_on", Date),
    UniqueConstraint("review_id", "ref"),
    Index("ix_action_agency_state", "agency_id", "state"),
)

# Append-only: triggers refuse UPDATE and DELETE; ``hash`` chains every row to the one before.
decision_table = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("review_id", Integer, ForeignKey("review.id")),
    Column("review_ref", String, nullable=False, default=""),
    Column("action_id", Integer, ForeignKey("action.id")),
    Column("action_ref", String, nullable=False, default=""),
    Column("actor_id", Integer, ForeignKey("person.id")),
    Column("actor_name", String, nullable=False),
    Column("actor_role", String, nullable=False),
    Column("on_behalf_of_id", Integer, ForeignKey("person.id")),
    Column("event", String, nullable=False),
    Column("from_state", String, nullable=False, default=""),
    Column("to_state", String, nullable=False, default=""),
    Column("reason", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("evidence_hashes", String, nullable=False, default="[]"),
    Column("payload", Text, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("prev_hash", String, nullable=False),
    Column("hash", String, nullable=False),
    # HMAC-SHA-256 of ``hash`` under the log key (``DHRFLOW_LOG_KEY``), when one is set.
    Column("seal", String),
    UniqueConstraint("partnership_id", "seq"),
    Index("ix_decision_action", "action_id"),
)

evidence_table = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, ForeignKey("action.id"), nullable=False, index=True),
    Column("decision_id", Integer, ForeignKey("decision.id"), nullable=False),
    Column("sha256", String, nullable=False, index=True),
    Column("size", Integer, nullable=False),
    Column("content_type", String, nullable=False),
    Column("name", String, nullable=False),
    Column("stored_path", String, nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)

outbox_table = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("idempotency_key", String, nullable=False, unique=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("decision_id", Integer, ForeignKey("decision.id")),
    Column("kind", String, nullable=False),
    Column("review_id", Integer, ForeignKey("review.id")),
    Column("action_id", Integer, ForeignKey("action.id")),
    Column("recipient_role", String, nullable=False),
    Column("recipient_agency_id", Integer, ForeignKey("agency.id")),
    Column("recipient_person_id", Integer, ForeignKey("person.id")),
    Column("status", String, nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime(), nullable=False),
    Column("message_id", String, nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime()),
    Column("last_reply", String, nullable=False, default=""),
    # Set on a delivery: the row for a role this one was resolved from, at send time, to one person.
    Column("parent_id", Integer, ForeignKey("outbox.id")),
    # The address the delivery went to (who was told), set when it is resolved.
    Column("recipient_email", String, nullable=False, default="", server_default=""),
    # The day of the person's daily digest this delivery waits for; ``None``: sent on its own.
    Column("digest_on", Date),
    Index("ix_outbox_pending", "status", "next_attempt_at"),
)

# A partnership's ladder, versioned: a change adds a version, the ledger names the one that fired.
ladder_table = Table(
    "ladder",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("name", String, nullable=False),
    Column("version", Integer, nullable=False),
    Column("anchor", String, nullable=False),
    # The steps as JSON: key, offset (working days), notify (roles), kind.
    Column("steps", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("partnership_id", "name", "version"),
)

# The ledger: one row per step fired, unique per action, ladder, step and anchor date.
escalation_table = Table(
    "escalation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("action_id", Integer, ForeignKey("action.id"), nullable=False),
    Column("ladder", String, nullable=False),
    Column("ladder_version", Integer, nullable=False),
    Column("step", String, nullable=False),
    Column("anchor_date", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("fired_on", Date, nullable=False),
    Column("decision_id", Integer, ForeignKey("decision.id"), nullable=False),
    # Who the step told and said they have it in hand (a director, the partnership); a decision too.
    Column("acknowledged_by", Integer, ForeignKey("person.id")),
    Column("acknowledged_at", UTCDateTime()),
    UniqueConstraint("action_id", "ladder", "step", "anchor_date"),
)

# A request for a later target date and its answer; both are decisions too.
extension_table = Table(
    "extension",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, ForeignKey("action.id"), nullable=False, index=True),
    Column("requested_by", Integer, ForeignKey("person.id"), nullable=False),
    # The lead officer a deputy asked for: they may not decide it either.
    Column("requested_for", Integer, ForeignKey("person.id")),
    Column("new_date", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String, nullable=False, default="pending"),
    Column("decided_by", Integer, ForeignKey("person.id")),
    Column("decision_reason", Text, nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
    Column("decided_at", UTCDateTime()),
)

# A person's password (argon2 hash); failed sign-ins are counted in ``sign_in_attempt``.
credential_table = Table(
    "credential",
    metadata,
    Column("person_id", Integer, ForeignKey("person.id"), primary_key=True),
    Column("password_hash", String, nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
)

# A signed-in browser: only the SHA-256 of its cookie is kept, and its CSRF token.
web_session_table = Table(
    "web_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String, nullable=False, unique=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False, index=True),
    Column("csrf_token", String, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),
)

# A token for the REST API, kept hashed; revoked, never deleted.
api_token_table = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String, nullable=False, unique=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

# Every download of an evidence file: who, when.
evidence_access_table = Table(
    "evidence_access",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evidence_id", Integer, ForeignKey("evidence.id"), nullable=False, index=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
)

# A review's plan as it was signed off, frozen, with the SHA-256 the sign-off decision records.
plan_signoff_table = Table(
    "plan_signoff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("review_id", Integer, ForeignKey("review.id"), nullable=False, unique=True),
    Column("snapshot", Text, nullable=False),
    Column("sha256", String, nullable=False),
    Column("signed_by", Integer, ForeignKey("person.id"), nullable=False),
    Column("signed_at", UTCDateTime(), nullable=False),
    Column("decision_id", Integer, ForeignKey("decision.id"), nullable=False),
)

# A one-time link to set a new password: only the SHA-256 of its token is kept.
password_reset_table = Table(
    "password_reset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False, index=True),
    Column("token_hash", String, nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)

# A period when ``deputy_id`` acts in ``principal_id``'s stead; naming and ending it are decisions.
deputy_table = Table(
    "deputy",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("principal_id", Integer, ForeignKey("person.id"), nullable=False, index=True),
    Column("deputy_id", Integer, ForeignKey("person.id"), nullable=False, index=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("reason", Text, nullable=False),
    Column("named_by", Integer, ForeignKey("person.id"), nullable=False),
    Column("named_at", UTCDateTime(), nullable=False),
    Column("ended_by", Integer, ForeignKey("person.id")),
    Column("ended_at", UTCDateTime()),
)

# A person's secret calendar address: only the SHA-256 of its token is kept; revoked, never deleted.
calendar_feed_table = Table(
    "calendar_feed",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String, nullable=False, unique=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

# A theme a partnership's coordinator added to the starter vocabulary (``domain.themes.STARTER``).
theme_table = Table(
    "theme",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("key", String, nullable=False),
    Column("label", String, nullable=False),
    # The phrases that suggest it, as a JSON list.
    Column("phrases", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("partnership_id", "key"),
)

# The coordinator's word on one theme of one action: confirmed or removed (each a decision).
action_theme_table = Table(
    "action_theme",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", Integer, ForeignKey("action.id"), nullable=False, index=True),
    Column("theme", String, nullable=False),
    Column("confirmed", Boolean, nullable=False),
    Column("decision_id", Integer, ForeignKey("decision.id"), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
    UniqueConstraint("action_id", "theme"),
)

# A date the partnership's board meets; adding and removing one are decisions.
board_meeting_table = Table(
    "board_meeting",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    Column("meets_on", Date, nullable=False),
    Column("added_at", UTCDateTime(), nullable=False),
    Column("removed_at", UTCDateTime()),
    UniqueConstraint("partnership_id", "meets_on"),
)

# The ledger of the board cycle: a lead officer asked (or reminded) once per meeting.
progress_request_table = Table(
    "progress_request",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("meeting_id", Integer, ForeignKey("board_meeting.id"), nullable=False),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False),
    # ``request`` or ``reminder``.
    Column("kind", String, nullable=False),
    Column("sent_on", Date, nullable=False),
    Column("decision_id", Integer, ForeignKey("decision.id"), nullable=False),
    UniqueConstraint("meeting_id", "person_id", "kind"),
)

# A header the partnership's coordinator placed by hand: the next plan in that layout imports as mapped.
import_mapping_table = Table(
    "import_mapping",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("partnership_id", Integer, ForeignKey("partnership.id"), nullable=False),
    # The header reduced for comparison (``columns.normalise_header``).
    Column("header_key", String, nullable=False),
    # The header as the coordinator last saw it written.
    Column("header", String, nullable=False),
    # The field it is read as (``columns.FIELDS``).
    Column("field", String, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("updated_by", Integer, ForeignKey("person.id")),
    UniqueConstraint("partnership_id", "header_key"),
)

# Sign-ins tried for one address from one client: counted before the password is checked, so a burst cannot check
# more passwords than the throttle allows, and kept apart per client, so a stranger's failures slow the stranger,
# not the account's owner. Addresses with no account are counted alike.
sign_in_attempt_table = Table(
    "sign_in_attempt",
    metadata,
    # SHA-256 of the address (lower case) and the client's network address: neither is kept in clear.
    Column("key", String, primary_key=True),
    # SHA-256 of the address alone: a new password clears every client's count for it.
    Column("account", String, nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    # No attempt is checked before this time.
    Column("locked_until", UTCDateTime()),
    Column("last_at", UTCDateTime(), nullable=False, index=True),
)
