"""Build a search index from the chunks in the database and publish it atomically."""
from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, defer, sessionmaker

from core.config import get_settings
from core.embedder import Embedder
from knowledge.index.store import COMPLETE_MARKER, IndexStore
from knowledge.index.tokens import sparse_tokens
from knowledge.vocabulary import default_vocabulary
from vietnamese.text import folded_words
from storage.models import Chunk, Document
from vietnamese.abbreviations import DATA_FILE as ABBREVIATIONS_FILE
from vietnamese.diacritics import DiacriticRestorer

log = logging.getLogger(__name__)
COMMON_PHRASES = Path(__file__).resolve().parents[2] / "vietnamese" / "data" / "common_phrases.txt"


@dataclass
class ChunkMeta:
    """What a search hit needs to cite its source without touching the database."""

    chunk_id: int
    document_id: int
    key: str  # stable document identity: "procedure:1.001193", "plan:341/KH-UBND"
    kind: str
    code: str | None
    doc_number: str | None
    title: str
    section: str | None
    section_title: str | None
    issuer: str | None
    issued_date: str | None
    date_text: str | None
    role: str = "body"  # "body" | "asked"
    levels: list[str] | None = None  # procedures: Cấp xã, Cấp tỉnh, Cấp bộ ...


@dataclass
class BuildReport:
    folder: Path
    chunks: int
    documents: int
    embedded: int
    seconds: float


class NotReady(RuntimeError):
    """Some rows still wait for their embedding (an ingest is running or was interrupted)."""


def data_stamp(session: Session) -> tuple[str, int]:
    """The index version the database holds: which passage rows exist (their count, largest and
    summed ids: every write makes new rows), and how many still lack an embedding. A build
    records the stamp of the rows it read; an instance whose build has another stamp rebuilds."""
    count, top, total = session.execute(
        select(func.count(Chunk.id), func.coalesce(func.max(Chunk.id), 0), func.coalesce(func.sum(Chunk.id), 0))
    ).one()
    missing = session.scalar(select(func.count(Chunk.id)).where(Chunk.embedding.is_(None))) or 0
    return f"{count}:{top}:{total}", missing


def _stamp_of(ids: list[int]) -> str:
    return f"{len(ids)}:{max(ids, default=0)}:{sum(ids)}"


def index_store() -> IndexStore:
    s = get_settings()
    return IndexStore(s.index_path, s.knowledge.keep_builds)


def refresh_asked_rows(sessions: sessionmaker[Session]) -> int:
    """Keep each procedure's "asked" row in step with its name and the citizen vocabulary,
    so that editing the vocabulary takes effect at the next build; returns rows changed."""
    from knowledge.chunks import asked_chunk

    with sessions() as session, session.begin():
        docs = session.execute(select(Document.id, Document.title).where(Document.kind == "procedure")).all()
        current = {
            doc_id: (chunk_id, text)
            for chunk_id, doc_id, text in session.execute(
                select(Chunk.id, Chunk.document_id, Chunk.search_text).where(Chunk.role == "asked")
            )
        }
        changed = 0
        for doc_id, title in docs:
            data = asked_chunk(title)
            known = current.get(doc_id)
            if known and known[1] == data.search_text:
                continue
            if known:  # replaced, not edited: a new row id is a new index version for every instance
                session.execute(delete(Chunk).where(Chunk.id == known[0]))
            session.add(Chunk(document_id=doc_id, ordinal=1_000, section=None, section_title=None, text=data.text,
                                  search_text=data.search_text, embed_text=data.embed_text, role="asked"))
            changed += 1
    return changed


def current_stamp(store: IndexStore) -> str | None:
    """The database stamp the live build was made from (None: no build, or one made before stamps)."""
    folder = store.current_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / COMPLETE_MARKER).read_text()).get("data_stamp")
    except (OSError, ValueError):
        return None


def _embed_missing(sessions: sessionmaker[Session], embedder: Embedder, show_progress: bool) -> int:
    with sessions() as session:
        missing = session.execute(
            select(Chunk.id, Chunk.embed_text).where(
                (Chunk.embedding.is_(None)) | (Chunk.embedding_model != embedder.name)
            ).order_by(Chunk.id)
        ).all()
    if not missing:
        return 0
    log.info("Embedding %d chunks with %s", len(missing), embedder.name)
    step = 512
    for start in range(0, len(missing), step):
        batch = missing[start : start + step]
        vectors = embedder.encode_passages([text for _id, text in batch], show_progress=show_progress)
        with sessions() as session, session.begin():
            session.execute(
                update(Chunk),
                [
                    {"id": chunk_id, "embedding": vector.astype(np.float32).tobytes(), "embedding_model": embedder.name}
                    for (chunk_id, _text), vector in zip(batch, vectors)
                ],
            )
    return len(missing)


def _restorer_texts(search_texts: list[str]) -> list[str]:
    import yaml

    texts = list(search_texts)
    lines = [l for l in COMMON_PHRASES.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    texts.extend(lines * 10)  # everyday phrasing is rare in official text: count it more
    abbreviations = yaml.safe_load(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    texts.extend(str(v) for section in ("words", "phrases") for v in (abbreviations.get(section) or {}).values())
    texts.extend(str(k) for k in (abbreviations.get("phrases") or {}))
    for entry in default_vocabulary().entries:  # how citizens name procedures, written properly
        texts.extend(list(entry.everyday) * 3)
    return texts


def build_index(sessions: sessionmaker[Session], embedder: Embedder, show_progress: bool = False, write: bool = True,
                skip_if_current: bool = False) -> BuildReport | None:
    """Build and publish the index from the database. ``write``: first bring the rows up to date
    (the "asked" rows, missing embeddings); without it (an instance following another's ingest)
    the build only reads, and raises NotReady while embeddings are missing. ``skip_if_current``:
    nothing to do when the live build already has the database's stamp (checked under the lock,
    so processes sharing a data directory build once)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    import faiss

    store = index_store()
    started = time.perf_counter()
    with store.build_lock():
        embedded = 0
        if write:
            refresh_asked_rows(sessions)
            embedded = _embed_missing(sessions, embedder, show_progress)
        with sessions() as session:
            stamp, missing = data_stamp(session)
            if skip_if_current and stamp == current_stamp(store):
                return None
            if missing and not write:
                raise NotReady(f"{missing} passages wait for their embedding")
            rows = session.execute(
                select(Chunk, Document)
                .join(Document, Chunk.document_id == Document.id)
                .options(defer(Document.original))
                .order_by(Document.id, Chunk.ordinal)
            ).all()
            metas: list[ChunkMeta] = []
            search_texts: list[str] = []
            vectors = np.zeros((len(rows), embedder.dimension), dtype=np.float32)
            for i, (chunk, doc) in enumerate(rows):
                metas.append(
                    ChunkMeta(
                        chunk_id=chunk.id,
                        document_id=doc.id,
                        key=doc.key,
                        kind=doc.kind,
                        code=doc.code,
                        doc_number=doc.doc_number,
                        title=doc.title,
                        section=chunk.section,
                        section_title=chunk.section_title,
                        issuer=doc.issuer,
                        issued_date=doc.issued_date.isoformat() if doc.issued_date else None,
                        date_text=doc.date_text,
                        role=chunk.role,
                        levels=(doc.meta or {}).get("levels") if doc.kind == "procedure" else None,
                    )
                )
                search_texts.append(chunk.search_text)
                if chunk.embedding is None:  # written after the stamp was read: the next check rebuilds
                    raise NotReady(f"passage {chunk.id} has no embedding yet")
                vectors[i] = np.frombuffer(chunk.embedding, dtype=np.float32)
            documents = len({m.document_id for m in metas})
        folder = store.new_build_dir()
        dense = faiss.IndexFlatIP(embedder.dimension)
        if len(vectors):
            dense.add(vectors)
        faiss.write_index(dense, str(folder / "dense.faiss"))
        sparse = bm25s.BM25(k1=1.2, b=0.75)
        corpus_tokens = [sparse_tokens(t) or ["∅"] for t in search_texts] or [["∅"]]
        sparse.index(corpus_tokens, show_progress=False)
        sparse.save(str(folder / "sparse"))
        official = [text for text, meta in zip(search_texts, metas) if meta.role == "body"]  # asked rows hold unaccented forms
        DiacriticRestorer().fit(_restorer_texts(official)).save(folder / "restorer.json")
        # in how many records each word occurs: how telling a question's word is (coverage checks)
        df: dict[str, int] = {}
        for text in official:
            for word in set(folded_words(text)):
                df[word] = df.get(word, 0) + 1
        (folder / "word_df.json").write_text(json.dumps({"documents": len(official), "df": df}, ensure_ascii=False))
        with open(folder / "chunks.jsonl", "w", encoding="utf-8") as handle:
            for meta in metas:
                handle.write(json.dumps(asdict(meta), ensure_ascii=False) + "\n")
        manifest = {
            "model": embedder.name,
            "dimension": embedder.dimension,
            "chunks": len(metas),
            "documents": documents,
            "data_stamp": _stamp_of([m.chunk_id for m in metas]),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (folder / COMPLETE_MARKER).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        store.publish(folder)
    seconds = time.perf_counter() - started
    log.info("Index build %s: %d chunks, %d documents, %.1fs", folder.name, len(metas), documents, seconds)
    return BuildReport(folder, len(metas), documents, embedded, seconds)
