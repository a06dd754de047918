"""SIPAS statistics. The formula lives here, once, and every report states it."""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, sessionmaker

from core.localtime import local_zone
from storage.models import SurveyAnswer, SurveyResponse
from survey.questionnaire import Questionnaire, current_questionnaire

FORMULA = (
    "Chỉ số tiêu chí = số câu trả lời mức 4 hoặc 5 / số câu trả lời của tiêu chí × 100%; "
    "chỉ số yếu tố = trung bình cộng chỉ số các tiêu chí của yếu tố; chỉ số chung = trung bình cộng chỉ số các yếu tố. "
    "Điểm trung bình = trung bình điểm 1–5 của các câu trả lời. Câu bỏ qua không được tính. "
    "Khoảng tin cậy 95% = khoảng Wilson của tỷ lệ câu trả lời mức 4–5 (gộp mọi câu trả lời của tiêu chí, yếu tố hoặc toàn phiếu). "
    "Chỉ tính các phiếu đã hoàn thành. (Công thức theo cách các địa phương công bố kết quả SIPAS; chưa đối chiếu với văn bản hướng dẫn chính thức.)"
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
    zone = local_zone()
    start = datetime.combine(filters.date_from, time.min, zone).astimezone(timezone.utc) if filters.date_from else None
    end = datetime.combine(filters.date_to, time.max, zone).astimezone(timezone.utc) if filters.date_to else None
    return start, end


def _conditions(filters: Filters, questionnaire: Questionnaire) -> list:
    """The WHERE clauses of the completed responses a report covers."""
    conditions = [SurveyResponse.status == "completed", SurveyResponse.questionnaire == questionnaire.key]
    start, end = _bounds(filters)
    if start:
        conditions.append(SurveyResponse.completed_at >= start)
    if end:
        conditions.append(SurveyResponse.completed_at <= end)
    for column, value in ((SurveyResponse.agency_id, filters.agency_id), (SurveyResponse.procedure_code, filters.procedure_code),
                          (SurveyResponse.channel, filters.channel)):
        if value:
            conditions.append(column == value)
    return conditions


def _answers(session: Session, filters: Filters, questionnaire: Questionnaire, *columns):
    """One row per answered criterion of the covered responses: (*columns, criterion_id, score) —
    one joined query, however many responses. A response whose criteria were all skipped still
    gives one row, with criterion_id and score None, so that it is counted."""
    answered = and_(SurveyAnswer.response_id == SurveyResponse.id, SurveyAnswer.score.is_not(None))
    return session.execute(
        select(*columns, SurveyAnswer.criterion_id, SurveyAnswer.score).select_from(SurveyResponse)
        .outerjoin(SurveyAnswer, answered).where(*_conditions(filters, questionnaire))
    )


def report(sessions: sessionmaker[Session], filters: Filters | None = None, questionnaire: Questionnaire | None = None) -> dict:
    filters = filters or Filters()
    questionnaire = questionnaire or current_questionnaire()
    responses: set[int] = set()
    scores: dict[str, list[int]] = defaultdict(list)
    with sessions() as session:
        for response_id, criterion_id, score in _answers(session, filters, questionnaire, SurveyResponse.id):
            responses.add(response_id)
            if criterion_id is not None:
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
    zone = local_zone()
    by_column = {"agency": (SurveyResponse.agency_id, SurveyResponse.agency_name),
                 "procedure": (SurveyResponse.procedure_code, SurveyResponse.procedure_title),
                 "channel": (SurveyResponse.channel, SurveyResponse.channel)}
    groups: dict[str, dict] = {}
    with sessions() as session:
        # the group of each response first (one row per response), then the answers (no dates to parse per answer)
        group_of: dict[int, dict] = {}
        columns = by_column.get(by, (SurveyResponse.completed_at, SurveyResponse.completed_at))
        for response_id, key, label in session.execute(select(SurveyResponse.id, *columns).where(*_conditions(filters, questionnaire))):
            if by in by_column:
                key, label = key or label or "-", label or "-"
            else:  # the quarter of completion, in local time
                local = key.astimezone(zone)
                key = label = f"{local.year}-Q{(local.month - 1) // 3 + 1}"
            group_of[response_id] = groups.setdefault(key, {"label": label, "responses": 0, "scores": defaultdict(list)})
            group_of[response_id]["responses"] += 1
        for response_id, criterion_id, score in _answers(session, filters, questionnaire, SurveyResponse.id):
            if criterion_id is not None and response_id in group_of:  # not one completed in between
                group_of[response_id]["scores"][criterion_id].append(score)
    return [{"key": key, "label": g["label"], "responses": g["responses"], **_overall(questionnaire, g["scores"])}
            for key, g in sorted(groups.items())]


def _overall(questionnaire: Questionnaire, scores: dict[str, list[int]]) -> dict:
    element_indices = [_mean([_summary(scores.get(c.id, []))["index"] for c in element.criteria]) for element in questionnaire.elements]
    overall = _summary([s for v in scores.values() for s in v])
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
    """The anonymous answers, one row per questionnaire and one column per criterion (score 1–5,
    blank when skipped): the layout a statistician opens in a spreadsheet."""
    filters = filters or Filters()
    questionnaire = current_questionnaire()
    criteria = [c.id for e in questionnaire.elements for c in e.criteria]
    position = {criterion: 10 + i for i, criterion in enumerate(criteria)}
    rows = [["Phiếu", "Bộ câu hỏi", "Cơ quan", "Thủ tục", "Kênh", "Kỳ", "Ngày hoàn thành", "Giới tính", "Nhóm tuổi", "Nghề nghiệp", *criteria]]
    query = (
        select(SurveyResponse.id, SurveyResponse.questionnaire, SurveyResponse.agency_name, SurveyResponse.procedure_title,
               SurveyResponse.channel, SurveyResponse.period_key, SurveyResponse.completed_at, SurveyResponse.profile,
               SurveyAnswer.criterion_id, SurveyAnswer.score)
        .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(*_conditions(filters, questionnaire)).order_by(SurveyResponse.id)
    )
    current = None
    with sessions() as session:
        for response_id, key, agency, procedure, channel, period, completed, profile, criterion_id, score in session.execute(query):
            if current != response_id:  # numbered per export: no stable link to a person
                current, profile = response_id, profile or {}
                rows.append([len(rows), key, agency or "", procedure or "", channel or "", period,
                             completed.date().isoformat() if completed else "", profile.get("sex") or "", profile.get("age") or "",
                             profile.get("occupation") or "", *[""] * len(criteria)])
            if criterion_id in position and score is not None:
                rows[-1][position[criterion_id]] = score
    return rows


def to_csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def to_xlsx(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)  # streams rows: tens of thousands of answers stay fast
    bold = Font(bold=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for number, row in enumerate(rows):
            if number == 0:
                row = [WriteOnlyCell(sheet, value=value) for value in row]
                for cell in row:
                    cell.font = bold
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
