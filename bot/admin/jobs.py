"""Uploaded files are ingested, indexed and their tasks extracted in a background thread of the
process that received them; progress is kept in the database so every process can show it.
Replacing a document by an uploaded file and deleting one run the same way, one change at a time.
Other server processes pick up the new index on their next question (the index reloads itself).

The receiving process beats a heartbeat on its unfinished jobs; a job whose process stopped
(restart, crash) stops beating and is shown as interrupted instead of "running" for ever."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from storage.leases import PROCESS_ID
from storage.models import IngestJob

log = logging.getLogger(__name__)
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")
_lock = threading.Lock()  # one ingestion at a time in a process
STATUSES = {"queued": "Đang chờ", "running": "Đang nạp", "done": "Hoàn tất", "failed": "Lỗi"}
HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=3)
INTERRUPTED = "Bị gián đoạn vì máy chủ đã dừng hoặc khởi động lại trong khi nạp. Hãy tải tệp lên lại."
_beating = threading.Event()
_lock_start = threading.Lock()


def _set(sessions: sessionmaker[Session], job_id: int, **values) -> None:
    with sessions() as session:
        session.execute(update(IngestJob).where(IngestJob.id == job_id).values(**values))
        session.commit()


class _Progress:
    """The progress object the ingestor asks for (label, total) → update(n), close()."""

    def __init__(self, sessions, job_id: int, label: str, total: int):
        self.sessions, self.job_id, self.done = sessions, job_id, 0
        _set(sessions, job_id, stage=label, total=total, done=0)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.done % 20 == 0:
            _set(self.sessions, self.job_id, done=self.done)

    def close(self) -> None:
        _set(self.sessions, self.job_id, done=self.done)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def beat(sessions: sessionmaker[Session], now: datetime | None = None) -> int:
    """Mark this process's unfinished jobs alive; returns how many."""
    with sessions() as session:
        count = session.execute(
            update(IngestJob).where(IngestJob.holder == PROCESS_ID, IngestJob.status.in_(("queued", "running")))
            .values(heartbeat_at=now or _now())
        ).rowcount
        session.commit()
    return count


def expire_stale(sessions: sessionmaker[Session], now: datetime | None = None) -> int:
    """Unfinished jobs whose process stopped beating are marked failed (interrupted)."""
    now = now or _now()
    with sessions() as session:
        count = session.execute(
            update(IngestJob).where(IngestJob.status.in_(("queued", "running")), IngestJob.heartbeat_at < now - STALE_AFTER)
            .values(status="failed", message=INTERRUPTED, finished_at=now)
        ).rowcount
        session.commit()
    return count


def _heartbeat() -> None:
    """Started with the first upload of a process; one cheap UPDATE every HEARTBEAT_SECONDS."""
    from storage.db import session_factory

    while True:
        try:
            beat(session_factory())
        except Exception:  # a database hiccup: try again on the next beat
            log.warning("ingest heartbeat failed", exc_info=True)
        time.sleep(HEARTBEAT_SECONDS)


def submit(sessions: sessionmaker[Session], job_id: int, replace: int | None = None, delete: int | None = None) -> None:
    """Run the job in this process's ingestion thread: ingest its file, or with ``replace`` put
    its file in place of that document, or ``delete`` that document (the job has no file)."""
    with _lock_start:
        if not _beating.is_set():
            _beating.set()
            threading.Thread(target=_heartbeat, name="ingest-heartbeat", daemon=True).start()
    if delete is not None:
        _pool.submit(run_delete, sessions, job_id, delete)
    elif replace is not None:
        _pool.submit(run_replace, sessions, job_id, replace)
    else:
        _pool.submit(run, sessions, job_id)


def _path(sessions: sessionmaker[Session], job_id: int):
    from pathlib import Path

    with sessions() as session:
        return Path(session.get(IngestJob, job_id).path)


def run(sessions: sessionmaker[Session], job_id: int) -> None:
    def change(kb, progress) -> tuple[bool, str]:
        report, _ = kb.ingest([_path(sessions, job_id)], progress=progress, rebuild=False)
        if report.failed:
            raise ValueError("; ".join(f"{where}: {why}" for where, why in report.failed))
        return report.changed, report.summary()

    _run(sessions, job_id, change)


def run_replace(sessions: sessionmaker[Session], job_id: int, document_id: int) -> None:
    def change(kb, progress) -> tuple[bool, str]:
        report, _ = kb.replace_document(document_id, _path(sessions, job_id), progress=progress, rebuild=False)
        return report.changed, f"Tài liệu #{document_id}: " + ("nội dung không đổi" if report.unchanged else "đã thay bằng tệp mới")

    _run(sessions, job_id, change)


def run_delete(sessions: sessionmaker[Session], job_id: int, document_id: int) -> None:
    from tasks import store

    def change(kb, progress) -> tuple[bool, str]:
        gone = kb.delete_document(document_id, rebuild=False)
        if gone is None:
            raise ValueError(f"Không có tài liệu #{document_id} (có thể đã được xóa).")
        stopped = store.plan_removed(sessions, gone["doc_number"]) if gone["kind"] == "plan" else 0
        label = " ".join(filter(None, (gone["doc_number"] or gone["code"], gone["title"])))
        return True, (f"Đã xóa #{document_id}: {label}" + (f"; {gone['tasks']} nhiệm vụ đã gỡ theo" if gone["tasks"] else "")
                      + (f"; dừng {stopped} đăng ký nhắc việc theo kế hoạch này và báo cho người đăng ký" if stopped else ""))

    _run(sessions, job_id, change, first_stage="Xóa tài liệu")


def _run(sessions: sessionmaker[Session], job_id: int, change, first_stage: str = "Đọc tệp") -> None:
    """One change of the knowledge base at a time in a process, then the index and the tasks follow."""
    from knowledge.service import default_knowledge_base
    from tasks import store

    with _lock:
        _set(sessions, job_id, status="running", stage=first_stage)
        try:
            kb = default_knowledge_base()
            changed, summary = change(kb, lambda label, total: _Progress(sessions, job_id, label, total))
            _set(sessions, job_id, stage="Xây dựng chỉ mục tìm kiếm")
            build = kb.rebuild() if changed else kb.sync()  # unchanged: still finish an interrupted earlier build
            _set(sessions, job_id, stage="Trích xuất nhiệm vụ")
            store.sync(sessions)
            message = summary + (f"; chỉ mục: {build.chunks} đoạn" if build else "; chỉ mục không đổi")
            _set(sessions, job_id, status="done", stage="Xong", message=message, finished_at=datetime.now(timezone.utc))
        except Exception as exc:  # the job reports the error; the server goes on
            log.exception("ingest job %s failed", job_id)
            _set(sessions, job_id, status="failed", message=str(exc)[:1000], finished_at=datetime.now(timezone.utc))
