"""Dashboard page times on a commune-sized year of data: 5,000 feedback items, 2,000 completed
SIPAS questionnaires (44,000 answers), 30,000 logged turns (a tenth unanswered). Pages are
served by the real app (in-process ASGI client), signed in as an administrator, warm, one request
at a time. A benchmark, not a test. SQLite by default; DATABASE_URL=postgresql+psycopg://... to
run it on PostgreSQL (use an empty database). Writes bench-results/dashboard.json."""
from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FEEDBACK, SURVEYS, TURNS, REPEAT = 5000, 2000, 30000, 15
PAGES = ["/admin/", "/admin/feedback", "/admin/feedback?overdue=1", "/admin/feedback?agency=cong-an-xa&status=received",
         "/admin/sipas", "/admin/sipas/export.xlsx", "/admin/tasks", "/admin/knowledge", "/admin/unanswered"]
PASSWORD = "bench-mat-khau-2026"


def populate(sessions) -> str:
    from agencies.registry import default_registry
    from storage.models import Conversation, Feedback, SurveyAnswer, SurveyResponse, Turn
    from survey.questionnaire import current_questionnaire
    from survey.service import period_key

    rng = random.Random(7)
    units = ["van-phong-ubnd-xa", "cong-an-xa", "trung-tam-phvhcc-xa"]
    names = {u: default_registry().get(u).name for u in units}
    now = datetime.now(timezone.utc)
    q = current_questionnaire()
    with sessions() as s:
        conversation = Conversation(channel="web", user_id="bench", state={})
        s.add(conversation)
        s.flush()
        for n in range(FEEDBACK):
            unit = rng.choice(units)
            received = now - timedelta(days=rng.randint(0, 365))
            s.add(Feedback(code=f"PA-2026-{n + 1:06d}", category=rng.choice(["conduct", "procedure", "regulation", "other"]),
                           status=rng.choice(["received", "classified", "processing", "resolved", "published"]),
                           content=f"Phản ánh thử số {n}: hồ sơ chậm trả kết quả", agency_id=unit, agency_name=names[unit],
                           reporter_name="Người dân", reporter_phone="+84912000000", channel="web", received_at=received,
                           due_at=(received + timedelta(days=15)).date(), conversation_id=conversation.id))
        s.flush()
        for n in range(SURVEYS):
            day = date.today() - timedelta(days=rng.randint(0, 720))
            unit = rng.choice(units)
            response = SurveyResponse(questionnaire=q.key, agency_id=unit, agency_name=names[unit], channel="web",
                                      period_key=period_key(day), respondent_key=f"bench-{n}", status="completed",
                                      completed_at=datetime(day.year, day.month, day.day, 3, tzinfo=timezone.utc))
            response.answers = [SurveyAnswer(element_id=e.id, criterion_id=c.id, score=rng.choice([2, 3, 4, 4, 5, 5]))
                                for e in q.elements for c in e.criteria]
            s.add(response)
        s.flush()
        questions = ["thủ tục cấp phép bay flycam", "xin giấy phép nuôi cá sấu", "đăng ký khai sinh cần gì", "lệ phí cấp đổi căn cước"]
        for n in range(TURNS):
            unanswered = n % 10 == 0
            s.add(Turn(conversation_id=conversation.id, channel="web", text=f"{rng.choice(questions)} {n % 300}",
                       intent="ask_procedure", answer_status="no_content_found" if unanswered else "answered",
                       answer_confidence=None if unanswered else 0.9, created_at=now - timedelta(minutes=n)))
        s.commit()
    return "done"


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        os.environ["CIVIC_HOME"] = tempfile.mkdtemp(prefix="civic-bench-dashboard-")
    os.environ.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))
    from fastapi.testclient import TestClient

    from accounts import users
    from bot.server import create_app
    from storage.db import get_engine, migrate, session_factory

    migrate(get_engine())
    sessions = session_factory()
    started = time.perf_counter()
    populate(sessions)
    fill_seconds = time.perf_counter() - started
    users.create(sessions, "bench", PASSWORD, "admin")
    results = {}
    with TestClient(create_app()) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
        client.post("/admin/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
        for page in PAGES:
            assert client.get(page).status_code == 200, page  # warm
            times = []
            for _ in range(REPEAT):
                t = time.perf_counter()
                response = client.get(page)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, page
            times.sort()
            results[page] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                             "bytes": len(response.content)}
    report = {"database": get_engine().dialect.name, "feedback": FEEDBACK, "surveys": SURVEYS, "turns": TURNS,
              "fill_seconds": round(fill_seconds, 1), "pages": results,
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "dashboard.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"dashboard on {report['database']}: {FEEDBACK} feedback, {SURVEYS} surveys, {TURNS} turns (filled in {report['fill_seconds']} s)")
    for page, r in results.items():
        print(f"  {page:55} p50 {r['p50_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   {r['bytes'] / 1024:6.1f} KB")
    print(f"  peak RSS {report['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
