"""SIPAS statistics. The formula lives here, once, and every report states it."""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import get_settings
from storage.models import SurveyAnswer, SurveyResponse
from survey.questionnaire import Questionnaire, current_questionnaire

FORMULA = (
    "Chỉ số tiêu chí = số câu trả lời mức 4 hoặc 5 / số câu trả lời của tiêu chí × 100%; "
    "chỉ số yếu tố = trung bình cộng chỉ số các tiêu chí của yếu tố; chỉ số chung = trung bình cộng chỉ số các yếu tố. "
    "Điểm trung bình = trung bình điểm 1–5 của các câu trả lời. Câu bỏ qua không được tính. "
    "Khoảng tin cậy 95% = khoảng Wilson của tỷ lệ câu trả lời mức 4–5 (gộp mọi câu trả lời của tiêu chí, yếu tố hoặc toàn phiếu). "
    "Chỉ tính các phiếu đã hoàn thành. (Công thức theo cách công bố kết quả SIPAS; CHƯA XÁC NHẬN bằng văn bản.)"
)


@dataclass
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    agency_id: str | None = None
    procedure_code: str | None = None
    channel: str | None = None

    def to_json(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v is not None}


def wilson(successes: int, n: int, z: float = 1.96) -> list[float] | None:
    """95% Wilson score interval of a proportion, in percent."""
    if n == 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return [round(100 * (centre - margin), 2), round(100 * (centre + margin), 2)]


def _summary(scores: list[int]) -> dict:
    n = len(scores)
    satisfied = sum(1 for s in scores if s >= 4)
    return {
        "index": round(100 * satisfied / n, 2) if n else None,
        "mean": round(sum(scores) / n, 3) if n else None,
        "n": n,
        "satisfied": satisfied,
        "ci95": wilson(satisfied, n),
    }


def _mean(values: list[float]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def _bounds(filters: Filters) -> tuple[datetime | None, datetime | None]:
    zone = ZoneInfo(get_settings().nlu.timezone)
    start = datetime.combine(filters.date_from, time.min, zone).astimezone(timezone.utc) if filters.date_from else None
    end = datetime.combine(filters.date_to, time.max, zone).astimezone(timezone.utc) if filters.date_to else None
    return start, end


def completed_responses(session: Session, filters: Filters, questionnaire: Questionnaire):
    query = select(SurveyResponse).where(SurveyResponse.status == "completed", SurveyResponse.questionnaire == questionnaire.key)
    start, end = _bounds(filters)
    if start:
        query = query.where(SurveyResponse.completed_at >= start)
    if end:
        query = query.where(SurveyResponse.completed_at <= end)
    if filters.agency_id:
        query = query.where(SurveyResponse.agency_id == filters.agency_id)
    if filters.procedure_code:
        query = query.where(SurveyResponse.procedure_code == filters.procedure_code)
    if filters.channel:
        query = query.where(SurveyResponse.channel == filters.channel)
    return session.scalars(query.order_by(SurveyResponse.id)).all()


def report(sessions: sessionmaker[Session], filters: Filters | None = None, questionnaire: Questionnaire | None = None) -> dict:
    filters = filters or Filters()
    questionnaire = questionnaire or current_questionnaire()
    with sessions() as session:
        responses = completed_responses(session, filters, questionnaire)
        ids = [r.id for r in responses]
        scores: dict[str, list[int]] = defaultdict(list)
        for chunk in range(0, len(ids), 500):
            for criterion_id, score in session.execute(
                select(SurveyAnswer.criterion_id, SurveyAnswer.score).where(
                    SurveyAnswer.response_id.in_(ids[chunk : chunk + 500]), SurveyAnswer.score.is_not(None)
                )
            ):
                scores[criterion_id].append(score)
    elements = []
    for element in questionnaire.elements:
        criteria = [
            {"id": c.id, "text": c.text, "confirmed": c.confirmed, **_summary(scores.get(c.id, []))} for c in element.criteria
        ]
        pooled = [s for c in element.criteria for s in scores.get(c.id, [])]
        pooled_summary = _summary(pooled)
        elements.append(
            {
                "id": element.id,
                "name": element.name,
                "index": _mean([c["index"] for c in criteria]),
                "mean": pooled_summary["mean"],
                "n": pooled_summary["n"],
                "ci95": pooled_summary["ci95"],
                "criteria": criteria,
            }
        )
    everything = [s for values in scores.values() for s in values]
    overall = _summary(everything)
    overall["index"] = _mean([e["index"] for e in elements])
    return {
        "questionnaire": questionnaire.key,
        "filters": filters.to_json(),
        "responses": len(responses),
        "overall": {k: overall[k] for k in ("index", "mean", "n", "ci95")},
        "elements": elements,
        "formula": FORMULA,
        "unconfirmed_criteria": questionnaire.unconfirmed,
    }


def breakdown(sessions: sessionmaker[Session], by: str, filters: Filters | None = None) -> list[dict]:
    """Overall index by agency, procedure, channel or period (quarter of completion)."""
    filters = filters or Filters()
    questionnaire = current_questionnaire()
    with sessions() as session:
        responses = completed_responses(session, filters, questionnaire)
        groups: dict[str, list[int]] = defaultdict(list)
        labels: dict[str, str] = {}
        zone = ZoneInfo(get_settings().nlu.timezone)
        for r in responses:
            if by == "agency":
                key, label = r.agency_id or r.agency_name or "-", r.agency_name or "-"
            elif by == "procedure":
                key, label = r.procedure_code or "-", r.procedure_title or "-"
            elif by == "channel":
                key, label = r.channel or "-", r.channel or "-"
            else:
                done = r.completed_at if r.completed_at.tzinfo else r.completed_at.replace(tzinfo=timezone.utc)
                local = done.astimezone(zone)
                key = label = f"{local.year}-Q{(local.month - 1) // 3 + 1}"
            groups[key].append(r.id)
            labels[key] = label
    rows = []
    for key, ids in sorted(groups.items()):
        result = _report_for_ids(sessions, questionnaire, ids)
        rows.append({"key": key, "label": labels[key], "responses": len(ids), **result})
    return rows


def _report_for_ids(sessions, questionnaire: Questionnaire, ids: list[int]) -> dict:
    with sessions() as session:
        scores: dict[str, list[int]] = defaultdict(list)
        for criterion_id, score in session.execute(
            select(SurveyAnswer.criterion_id, SurveyAnswer.score).where(SurveyAnswer.response_id.in_(ids), SurveyAnswer.score.is_not(None))
        ):
            scores[criterion_id].append(score)
    element_indices = []
    for element in questionnaire.elements:
        element_indices.append(_mean([_summary(scores.get(c.id, []))["index"] for c in element.criteria]))
    everything = [s for v in scores.values() for s in v]
    overall = _summary(everything)
    return {"index": _mean(element_indices), "mean": overall["mean"], "n": overall["n"], "ci95": overall["ci95"]}


# ---------------------------------------------------------------------------
# exports: the index table and the anonymous answers (never who answered)


def table_rows(result: dict) -> list[list]:
    rows = [["Cấp", "Mã", "Nội dung", "Chỉ số (%)", "Điểm TB", "n", "KTC95 thấp", "KTC95 cao", "Đã xác nhận"]]
    o = result["overall"]
    rows.append(["Chung", "", "Chỉ số hài lòng chung", o["index"], o["mean"], o["n"], *(o["ci95"] or ["", ""]), ""])
    for e in result["elements"]:
        rows.append(["Yếu tố", e["id"], e["name"], e["index"], e["mean"], e["n"], *(e["ci95"] or ["", ""]), ""])
        for c in e["criteria"]:
            rows.append(["Tiêu chí", c["id"], c["text"], c["index"], c["mean"], c["n"], *(c["ci95"] or ["", ""]), "có" if c["confirmed"] else "chưa"])
    return rows


def answer_rows(sessions: sessionmaker[Session], filters: Filters | None = None) -> list[list]:
    filters = filters or Filters()
    questionnaire = current_questionnaire()
    rows = [["Phiếu", "Bộ câu hỏi", "Cơ quan", "Thủ tục", "Kênh", "Kỳ", "Ngày hoàn thành", "Giới tính", "Nhóm tuổi", "Nghề nghiệp", "Tiêu chí", "Điểm"]]
    with sessions() as session:
        responses = completed_responses(session, filters, questionnaire)
        for number, response in enumerate(responses, 1):  # numbered per export: no stable link to a person
            profile = response.profile or {}
            answers = session.scalars(select(SurveyAnswer).where(SurveyAnswer.response_id == response.id).order_by(SurveyAnswer.criterion_id))
            for answer in answers:
                rows.append([
                    number, response.questionnaire, response.agency_name or "", response.procedure_title or "", response.channel or "",
                    response.period_key, (response.completed_at.date().isoformat() if response.completed_at else ""),
                    profile.get("sex") or "", profile.get("age") or "", profile.get("occupation") or "", answer.criterion_id,
                    answer.score if answer.score is not None else "",
                ])
    return rows


def to_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def to_xlsx(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
