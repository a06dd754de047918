"""`civic ingest PATH...`: files or folders into the knowledge base, idempotently.

An unchanged document (same identity, same content hash) is skipped, a changed one replaced,
nothing is duplicated: a procedure is identified by its code, a plan by its số hiệu, issuer and
date or else by its content (knowledge.ingest.identity), whatever file or format it comes in.
A bad file or record is reported with its name (and line) and the rest still goes in. The
search index is rebuilt afterwards by the caller when anything changed.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from core.config import get_settings
from knowledge.chunks import ChunkData, plan_chunks, procedure_chunks
from knowledge.ingest.identity import Identity, Stored, body_text, fingerprint, match, number_key, plan_identity
from knowledge.ingest.plans import PlanDocument, PlanParseError, Section, parse_plan
from knowledge.ingest.procedures import ProcedureParseError, parse_procedure
from knowledge.ingest.readers import PLAN_SUFFIXES, UnreadableFile, read_plan_text
from storage.models import Chunk, Document

log = logging.getLogger(__name__)
PROCEDURE_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
BATCH = 200
# Part of every content hash: bump it when parsing or chunking changes, so that re-ingesting
# the same files rebuilds their documents instead of skipping them as unchanged.
INGEST_VERSION = 6  # 6: the real-plan parser (issue 13)


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    files: int = 0
    retired: int = 0  # sample documents removed because real data arrived

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired)

    def summary(self) -> str:
        text = (
            f"{self.files} tệp: {self.added} tài liệu mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi, {len(self.failed)} lỗi"
        )
        if self.retired:
            text += f"; đã gỡ {self.retired} tài liệu mẫu vì đã có dữ liệu thật"
        return text


def _hash(obj: object) -> str:
    data = obj if isinstance(obj, (bytes, bytearray)) else json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(f"v{INGEST_VERSION}:".encode() + data).hexdigest()


def is_procedure_file(path: Path) -> bool:
    return path.name.lower().endswith(PROCEDURE_SUFFIXES)


def is_plan_file(path: Path) -> bool:
    return path.suffix.lower() in PLAN_SUFFIXES and not path.name.lower().startswith("readme")


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if is_procedure_file(child) or is_plan_file(child):
                    yield child
        else:
            yield path


def _read_records(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """Yield (line number, record, error) for each non-empty line of a JSONL(.gz) file."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, None, f"JSON không hợp lệ ({exc.msg})"
                    continue
                if not isinstance(record, dict):
                    yield number, None, "mỗi dòng phải là một đối tượng JSON"
                    continue
                yield number, record, None
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        yield 0, None, f"không đọc được tệp ({exc.__class__.__name__}: {exc})"


def retire_sample(session: Session) -> int:
    """Remove the bundled sample documents (their chunks and tasks go with them)."""
    ids = list(session.scalars(select(Document.id).where(Document.is_sample.is_(True))))
    if ids:
        session.execute(delete(Document).where(Document.id.in_(ids)))
        log.info("Retired %d sample documents: real data was ingested", len(ids))
    return len(ids)


class Ingestor:
    def __init__(self, sessions: sessionmaker[Session], progress: Callable[[str, int], object] | None = None):
        self.sessions = sessions
        settings = get_settings()
        self.settings = settings.knowledge.chunks
        self.sample_root = settings.sample_path.resolve()
        self.progress = progress  # progress(label, total) -> object with update(n) and close()

    def _is_sample(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.sample_root)

    def ingest(self, paths: Iterable[Path]) -> IngestReport:
        report = IngestReport()
        self._ingest_files(paths, report)
        with self.sessions() as session, session.begin():
            if session.scalar(select(Document.id).where(Document.is_sample.is_(False)).limit(1)) is not None:
                report.retired = retire_sample(session)
        return report

    def _ingest_files(self, paths: Iterable[Path], report: IngestReport) -> None:
        for path in expand_paths(Path(p) for p in paths):
            report.files += 1
            if not path.exists():
                report.failed.append((str(path), "không tìm thấy tệp hoặc thư mục"))
                continue
            try:
                if is_procedure_file(path):
                    self._ingest_procedures(path, report)
                elif is_plan_file(path):
                    self._ingest_plan(path, report)
                else:
                    report.failed.append((path.name, f"định dạng {path.suffix or '(không có đuôi)'} không được hỗ trợ"))
            except (UnreadableFile, PlanParseError) as exc:
                report.failed.append((path.name, str(exc)))
            except Exception as exc:  # keep going with the other files, but say what happened
                log.exception("ingest failed for %s", path)
                report.failed.append((path.name, f"lỗi không mong đợi: {exc.__class__.__name__}: {exc}"))

    # ---- procedures ---------------------------------------------------------
    def _ingest_procedures(self, path: Path, report: IngestReport) -> None:
        with self.sessions() as session:
            known = dict(session.execute(select(Document.key, Document.content_hash).where(Document.kind == "procedure")).all())
        records = list(_read_records(path))
        bar = self.progress(f"{path.name}", len(records)) if self.progress else None
        seen: set[str] = set()
        pending: dict[str, tuple[str, str, object, list[ChunkData], dict]] = {}
        for number, record, error in records:
            if bar:
                bar.update(1)
            if error:
                report.failed.append((f"{path.name}:{number}" if number else path.name, error))
                continue
            assert record is not None
            try:
                proc = parse_procedure(record)
            except ProcedureParseError as exc:
                report.failed.append((f"{path.name}:{number}", str(exc)))
                continue
            key = f"procedure:{proc.code}"
            if key in seen:
                report.failed.append((f"{path.name}:{number}", f"mã thủ tục {proc.code} lặp lại trong tệp; dùng bản ghi sau"))
            seen.add(key)
            digest = _hash(proc.original)  # as parsed: a record re-cut by repair_cut_fields hashes anew
            if known.get(key) == digest:
                report.unchanged += 1
                continue
            pending[key] = (key, digest, proc, procedure_chunks(proc), record)
            if len(pending) >= BATCH:
                self._write_procedures(list(pending.values()), known, path, report)
                pending = {}
        if pending:
            self._write_procedures(list(pending.values()), known, path, report)
        if bar:
            bar.close()

    def _write_procedures(self, batch, known: dict[str, str], path: Path, report: IngestReport) -> None:
        with self.sessions() as session, session.begin():
            keys = [item[0] for item in batch]
            existing_docs = {d.key: d for d in session.scalars(select(Document).where(Document.key.in_(keys)))}
            sample = self._is_sample(path)
            for key, digest, proc, chunks, record in batch:
                existing = existing_docs.get(key)
                if existing is None:
                    doc = Document(key=key, kind="procedure")
                    session.add(doc)
                    report.added += 1
                else:
                    doc = existing
                    _replace_chunks(doc)
                    report.updated += 1
                doc.is_sample = sample
                doc.title = proc.name
                doc.code = proc.code
                doc.issuer = proc.authority or proc.executing_agency
                doc.source_path = str(path)
                doc.content_hash = digest
                doc.meta = proc.to_meta()
                doc.original = json.dumps(record, ensure_ascii=False)
                doc.chunks.extend(_chunk_rows(chunks, getattr(doc, "_reusable", None)))
                known[key] = digest

    # ---- plans ----------------------------------------------------------------
    def _ingest_plan(self, path: Path, report: IngestReport, target: int | None = None) -> None:
        """A plan is stored once whatever file or format it arrives in (knowledge.ingest.identity):
        a new version updates its document in place (same id, passages replaced); ``target``
        names the document it must replace (the dashboard's and `civic docs replace`)."""
        text = read_plan_text(path)
        plan = parse_plan(text, fallback_title=f"Tài liệu {path.stem}")
        sketch = fingerprint(body_text(plan))
        with self.sessions() as session, session.begin():
            found = match(_stored_plans(session), plan_identity(plan), sketch, path.name)
            if target is not None:
                if found is not None and found != target:
                    raise ReplaceError(f"Tệp {path.name} là một tài liệu khác đã có trong cơ sở tri thức (#{found}); "
                                       "hãy xóa một trong hai trước khi thay.")
                found = target
            doc = session.get(Document, found) if found is not None else None
            if doc is not None:
                _keep_header(plan, doc)
            digest = _hash(_plan_content(plan))
            if doc is not None and doc.content_hash in (digest, _hash(text.encode("utf-8"))):  # (older hashes: the raw text)
                report.unchanged += 1
                return
            chunks = plan_chunks(plan, self.settings.max_words, self.settings.overlap_words)
            if doc is None:
                doc = Document(key=_free_key(session, _plan_key(plan, path), plan), kind="plan")
                session.add(doc)
                report.added += 1
            else:
                if number_key(doc.doc_number) != number_key(plan.doc_number):  # the replacement carries another số hiệu
                    doc.key = _free_key(session, _plan_key(plan, path), plan, doc.id)
                _replace_chunks(doc)
                report.updated += 1
            doc.is_sample = self._is_sample(path)
            doc.title = plan.title
            doc.doc_number = plan.doc_number
            doc.issuer = plan.issuer
            doc.place = plan.place
            doc.issued_date = plan.issued_date
            doc.date_text = plan.date_text
            doc.signer = plan.signer
            doc.source_path = str(path)
            doc.content_hash = digest
            doc.meta = {**plan.to_meta(), "identity": plan_identity(plan).key, "fingerprint": sketch}
            doc.original = text
            doc.chunks.extend(_chunk_rows(chunks, getattr(doc, "_reusable", None)))

    # ---- replacing one document ----------------------------------------------------
    def replace(self, document_id: int, path: Path) -> IngestReport:
        """Replace one stored document by a file: a plan by a plan file, a procedure by the
        record with its code in a procedure file. Raises ReplaceError with the reason."""
        report = IngestReport(files=1)
        with self.sessions() as session:
            row = session.execute(select(Document.kind, Document.code).where(Document.id == document_id)).first()
        if row is None:
            raise ReplaceError(f"Không có tài liệu #{document_id}.")
        if not path.is_file():
            raise ReplaceError(f"Không tìm thấy tệp {path}.")
        kind, code = row
        if kind == "plan":
            if not is_plan_file(path):
                raise ReplaceError(f"Kế hoạch chỉ thay được bằng tệp {', '.join(PLAN_SUFFIXES)}.")
            try:
                self._ingest_plan(path, report, target=document_id)
            except (UnreadableFile, PlanParseError) as exc:
                raise ReplaceError(f"{path.name}: {exc}") from exc
            return report
        if not is_procedure_file(path):
            raise ReplaceError(f"Thủ tục chỉ thay được bằng tệp {', '.join(PROCEDURE_SUFFIXES)}.")
        self._replace_procedure(path, code, report)
        return report

    def _replace_procedure(self, path: Path, code: str, report: IngestReport) -> None:
        found = None
        for _number, record, _error in _read_records(path):
            try:
                proc = parse_procedure(record) if record is not None else None
            except ProcedureParseError:
                continue
            if proc is not None and proc.code == code:
                found = (record, proc)  # the last record with the code wins, as in ingestion
        if found is None:
            raise ReplaceError(f"Tệp {path.name} không có thủ tục mã {code}.")
        record, proc = found
        key, digest = f"procedure:{code}", _hash(record)
        with self.sessions() as session:
            known = dict(session.execute(select(Document.key, Document.content_hash).where(Document.key == key)).all())
        if known.get(key) == digest:
            report.unchanged += 1
            return
        self._write_procedures([(key, digest, proc, procedure_chunks(proc), record)], known, path, report)


class ReplaceError(ValueError):
    """Why a document cannot be replaced by a file (a Vietnamese message)."""


def _stored_plans(session: Session) -> list[Stored]:
    rows = session.execute(
        select(Document.id, Document.key, Document.doc_number, Document.issuer, Document.issued_date, Document.source_path,
               Document.meta["fingerprint"]).where(Document.kind == "plan")
    ).all()

    def loader(doc_id: int):  # a plan stored before fingerprints: read from its sections when needed
        return lambda: fingerprint(body_text(_stored_plan(session.get(Document, doc_id))))

    return [Stored(doc_id, Identity.of(number, issuer, issued), sketch,
                   (key.removeprefix("plan:file:"), Path(source).name) if source else (key,), loader(doc_id))
            for doc_id, key, number, issuer, issued, source, sketch in rows]


def _stored_plan(doc: Document) -> PlanDocument:
    meta = doc.meta or {}
    return PlanDocument(title=doc.title, preamble=meta.get("preamble") or [], title_derived=bool(meta.get("title_derived")),
                        sections=[Section(**s) for s in meta.get("sections") or []])


def _keep_header(plan: PlanDocument, doc: Document) -> None:
    """A new version without a header field (a body pasted without its heading) keeps the stored one."""
    for name in ("doc_number", "issuer", "place", "issued_date", "date_text", "signer"):
        if getattr(plan, name) is None and getattr(doc, name) is not None:
            setattr(plan, name, getattr(doc, name))
    if plan.title_derived and not (doc.meta or {}).get("title_derived", True):
        plan.title, plan.title_derived = doc.title, False


def _plan_content(plan: PlanDocument) -> dict:
    """What a plan document holds, whatever its file format: the parsed header and sections."""
    header = {k: getattr(plan, k) for k in ("title", "doc_number", "issuer", "place", "date_text", "signer")}
    return {**header, "issued_date": plan.issued_date.isoformat() if plan.issued_date else None, "meta": plan.to_meta()}


def _plan_key(plan: PlanDocument, path: Path) -> str:
    """A readable, unique label (the identity is matched on the fields, not on this)."""
    return (f"plan:{plan.doc_number}" if plan.doc_number else f"plan:file:{path.name}")[:200]


def _free_key(session: Session, base: str, plan: PlanDocument, own_id: int | None = None) -> str:
    """``base``, or when another document holds it (same số hiệu, another issuer or date), the
    base with the date and then a counter."""
    candidates = [base] + ([f"{base}#{plan.issued_date.isoformat()}"] if plan.issued_date else [])
    candidates += [f"{base}#{n}" for n in range(2, 1000)]
    for key in candidates:
        holder = session.scalar(select(Document.id).where(Document.key == key))
        if holder is None or holder == own_id:
            return key
    raise ValueError(f"no free document key for {base}")


def _replace_chunks(doc: Document) -> None:
    """Drop a document's chunks, remembering their embeddings for identical new passages."""
    doc._reusable = {  # type: ignore[attr-defined]
        c.embed_text: (c.embedding, c.embedding_model) for c in doc.chunks if c.embedding is not None
    }
    doc.chunks.clear()


def _chunk_rows(chunks: list[ChunkData], reusable: dict[str, tuple[bytes, str]] | None = None) -> list[Chunk]:
    rows = []
    for i, c in enumerate(chunks):
        embedding, model = (reusable or {}).get(c.embed_text, (None, None))
        rows.append(
            Chunk(
                ordinal=i,
                section=c.section,
                section_title=c.section_title,
                text=c.text,
                search_text=c.search_text,
                embed_text=c.embed_text,
                embedding=embedding,
                embedding_model=model,
                role=c.role,
            )
        )
    return rows
