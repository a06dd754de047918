"""Ingested documents and procedures; upload a plan or a procedure file → ingested and re-indexed
in the background with progress shown; the assistant answers from it without a restart."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import func, select

from bot.admin import jobs
from bot.admin.auth import Forbidden, check_csrf, require
from bot.admin.common import DbId, local_time, render
from core.config import get_settings
from storage.db import session_factory
from storage.leases import PROCESS_ID
from storage.models import Document, IngestJob, TaskExtraction

router = APIRouter()
ALLOWED = (".docx", ".pdf", ".txt", ".md", ".jsonl", ".jsonl.gz")


@router.get("/knowledge")
def page(request: Request):
    user = require(request, "knowledge")
    jobs.expire_stale(session_factory())
    with session_factory()() as session:
        counts = dict(session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all())
        sample = session.scalar(select(func.count(Document.id)).where(Document.is_sample.is_(True))) or 0
        plans = session.execute(
            select(Document.id, Document.doc_number, Document.title, Document.issued_date, Document.updated_at, TaskExtraction.tasks, Document.is_sample)
            .outerjoin(TaskExtraction, TaskExtraction.document_id == Document.id)
            .where(Document.kind == "plan").order_by(Document.updated_at.desc())
        ).all()
        procedures = session.execute(
            select(Document.code, Document.title, Document.updated_at, Document.is_sample).where(Document.kind == "procedure")
            .order_by(Document.updated_at.desc(), Document.id.desc()).limit(30)
        ).all()
        recent = session.scalars(select(IngestJob).order_by(IngestJob.id.desc()).limit(10)).all()
    return render(
        request, "knowledge.html", user, "knowledge", "Cơ sở tri thức",
        counts={"plan": counts.get("plan", 0), "procedure": counts.get("procedure", 0), "sample": sample},
        plans=[{"doc_number": p.doc_number, "title": p.title, "sample": p.is_sample, "date": p.issued_date.strftime("%d/%m/%Y") if p.issued_date else "—",
                "tasks": p.tasks if p.tasks is not None else "—", "updated": local_time(p.updated_at)} for p in plans],
        procedures=[{"code": p.code, "title": p.title, "sample": p.is_sample, "updated": local_time(p.updated_at)} for p in procedures],
        jobs=recent, job_statuses=jobs.STATUSES, max_mb=get_settings().admin.upload_max_mb,
    )


def _safe_name(name: str) -> str:
    base = re.sub(r"[^\w.\-]+", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], flags=re.UNICODE).strip("._") or "tep"
    return base[-120:]


@router.post("/knowledge/upload")
async def upload(request: Request):
    user = require(request, "knowledge")
    form = await request.form()
    check_csrf(request, form)
    upload = form.get("file")
    name = getattr(upload, "filename", "") or ""
    if not name or not name.lower().endswith(ALLOWED):
        raise Forbidden(f"Định dạng không được hỗ trợ. Chọn tệp {', '.join(ALLOWED)}.", status=400)
    limit = get_settings().admin.upload_max_mb * 1024 * 1024
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Forbidden(f"Tệp lớn hơn {get_settings().admin.upload_max_mb} MB.", status=413)
    if not data:
        raise Forbidden("Tệp rỗng.", status=400)
    folder = get_settings().home_path / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex[:8]}-{_safe_name(name)}"
    path.write_bytes(data)
    sessions = session_factory()
    with sessions() as session:
        job = IngestJob(filename=_safe_name(name), path=str(path), status="queued", created_by=user.username,
                        holder=PROCESS_ID, heartbeat_at=datetime.now(timezone.utc))
        session.add(job)
        session.commit()
        job_id = job.id
    jobs.submit(sessions, job_id)
    return RedirectResponse(f"/admin/knowledge/jobs/{job_id}", status_code=303)


def _job(job_id: int) -> IngestJob:
    jobs.expire_stale(session_factory())
    with session_factory()() as session:
        job = session.get(IngestJob, job_id)
    if job is None:
        raise Forbidden("Không có lần nạp này.", status=404)
    return job


@router.get("/knowledge/jobs/{job_id}")
def job_page(request: Request, job_id: DbId):
    user = require(request, "knowledge")
    return render(request, "job.html", user, "knowledge", "Nạp tài liệu", job=_job(job_id), job_statuses=jobs.STATUSES)


@router.get("/knowledge/jobs/{job_id}/progress")
def job_json(request: Request, job_id: DbId):
    require(request, "knowledge")
    job = _job(job_id)
    return JSONResponse({"status": job.status, "status_label": jobs.STATUSES[job.status], "stage": job.stage,
                         "done": job.done, "total": job.total, "message": job.message})
