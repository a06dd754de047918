"""ORM models. Schema changes go through Alembic migrations in storage/migrations."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Document(Base):
    """An ingested source: one administrative procedure or one plan document."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "procedure" | "plan"
    # Identity across re-ingestion: "procedure:1.001193", "plan:341/KH-UBND", "plan:file:x.txt".
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
    content_hash: Mapped[str] = mapped_column(String(64))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # parsed structure
    original: Mapped[str] = mapped_column(Text)  # the source text/record as received
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    chunks: Mapped[list["Chunk"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Chunk.ordinal"
    )


class Chunk(Base):
    """A retrievable passage with its citation metadata."""

    __tablename__ = "chunks"
    __table_args__ = (Index("ix_chunks_document_ordinal", "document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(64))  # "II.3.a" (document numbering)
    section_title: Mapped[str | None] = mapped_column(Text)  # heading path, human readable
    text: Mapped[str] = mapped_column(Text)  # what is shown/quoted
    search_text: Mapped[str] = mapped_column(Text)  # what the sparse index sees
    embed_text: Mapped[str] = mapped_column(Text)  # what the dense index embeds
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    embedding_model: Mapped[str | None] = mapped_column(String(128))

    document: Mapped[Document] = relationship(back_populates="chunks")
