"""What every dashboard page shares: the template environment, the signed-in account, dates."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Path as PathParam
from fastapi import Request
from fastapi.templating import Jinja2Templates

from accounts.users import ROLES, Account
from agencies.registry import default_registry
from bot.admin.auth import csrf_token
from core.localtime import local_zone

DbId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]  # a database row id in a URL: larger is a 404-like 422, not an overflow
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
FLASHES = {
    "saved": ("Đã lưu. Trả lời (nếu có) được gửi tới người dân qua kênh họ đã dùng.", "ok"),
    "cancelled": ("Đã hủy đăng ký nhắc việc và báo cho người đăng ký.", "ok"),
}


def render(request: Request, name: str, user: Account | None, area: str, title: str, status_code: int = 200, **context):
    flash = FLASHES.get(request.query_params.get("msg", ""))
    return templates.TemplateResponse(
        request, f"admin/{name}",
        {"user": user, "csrf": csrf_token(request), "roles": ROLES, "area": area, "title": title,
         "flash": flash[0] if flash else None, "flash_kind": flash[1] if flash else None, **context},
        status_code=status_code,
    )


def local_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.astimezone(local_zone()).strftime("%d/%m/%Y %H:%M")


def agency_choices() -> list:
    """Units officials can be filtered by (not the groups named in plans)."""
    units = [a for a in default_registry().agencies.values() if a.level != "nhóm"]
    order = {"tỉnh": 0, "xã": 1, "huyện": 2}
    return sorted(units, key=lambda a: (order.get(a.level, 3), a.name))


def unit_name(agency_id: str | None) -> str | None:
    agency = default_registry().get(agency_id) if agency_id else None
    return agency.name if agency else agency_id
