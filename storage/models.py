"""ORM models. Schema changes go through Alembic migrations in storage/migrations."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, on every database.

    SQLite keeps no offset (it hands back naive values and would store an aware non-UTC time as
    its local digits): values are converted to UTC on the way in and marked UTC on the way out,
    so no caller has to guess what a naive datetime means."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    """An ingested source: one administrative procedure or one plan document."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "procedure" | "plan"
    # A readable, unique label: "procedure:1.001193", "plan:341/KH-UBND". A plan's identity is its
    # số hiệu + issuer + date, or its content (knowledge/ingest/identity.py), not this label.
    key: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(32), index=True)  # procedure code N.NNNNNN
    doc_number: Mapped[str | None] = mapped_column(String(64), index=True)  # số hiệu of a plan
    issuer: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(128))
    issued_date: Mapped[date | None] = mapped_column(Date)
    date_text: Mapped[str | None] = mapped_column(String(128))
    signer: Mapped[str | None] = mapped_column(String(128))
    source_path: Mapped[str] = mapped_column(Text)
    # The bundled demo knowledge base: retired as soon as real procedures or plans arrive.
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    content_hash: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # parsed structure
    original: Mapped[str] = mapped_column(Text)  # the source text/record as received
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    chunks: Mapped[list["Chunk"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Chunk.ordinal"
    )


class Chunk(Base):
    """A retrievable passage with its citation metadata."""

    __tablename__ = "chunks"
    __table_args__ = (
        Index("ix_chunks_document_ordinal", "document_id", "ordinal"),
        # rows still waiting for their embedding: counted cheaply by every instance that follows the index
        Index("ix_chunks_unembedded", "id", sqlite_where=sql_text("embedding IS NULL"), postgresql_where=sql_text("embedding IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(64))  # "II.3.a" (document numbering)
    section_title: Mapped[str | None] = mapped_column(Text)  # heading path, human readable
    text: Mapped[str] = mapped_column(Text)  # what is shown/quoted
    search_text: Mapped[str] = mapped_column(Text)  # what the sparse index sees
    embed_text: Mapped[str] = mapped_column(Text)  # what the dense index embeds
    # "body": the record or passage itself; "asked": the ways people ask for it (retrieval only)
    role: Mapped[str] = mapped_column(String(16), default="body", server_default="body")
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    embedding_model: Mapped[str | None] = mapped_column(String(128))

    document: Mapped[Document] = relationship(back_populates="chunks")


# ---------------------------------------------------------------------------
# conversations


class Conversation(Base):
    """One user on one channel: dialogue state, outgoing address, a lease lock."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "user_id", name="uq_conversations_channel_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str | None] = mapped_column(String(128))  # where replies go on the channel
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, default=0)


class Turn(Base):
    """Analytics log of every turn; personal data masked before it is written."""

    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_created", "created_at"), Index("ix_turns_status", "answer_status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)  # normalised (NFC) and masked
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    action: Mapped[str | None] = mapped_column(String(64))
    answer_status: Mapped[str | None] = mapped_column(String(32))  # answered | no_content_found | ...
    answer_confidence: Mapped[float | None] = mapped_column(Float)  # the knowledge answer's calibrated confidence
    latency_ms: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Handoff(Base):
    """A citizen asked to talk to a person: while open, the assistant stays silent in that
    conversation and every message goes to the officials' thread (Chatwoot's "open")."""

    __tablename__ = "handoff_requests"
    __table_args__ = (Index("ix_handoffs_status_agency", "status", "agency_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text)  # what the citizen said when asking
    status: Mapped[str] = mapped_column(String(32), default="open")  # open | closed
    agency_id: Mapped[str | None] = mapped_column(String(64))
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    waiting_since: Mapped[datetime | None] = mapped_column(UtcDateTime())  # oldest citizen message not yet answered
    last_activity_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    messages: Mapped[list["HandoffMessage"]] = relationship(cascade="all, delete-orphan", order_by="HandoffMessage.id")


class HandoffMessage(Base):
    """One message of a handoff thread; sender "citizen", "official" or "system" (the audit trail)."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff_requests.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(16))
    author: Mapped[str | None] = mapped_column(String(64))  # the official's account, or the system action
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_status", "status"), Index("ix_feedback_agency", "agency_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)  # PA-2026-000123
    kind: Mapped[str] = mapped_column(String(16), default="feedback")  # feedback | complaint | denunciation
    category: Mapped[str] = mapped_column(String(16), default="other")  # conduct | procedure | regulation | other
    status: Mapped[str] = mapped_column(String(32), default="received")
    content: Mapped[str] = mapped_column(Text)
    procedure_code: Mapped[str | None] = mapped_column(String(32))
    procedure_title: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[str | None] = mapped_column(String(64))
    agency_name: Mapped[str | None] = mapped_column(Text)
    reporter_name: Mapped[str | None] = mapped_column(String(128))
    reporter_address: Mapped[str | None] = mapped_column(Text)
    reporter_phone: Mapped[str | None] = mapped_column(String(32))
    location_address: Mapped[str | None] = mapped_column(Text)  # where it happened (not the reporter's address)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    media: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"type": "photo", "url"|"file_id": ...}]
    source: Mapped[str] = mapped_column(String(16), default="chat")  # chat | open311 | web
    channel: Mapped[str | None] = mapped_column(String(32))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"), index=True)
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    reply: Mapped[str | None] = mapped_column(Text)  # the published result
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # the filer's 1-5 rating of the handling
    status_note: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    due_at: Mapped[date | None] = mapped_column(Date)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    events: Mapped[list["FeedbackEvent"]] = relationship(
        back_populates="feedback", cascade="all, delete-orphan", order_by="FeedbackEvent.id"
    )


class FeedbackEvent(Base):
    """Audit trail: every change of a feedback item, who made it and when."""

    __tablename__ = "feedback_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # "citizen", "system", an official's username
    action: Mapped[str] = mapped_column(String(32))  # created | status | reply | assign | route | note
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    feedback: Mapped[Feedback] = relationship(back_populates="events")


class OutboundMessage(Base):
    """A message to push to a user (feedback replies, reminders), kept until delivered."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))  # feedback_reply | reminder | notice
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# ---------------------------------------------------------------------------
# satisfaction survey (SIPAS)


class SurveyResponse(Base):
    """One respondent's survey about one agency/procedure. Not linked to a chat identity:
    ``respondent_key`` is a keyed hash used only to stop duplicate responses."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_agency_period", "agency_id", "period_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire: Mapped[str] = mapped_column(String(64))  # questionnaire id + version
    agency_id: Mapped[str | None] = mapped_column(String(64))
    agency_name: Mapped[str | None] = mapped_column(Text)
    procedure_code: Mapped[str | None] = mapped_column(String(32))
    procedure_title: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(32))
    period_key: Mapped[str] = mapped_column(String(16))  # e.g. "2026-Q4" (one response per period)
    respondent_key: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="in_progress")  # in_progress | completed
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    answers: Mapped[list["SurveyAnswer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "criterion_id", name="uq_survey_answer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    element_id: Mapped[str] = mapped_column(String(32))
    criterion_id: Mapped[str] = mapped_column(String(32))
    score: Mapped[int | None] = mapped_column(Integer)  # 1..5; None = skipped
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


# ---------------------------------------------------------------------------
# officials: reminder subscriptions


class ReminderSubscription(Base):
    __tablename__ = "reminder_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[str | None] = mapped_column(String(64))
    agency_name: Mapped[str] = mapped_column(Text)
    plan_number: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# ---------------------------------------------------------------------------
# channels: duplicate deliveries, long button payloads, reply menus, tokens, leases


class ChannelEvent(Base):
    """An incoming platform event already taken (platforms retry; a repeat is ignored)."""

    __tablename__ = "channel_events"
    __table_args__ = (UniqueConstraint("channel", "event_key", name="uq_channel_events"), Index("ix_channel_events_received", "received_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    event_key: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ButtonPayload(Base):
    """A button payload too long for the platform (Telegram callback data ≤ 64 bytes), by hash."""

    __tablename__ = "button_payloads"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ChatMenu(Base):
    """The last buttons shown as a numbered list on a channel without buttons (Zalo)."""

    __tablename__ = "chat_menus"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    buttons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ChannelToken(Base):
    """A platform's current access/refresh token pair (Zalo OA refresh tokens are single-use)."""

    __tablename__ = "channel_tokens"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    generation: Mapped[int] = mapped_column(Integer, default=0)
    refreshing_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Lease(Base):
    """A named, expiring lock held by one process (pollers, scheduled jobs)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


# ---------------------------------------------------------------------------
# plan tasks and targets (extracted from ingested plan documents)


class PlanTask(Base):
    """A task or measure of a plan, with its units and normalised schedule."""

    __tablename__ = "plan_tasks"
    __table_args__ = (Index("ix_plan_tasks_kind_due", "kind", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section_path: Mapped[str] = mapped_column(String(64))
    section_title: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lead: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"id": registry id | None, "name": ...}]
    coordinating: Mapped[list[Any]] = mapped_column(JSON, default=list)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # once | recurring | continuous | on_request | none
    due: Mapped[date | None] = mapped_column(Date)
    recurring: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    completed_on: Mapped[date | None] = mapped_column(Date)


class PlanTarget(Base):
    """A target (chỉ tiêu) of a plan: a number and what it measures."""

    __tablename__ = "plan_targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section_path: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)


class TaskExtraction(Base):
    """Which version of a plan document its tasks were extracted from."""

    __tablename__ = "task_extractions"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(96))
    tasks: Mapped[int] = mapped_column(Integer, default=0)
    targets: Mapped[int] = mapped_column(Integer, default=0)
    extracted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PlanTaskEvent(Base):
    """Audit trail of officials' progress marks: who marked a plan task done or reopened it, when.
    The task's section and title are copied, so the record still reads after the plan changes or
    is deleted (the links then become NULL)."""

    __tablename__ = "plan_task_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("plan_tasks.id", ondelete="SET NULL"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    plan: Mapped[str] = mapped_column(Text)  # the plan's số hiệu (or title) when the mark was made
    section: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16))  # done | reopen
    actor: Mapped[str] = mapped_column(String(64))  # an official's username, or "cli:<login>"
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ReminderDigest(Base):
    """One reminder digest per subscription and day: the unique key makes the daily job
    idempotent across processes."""

    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("subscription_id", "day", name="uq_reminder_digest_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("reminder_subscriptions.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    tasks: Mapped[int] = mapped_column(Integer, default=0)
    sent_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


# ---------------------------------------------------------------------------
# dashboard: accounts and background ingestion jobs


class User(Base):
    """An official's dashboard account (argon2 password hash, role, unit, lockout)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(128))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # admin | officer | viewer
    agency_id: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # raised at logout, password change and disable: every session cookie of an older version is void
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoginThrottle(Base):
    """Login attempts per typed user name (known or not), counted atomically before the password
    is checked, so parallel guesses cannot exceed the limit."""

    __tablename__ = "login_throttle"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SiteSecret(Base):
    """Secrets every instance must share (the cookie signing key when config sets none)."""

    __tablename__ = "site_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class IngestJob(Base):
    """A file uploaded in the dashboard, ingested and indexed in the background."""

    __tablename__ = "ingest_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    stage: Mapped[str | None] = mapped_column(String(128))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    holder: Mapped[str | None] = mapped_column(String(128))  # the process ingesting it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
