"""Survey responses: start or resume, one answer at a time, one response per user, agency and
period. A response never stores who answered: ``respondent_key`` is a keyed hash used only to
find a duplicate or an unfinished response of the same person."""
from __future__ import annotations

import hashlib
import hmac
from typing import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import get_settings
from storage.models import SurveyAnswer, SurveyResponse
from survey.questionnaire import Questionnaire, Step


@dataclass
class Subject:
    agency_id: str | None = None
    agency_name: str | None = None
    procedure_code: str | None = None
    procedure_title: str | None = None

    @property
    def label(self) -> str:
        if self.procedure_title:
            return f"thủ tục {self.procedure_title}"
        return self.agency_name or "cơ quan"

    @property
    def key(self) -> str:
        return self.agency_id or (f"procedure:{self.procedure_code}" if self.procedure_code else (self.agency_name or "").lower())


@dataclass
class Progress:
    response_id: int | None
    step: Step | None  # the next question, None when all are answered
    answered: int
    total: int
    resumed: bool = False
    already_done: bool = False
    refused: bool = False  # a new response was not allowed (too many started from one address)
    rated: int = 0  # criteria answered, counted as the questions are numbered ("Câu 7/22")
    criteria: int = 0


def period_key(day: date, per: str | None = None) -> str:
    per = per or get_settings().survey.one_response_per
    if per == "month":
        return f"{day.year}-{day.month:02d}"
    if per == "year":
        return str(day.year)
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def respondent_key(channel: str, user_id: str, subject: Subject, period: str) -> str:
    salt = get_settings().feedback.respondent_salt.encode()
    message = f"{channel}|{user_id}|{subject.key}|{period}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:40]


def _answered(session: Session, response: SurveyResponse) -> set[str]:
    ids = set(session.scalars(select(SurveyAnswer.criterion_id).where(SurveyAnswer.response_id == response.id)))
    return ids | {f"profile:{k}" for k in (response.profile or {})}


def _next(steps: list[Step], answered: set[str]) -> Step | None:
    for step in steps:
        key = step.id if step.kind == "criterion" else f"profile:{step.id}"
        if key not in answered:
            return step
    return None


def start(
    sessions: sessionmaker[Session],
    questionnaire: Questionnaire,
    channel: str,
    user_id: str,
    subject: Subject,
    today: date,
    with_profile: bool | None = None,
    may_start: Callable[[], bool] | None = None,
) -> Progress:
    """The respondent's response for this subject and period: resumed, already completed, or new
    (only when ``may_start()`` allows it: a fair-use limit per client address)."""
    with_profile = get_settings().survey.ask_profile if with_profile is None else with_profile
    steps = questionnaire.steps(with_profile)
    per = get_settings().survey.one_response_per
    period = period_key(today)
    key = respondent_key(channel, user_id, subject, period) if per != "none" else None
    with sessions() as session, session.begin():
        existing = None
        if key:
            existing = session.scalar(
                select(SurveyResponse)
                .where(SurveyResponse.respondent_key == key, SurveyResponse.questionnaire == questionnaire.key)
                .order_by(SurveyResponse.id.desc())
            )
        if existing is not None and existing.status == "completed":
            return Progress(existing.id, None, len(steps), len(steps), already_done=True)
        if existing is not None:
            answered = _answered(session, existing)
            criteria = {s.id for s in steps if s.kind == "criterion"}
            return Progress(existing.id, _next(steps, answered), len(answered), len(steps), resumed=True,
                            rated=len(answered & criteria), criteria=len(criteria))
        if may_start is not None and not may_start():
            return Progress(None, None, 0, len(steps), refused=True)
        response = SurveyResponse(
            questionnaire=questionnaire.key,
            agency_id=subject.agency_id,
            agency_name=subject.agency_name,
            procedure_code=subject.procedure_code,
            procedure_title=subject.procedure_title,
            channel=channel,
            period_key=period,
            respondent_key=key,
            status="in_progress",
            profile={},
        )
        session.add(response)
        session.flush()
        return Progress(response.id, steps[0] if steps else None, 0, len(steps))


def record(
    sessions: sessionmaker[Session],
    questionnaire: Questionnaire,
    response_id: int,
    step: Step,
    value: int | str | None,
    with_profile: bool | None = None,
) -> Progress:
    """Store the answer to ``step`` (None = skipped) and return what comes next."""
    with_profile = get_settings().survey.ask_profile if with_profile is None else with_profile
    steps = questionnaire.steps(with_profile)
    now = datetime.now(timezone.utc)
    with sessions() as session, session.begin():
        response = session.get(SurveyResponse, response_id, with_for_update=True)
        if step.kind == "criterion":
            answer = session.scalar(
                select(SurveyAnswer).where(SurveyAnswer.response_id == response_id, SurveyAnswer.criterion_id == step.id)
            )
            if answer is None:
                session.add(SurveyAnswer(response_id=response_id, element_id=step.element_id, criterion_id=step.id, score=value, answered_at=now))
            else:
                answer.score, answer.answered_at = value, now
        else:
            response.profile = {**(response.profile or {}), step.id: value}
        session.flush()
        answered = _answered(session, response)
        return Progress(response_id, _next(steps, answered), len(answered), len(steps))


def complete(sessions: sessionmaker[Session], response_id: int) -> None:
    with sessions() as session, session.begin():
        response = session.get(SurveyResponse, response_id)
        response.status = "completed"
        response.completed_at = datetime.now(timezone.utc)
