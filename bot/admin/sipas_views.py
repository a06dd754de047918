"""SIPAS statistics: overall, element and criterion indices by period and agency, a quarterly
trend, exports, and the QĐ 766 feedback ratios."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.admin.auth import require
from bot.admin.charts import bars, trend
from bot.admin.common import agency_choices, render
from feedback import stats as feedback_stats
from storage.db import session_factory
from survey import stats

router = APIRouter()
CHANNELS = {"web": "Trò chuyện trên web", "telegram": "Telegram", "zalo_bot": "Zalo Bot", "zalo_oa": "Zalo OA"}


def _filters(date_from: str | None, date_to: str | None, agency: str | None) -> stats.Filters:
    def day(value):
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    return stats.Filters(day(date_from), day(date_to), agency or None)


@router.get("/sipas")
def page(request: Request, agency: str | None = None):
    user = require(request, "sipas")
    params = request.query_params
    filters = _filters(params.get("from"), params.get("to"), agency)
    sessions = session_factory()
    report = stats.report(sessions, filters)
    periods = stats.breakdown(sessions, "period", filters)
    channels = [{**c, "label": CHANNELS.get(c["key"], c["label"])} for c in stats.breakdown(sessions, "channel", filters)]
    element_chart = bars([(e["name"], e["index"], f"(n = {e['n']})") for e in report["elements"]], title="Chỉ số theo yếu tố")
    criterion_charts = [bars([(c["text"], c["index"], f"(n = {c['n']})") for c in e["criteria"]], title=e["name"]) for e in report["elements"]]
    points = [(p["label"], p["index"]) for p in periods]
    ratios = feedback_stats.ratios(sessions, filters.date_from, filters.date_to, filters.agency_id)
    query = urlencode({k: v for k, v in {"from": params.get("from"), "to": params.get("to"), "agency": agency}.items() if v})
    return render(request, "sipas.html", user, "sipas", "Khảo sát SIPAS", report=report, element_chart=element_chart,
                  criterion_charts=criterion_charts, trend_chart=trend(points, title="Chỉ số hài lòng chung theo quý"),
                  trend_points=points, ratios=ratios, channels=channels, agencies=agency_choices(), query=query,
                  f={"date_from": params.get("from"), "date_to": params.get("to"), "agency": agency})


@router.get("/sipas/export.{fmt}")
def export(request: Request, fmt: str, agency: str | None = None):
    require(request, "sipas")
    params = request.query_params
    filters = _filters(params.get("from"), params.get("to"), agency)
    sessions = session_factory()
    result = stats.report(sessions, filters)
    if fmt == "xlsx":
        data = stats.to_xlsx({"Chỉ số": stats.table_rows(result), "Câu trả lời": stats.answer_rows(sessions, filters)})
        return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="sipas.xlsx"'})
    return Response(stats.to_csv(stats.table_rows(result)).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="sipas.csv"'})
