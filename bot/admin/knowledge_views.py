"""Ingested documents and procedures: a paged list (kind, số hiệu, issuer, date, title, tasks);
upload a plan or a procedure file, replace one document by a file, or delete one → done in the
background with progress shown (the index and the plan tasks follow); the assistant answers from
the new state without a restart. Administrators only."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import func, select

from bot.admin import jobs
from bot.admin.auth import Forbidden, check_csrf, require
from bot.admin.common import DbId, local_time, render
from core.config import get_settings
from knowledge.service import default_knowledge_base
from storage.db import session_factory
from storage.leases import PROCESS_ID
from storage.models import Document, IngestJob
from tasks import store

router = APIRouter()
ALLOWED = (".docx", ".pdf", ".txt", ".md", ".jsonl", ".jsonl.gz")
PLAN_ACCEPT, PROCEDURE_ACCEPT = ".docx,.pdf,.txt,.md", ".jsonl,.gz"
KINDS = {"plan": "Kế hoạch", "procedure": "Thủ tục"}
PER_PAGE = 50


def _row(d: dict) -> dict:
    return {**d, "number": d["doc_number"] or d["code"] or "—", "kind_label": KINDS.get(d["kind"], d["kind"]),
            "date": d["issued_date"].strftime("%d/%m/%Y") if d["issued_date"] else "—",
            "tasks": d["tasks"] if d["kind"] == "plan" and d["tasks"] is not None else "—", "updated": local_time(d["updated_at"])}


@router.get("/knowledge")
def page(request: Request, kind: str | None = None, q: str | None = None, page: int = 1):
    user = require(request, "knowledge")
    jobs.expire_stale(session_factory())
    kind = kind if kind in KINDS else None
    kb = default_knowledge_base()
    with session_factory()() as session:
        counts = dict(session.execute(select(Document.kind, func.count()).group_by(Document.kind)).all())
        sample = session.scalar(select(func.count(Document.id)).where(Document.is_sample.is_(True))) or 0
        recent = session.scalars(select(IngestJob).order_by(IngestJob.id.desc()).limit(10)).all()
    items, total = kb.documents(kind=kind, query=(q or "").strip() or None, limit=PER_PAGE, offset=(max(page, 1) - 1) * PER_PAGE)
    total_pages = max(1, -(-total // PER_PAGE))
    links = [{"n": n, "url": "/admin/knowledge?" + urlencode({k: v for k, v in (("kind", kind), ("q", q), ("page", n)) if v})}
             for n in range(1, total_pages + 1)]
    return render(
        request, "knowledge.html", user, "knowledge", "Cơ sở tri thức",
        counts={"plan": counts.get("plan", 0), "procedure": counts.get("procedure", 0), "sample": sample},
        documents=[_row(d) for d in items], total=total, page=min(max(page, 1), total_pages), pages=links, kinds=KINDS,
        f={"kind": kind, "q": q or ""}, jobs=recent, job_statuses=jobs.STATUSES, max_mb=get_settings().admin.upload_max_mb,
    )


def _document(document_id: int) -> dict:
    found = default_knowledge_base().document(document_id)
    if found is None:
        raise Forbidden("Không có tài liệu này (có thể đã được xóa).", status=404)
    return found


@router.get("/knowledge/documents/{document_id}")
def document_page(request: Request, document_id: DbId):
    user = require(request, "knowledge")
    doc = _row(_document(document_id))
    subscriptions = len(store.subscriptions_naming(session_factory(), doc["doc_number"])) if doc["kind"] == "plan" else 0
    return render(request, "document.html", user, "knowledge", f"Tài liệu #{document_id}", doc=doc, subscriptions=subscriptions,
                  max_mb=get_settings().admin.upload_max_mb, accept=PLAN_ACCEPT if doc["kind"] == "plan" else PROCEDURE_ACCEPT)


@router.post("/knowledge/documents/{document_id}/delete")
async def delete_document(request: Request, document_id: DbId):
    user = require(request, "knowledge")
    form = await request.form()
    check_csrf(request, form)
    doc = _document(document_id)
    if form.get("confirm") != "yes":
        raise Forbidden("Hãy đánh dấu ô xác nhận trước khi xóa tài liệu.", status=400)
    label = " ".join(filter(None, ("Xóa", doc["doc_number"] or doc["code"], doc["title"])))[:255]
    return _start(user, label, "", delete=document_id)


@router.post("/knowledge/documents/{document_id}/replace")
async def replace_document(request: Request, document_id: DbId):
    user = require(request, "knowledge")
    form = await request.form()
    check_csrf(request, form)
    _document(document_id)
    name, path = await _save_upload(form)
    return _start(user, name, str(path), replace=document_id)


def _safe_name(name: str) -> str:
    base = re.sub(r"[^\w.\-]+", "_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], flags=re.UNICODE).strip("._") or "tep"
    return base[-120:]


@router.post("/knowledge/upload")
async def upload(request: Request):
    user = require(request, "knowledge")
    form = await request.form()
    check_csrf(request, form)
    name, path = await _save_upload(form)
    return _start(user, name, str(path))


async def _save_upload(form) -> tuple[str, Path]:
    """The uploaded file, checked (format, size) and kept under <home>/uploads: (safe name, path)."""
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
    return _safe_name(name), path


def _start(user, name: str, path: str, **work) -> RedirectResponse:
    """A background job (ingest, replace or delete) with its progress page."""
    sessions = session_factory()
    with sessions() as session:
        job = IngestJob(filename=name, path=path, status="queued", created_by=user.username,
                        holder=PROCESS_ID, heartbeat_at=datetime.now(timezone.utc))
        session.add(job)
        session.commit()
        job_id = job.id
    jobs.submit(sessions, job_id, **work)
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
