"""Open311 GeoReport v2 over the feedback records (JSON), so existing civic tools can integrate.

Services are the feedback categories. POST needs an API key (config
`feedback.open311_api_keys`) and, by Nghị định 20/2008/NĐ-CP, the reporter's name, address and
phone. Private by default: the list holds only what an official published (status
"published"), with the published result; a single request read by its code shows the status and
dates only, never the citizen's words, until it is published. Contact details are never
returned; phone and ID numbers inside a published text are masked.
"""
from __future__ import annotations

from datetime import datetime, time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from core.config import get_settings
from core.inputs import BadInput, finite_in
from core.localtime import local_zone
from core.privacy import mask_pii
from feedback import service, validation
from storage.db import session_factory
from storage.models import Feedback

router = APIRouter(prefix="/open311/v2")
OPEN = {"received", "classified", "forwarded", "in_progress"}


def errors(status: int, *descriptions: str) -> JSONResponse:
    return JSONResponse([{"code": status, "description": d} for d in descriptions], status_code=status)


@router.get("/services.json")
def services():
    return [
        {"service_code": code, "service_name": name, "description": f"Phản ánh, kiến nghị: {name.lower()}",
         "metadata": False, "type": "realtime", "keywords": "phản ánh, kiến nghị", "group": "Phản ánh, kiến nghị"}
        for code, name in service.CATEGORIES.items()
    ]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()


def _request(item: Feedback) -> dict:
    zone = local_zone()
    expected = datetime.combine(item.due_at, time(23, 59, 59), zone).isoformat() if item.due_at else None
    public = item.status == "published"
    notes = service.STATUSES.get(item.status, item.status)
    if public and item.reply:
        notes += f". {mask_pii(item.reply)}"
    photos = [m.get("url") for m in item.media or [] if m.get("url")] if public else []
    return {
        "service_request_id": item.code,
        "status": "open" if item.status in OPEN else "closed",
        "status_notes": notes,
        "service_name": service.CATEGORIES.get(item.category, item.category),
        "service_code": item.category,
        "description": mask_pii(item.content) if public else None,
        "agency_responsible": item.agency_name,
        "service_notice": f"Hạn xử lý: {item.due_at:%d/%m/%Y}" if item.due_at else "",
        "requested_datetime": _iso(item.received_at),
        "updated_datetime": _iso(item.updated_at),
        "expected_datetime": expected,
        "address": item.location_address if public else None,
        "lat": service.finite(item.latitude) if public else None,
        "long": service.finite(item.longitude) if public else None,
        "media_url": photos[0] if photos else None,
    }


async def _fields(request: Request) -> dict:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            return {}
        data = data if isinstance(data, dict) else {}
    else:
        data = dict((await request.form()).items())
    # plain values only: a nested object or an uploaded file is not a field of this API
    return {str(k): str(v) for k, v in data.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}


@router.post("/requests.json")
async def create_request(request: Request):
    data = {**dict(request.query_params), **await _fields(request)}
    keys = get_settings().feedback.open311_api_keys
    if not data.get("api_key") or data.get("api_key") not in keys:
        return errors(403, "api_key không hợp lệ")
    problems = []
    if data.get("service_code") not in service.CATEGORIES:
        problems.append(f"service_code phải là một trong: {', '.join(service.CATEGORIES)}")
    content, error = validation.content(data.get("description"))
    if error:
        problems.append(f"description: {error}")
    name, error = validation.name(" ".join(p for p in (data.get("last_name"), data.get("first_name")) if p))
    if error:
        problems.append(f"first_name/last_name: {error}")
    reporter_address = data.get("attribute[reporter_address]") or data.get("reporter_address") or data.get("address_string")
    address, error = validation.address(reporter_address)
    if error:
        problems.append(f"address_string: {error}")
    phone, error = validation.phone(data.get("phone"))
    if error:
        problems.append(f"phone: {error}")
    lat = lon = None
    try:
        lat = finite_in(data.get("lat"), -90, 90)
    except BadInput as exc:
        problems.append(f"lat {exc}")
    try:
        lon = finite_in(data.get("long"), -180, 180)
    except BadInput as exc:
        problems.append(f"long {exc}")
    media_url = str(data.get("media_url") or "")
    if media_url and not (media_url.startswith(("https://", "http://")) and len(media_url) <= 1000):
        problems.append("media_url phải là địa chỉ http(s) (tối đa 1000 ký tự)")
    if problems:
        return errors(400, *problems)
    media = [{"type": "photo", "url": media_url}] if media_url else []
    draft = service.Draft(
        content=content, reporter_name=name, reporter_address=address, reporter_phone=phone,
        kind=validation.kind(content), category=data["service_code"], location_address=(data.get("address_string") or "")[:500] or None,
        latitude=lat, longitude=lon,
        media=media, source="open311", channel="open311",
    )
    item = service.submit(session_factory(), draft)
    return [{"service_request_id": item.code, "service_notice": f"Hạn xử lý: {item.due_at:%d/%m/%Y}", "account_id": None}]


@router.get("/requests.json")
def list_requests(
    service_request_id: str | None = None,
    service_code: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    status: str | None = None,
):
    query = select(Feedback).where(Feedback.code.is_not(None), Feedback.status == "published")
    try:
        if start_date:
            query = query.where(Feedback.received_at >= datetime.fromisoformat(start_date.replace("Z", "+00:00")))
        if end_date:
            query = query.where(Feedback.received_at <= datetime.fromisoformat(end_date.replace("Z", "+00:00")))
    except ValueError:
        return errors(400, "start_date/end_date phải theo ISO 8601, ví dụ 2026-01-31T00:00:00+07:00")
    if service_request_id:
        query = query.where(Feedback.code.in_([c.strip().upper()[:32] for c in service_request_id.split(",")[:100]]))
    if service_code:
        query = query.where(Feedback.category.in_(service_code.split(",")))
    if status:
        wanted = set(status.split(","))
        states = (OPEN if "open" in wanted else set()) | (set(service.STATUSES) - OPEN if "closed" in wanted else set())
        query = query.where(Feedback.status.in_(states))
    with session_factory()() as session:
        items = session.scalars(query.order_by(Feedback.received_at.desc()).limit(1000)).all()
        return [_request(i) for i in items]


@router.get("/requests/{request_id}.json")
def get_request(request_id: str):
    if len(request_id) > 32:
        return errors(404, "Không có yêu cầu với mã này")
    item = service.find(session_factory(), request_id)
    if item is None:
        return errors(404, f"Không có yêu cầu {request_id}")
    return [_request(item)]
