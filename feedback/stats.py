"""QĐ 766/QĐ-TTg feedback ratios, computed from the feedback records."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.localtime import local_today, local_zone
from feedback.service import CLOSED
from storage.models import Feedback

DEFINITIONS = {
    "on_time_rate": (
        "Tỷ lệ PAKN xử lý đúng hạn = (đúng hạn + trước hạn) / PAKN thuộc thẩm quyền × 100%. "
        "Thuộc thẩm quyền: phản ánh, kiến nghị không bị từ chối tiếp nhận và không chuyển cơ quan khác, đã có kết quả "
        "hoặc đã quá hạn; đúng hạn: ngày có kết quả không muộn hơn hạn xử lý."
    ),
    "satisfaction_rate": (
        "Tỷ lệ hài lòng trong xử lý PAKN = (tổng − số không hài lòng hoặc quá hạn) / tổng × 100%. "
        "Tổng: PAKN đã có kết quả hoặc đã quá hạn; không hài lòng: người gửi đánh giá 1–2 sao kết quả xử lý; "
        "quá hạn: có kết quả sau hạn hoặc chưa có kết quả khi đã quá hạn."
    ),
}


def _resolved_on_time(item: Feedback) -> bool:
    return local_today(item.resolved_at) <= item.due_at


def ratios(
    sessions: sessionmaker[Session],
    date_from: date | None = None,
    date_to: date | None = None,
    agency_id: str | None = None,
    today: date | None = None,
) -> dict:
    today = today or local_today()
    zone = local_zone()
    # only the four columns the ratios need (rows, not ORM objects: thousands of items stay cheap)
    query = select(Feedback.status, Feedback.resolved_at, Feedback.due_at, Feedback.satisfaction).where(Feedback.kind == "feedback")
    if date_from:
        query = query.where(Feedback.received_at >= datetime.combine(date_from, time.min, zone).astimezone(timezone.utc))
    if date_to:
        query = query.where(Feedback.received_at <= datetime.combine(date_to, time.max, zone).astimezone(timezone.utc))
    if agency_id:
        query = query.where(Feedback.agency_id == agency_id)
    with sessions() as session:
        items = session.execute(query).all()
    decided = []  # items whose outcome is known: resolved, or past due without a result
    for item in items:
        resolved = item.status in ("resolved", "published") and item.resolved_at is not None
        overdue_open = item.status not in CLOSED and item.due_at is not None and item.due_at < today
        if resolved or overdue_open:
            decided.append((item, resolved, overdue_open))
    in_authority = [(i, r, o) for i, r, o in decided if i.status != "rejected" and i.status != "forwarded"]
    on_time = sum(1 for i, r, _o in in_authority if r and _resolved_on_time(i))
    unsatisfied_or_late = sum(
        1 for i, r, o in decided if o or (r and not _resolved_on_time(i)) or (i.satisfaction is not None and i.satisfaction <= 2)
    )

    def rate(numerator: int, denominator: int) -> float | None:
        return round(100 * numerator / denominator, 2) if denominator else None

    return {
        "received": len(items),
        "on_time_rate": {"value": rate(on_time, len(in_authority)), "on_time": on_time, "in_authority": len(in_authority),
                         "definition": DEFINITIONS["on_time_rate"]},
        "satisfaction_rate": {"value": rate(len(decided) - unsatisfied_or_late, len(decided)), "total": len(decided),
                              "unsatisfied_or_late": unsatisfied_or_late, "definition": DEFINITIONS["satisfaction_rate"]},
    }
