"""Plan tasks: deadline readings and the working-day calendar, extraction against hand labels,
the agency registry, `civic tasks`, questions in chat (with and without diacritics, clock
injected) and reminder digests — once per subscription and day, also with two processes."""
import json
import os
import subprocess
import sys
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from agencies.registry import default_registry
from bot.cli import main
from knowledge.ingest.plans import parse_plan
from knowledge.ingest.readers import read_plan_text
from storage.db import session_factory
from storage.models import OutboundMessage, ReminderDigest, ReminderSubscription
from tasks import reminders, store
from tasks.evaluate import evaluate
from tasks.schedule import parse_deadline
from tests.conftest import ROOT, SAMPLE, SEEDS, Chat, make_pg_schema, needs_shared

SIGNED = date(2023, 2, 22)  # 341/KH-UBND
TODAY = date(2026, 11, 22)
GOLD = ROOT / "tests" / "data" / "tasks_gold"


# ---------------------------------------------------------------------------- readings

@pytest.mark.parametrize("text, kind, due", [
    ("Quý I/2023", "once", date(2023, 3, 31)),
    ("Hoàn thành trong năm 2025", "once", date(2025, 12, 31)),
    ("trong tháng 02/2024", "once", date(2024, 2, 29)),
    ("10 ngày làm việc kể từ ngày ký ban hành kế hoạch này", "once", date(2023, 3, 8)),
    ("6 tháng đầu năm 2024", "once", date(2024, 7, 1)),  # 30/6/2024 is a Sunday
    ("trong tháng 04/2026", "once", date(2026, 5, 4)),  # 30/4 and 1/5 are holidays, then a weekend
    ("Quý I/2023 và những năm tiếp theo", "recurring", date(2023, 3, 31)),
    ("thường xuyên trong năm 2023 và những năm tiếp theo", "continuous", None),
    ("Thực hiện khi có yêu cầu", "on_request", None),
    ("đúng thời gian quy định", "none", None),
])
def test_deadline_readings(text, kind, due):
    schedule = parse_deadline(text, SIGNED)
    assert (schedule.kind, schedule.due) == (kind, due)
    assert schedule.reading  # every reading says how the text was understood


def test_recurring_deadlines_and_days_off():
    report = parse_deadline("chậm nhất ngày 05 của các tháng 3, tháng 6, tháng 9, tháng 12", SIGNED)
    assert report.kind == "recurring" and report.recurring == "ngày 05 các tháng 3, 6, 9, 12"
    # 05/03/2023 is a Sunday, 05/03/2025 a Wednesday, 05/12/2026 a Saturday
    assert report.occurrences(date(2023, 1, 1), date(2023, 12, 31)) == [date(2023, 3, 6), date(2023, 6, 5), date(2023, 9, 5), date(2023, 12, 5)]
    assert report.next_due(TODAY) == date(2026, 12, 7)
    quarterly = parse_deadline("định kỳ 3 tháng, 6 tháng, 9 tháng, năm", SIGNED)
    assert quarterly.kind == "recurring" and quarterly.next_due(TODAY) == date(2026, 12, 31)
    yearly = parse_deadline("Quý I/2023 và những năm tiếp theo", SIGNED)
    assert yearly.occurrences(date(2023, 1, 1), date(2025, 12, 31)) == [date(2023, 3, 31), date(2024, 4, 1), date(2025, 3, 31)]
    # 10 working days over Tết Bính Ngọ (14–22/02/2026 off): signed 10/02/2026
    assert parse_deadline("10 ngày làm việc kể từ ngày ký", date(2026, 2, 10)).due == date(2026, 3, 3)
    # Giỗ Tổ Hùng Vương 10/3 lunar = Sunday 26/04/2026 → Monday 27/04 off too
    assert parse_deadline("chậm nhất ngày 26/04/2026").due == date(2026, 4, 28)


# ---------------------------------------------------------------------------- extraction vs gold

@needs_shared
@pytest.mark.parametrize("gold_file", sorted(GOLD.glob("*.yml")), ids=lambda p: p.stem)
def test_extraction_matches_the_hand_labels(gold_file):
    import yaml

    seed = SEEDS / yaml.safe_load(gold_file.read_text(encoding="utf-8"))["seed"]
    report = evaluate(gold_file, parse_plan(read_plan_text(seed), seed.stem))
    print(json.dumps(report.to_json(), ensure_ascii=False))
    assert report.recall >= 0.95, report.misses
    assert report.lead_accuracy >= 0.90, report.lead_errors
    assert report.due_accuracy >= 0.90, report.due_errors


def test_registry_aliases_levels_and_unknown_units():
    r = default_registry()
    assert r.resolve("Phòng Nội vụ") is r.resolve("P.NV") is r.resolve("Phòng NV") is r.resolve("phong noi vu")
    assert r.resolve("Văn phòng HĐND & UBND huyện") is r.resolve("Văn phòng HĐND&UBND huyện") is r.resolve("VP HĐND và UBND huyện")
    assert r.resolve("UBND xã - thị trấn") is r.resolve("UBND các xã, thị trấn")
    noi_vu = r.resolve("P.NV")
    assert noi_vu.level == "huyện" and noi_vu.abolished == date(2025, 7, 1) and not noi_vu.is_current
    assert r.resolve("Công an xã").level == "xã" and r.resolve("Công an xã").is_current
    units = [m.name for m in r.split_units("Phòng Nội vụ; Hội Nông dân xã, UBND xã - thị trấn.")]
    assert units == ["Phòng Nội vụ", "Hội Nông dân xã", "Ủy ban nhân dân xã"]  # the unknown unit kept as written


def test_sample_plan_tasks_inherit_units_and_times():
    plan = parse_plan(read_plan_text(next(SAMPLE.glob("*.md"))), "sample")
    from tasks.extract import extract

    tasks, targets = extract(plan)
    survey = next(t for t in tasks if t.text.startswith("Tổ chức khảo sát"))
    assert [u["name"] for u in survey.lead] == ["Văn phòng HĐND và UBND xã"]
    assert survey.schedule.occurrences(date(2026, 1, 1), date(2026, 12, 31)) == [date(2026, 6, 30), date(2026, 12, 31)]
    online = next(t for t in tasks if t.text.startswith("Hướng dẫn người dân nộp hồ sơ trực tuyến"))
    assert [u["name"] for u in online.coordinating] == ["Công an xã"] and online.schedule.due == date(2026, 12, 31)
    assert any(t.value == 90 and "Tỷ lệ hài lòng" in t.subject for t in targets)


# ---------------------------------------------------------------------------- queries and CLI

@pytest.fixture
def plans_db(civic_db, embedder):
    """Both seeds with hand labels ingested (documents only) on each database."""
    from knowledge.service import KnowledgeBase

    if not SEEDS.exists():
        pytest.skip("../shared is absent")
    report, _ = KnowledgeBase(embedder=embedder).ingest([SEEDS / "003_9a23d4ea0e0477f2.txt", SEEDS / "000_8a136355b02a2e13.txt"], rebuild=False)
    assert not report.failed
    store.sync(session_factory())
    return civic_db


def run_json(capsys, *argv):
    assert main(["tasks", *argv, "--json", "--today", TODAY.isoformat()]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_civic_tasks_filters(plans_db, capsys):
    items = run_json(capsys, "--agency", "P.NV", "--status", "due")
    assert {"plan_id", "doc_number", "section", "title", "lead", "coordinating", "deadline_text", "due", "recurring", "next_due"} <= set(items[0])
    by_section = {i["section"]: i for i in items}
    assert by_section["IV"]["next_due"] == "2026-12-07" and by_section["IV"]["recurring"] == "ngày 05 các tháng 3, 6, 9, 12"
    assert by_section["II.3"]["role"] == "coordinating" and by_section["II.3"]["lead"] == ["Văn phòng HĐND và UBND huyện"]
    assert all(i["next_due"] <= "2026-12-22" for i in items)
    overdue = run_json(capsys, "--plan", "341", "--status", "overdue")
    assert [(i["section"], i["due"]) for i in overdue] == [("V", "2023-03-08")]
    ongoing = run_json(capsys, "--agency", "Phòng Văn hóa & Thông tin", "--status", "ongoing")
    assert ongoing and all(i["status"] == "ongoing" for i in ongoing)
    window = run_json(capsys, "--agency", "Thanh tra huyện", "--from", "2026-12-01", "--to", "2026-12-31")
    assert window == []  # Thanh tra huyện's tasks are all ongoing


def test_bad_dates_get_a_vietnamese_message(plans_db):
    with pytest.raises(SystemExit) as stop:
        main(["tasks", "--from", "31/12/2026"])
    assert "Ngày không hợp lệ" in str(stop.value)


# ---------------------------------------------------------------------------- in conversation

@pytest.fixture
def official(plans_db, nlu):
    from dialogue.engine import Engine

    engine = Engine(nlu=nlu, clock=lambda: datetime(2026, 11, 22, 2, 0, tzinfo=timezone.utc))
    return Chat(engine, user="official-1")


@pytest.mark.parametrize("question", ["Phòng Nội vụ có việc gì đến hạn trong quý này?", "phong noi vu co viec gi den han trong quy nay"])
def test_unit_due_this_quarter(official, question):
    official.say(question)
    text = official.last
    assert "Phòng Nội vụ có 4 nhiệm vụ đến hạn từ 22/11/2026 đến 31/12/2026" in text
    assert "07/12/2026 (còn 15 ngày)" in text and "31/12/2026 (còn 39 ngày)" in text
    assert "KH 341/KH-UBND, mục IV" in text and "(đơn vị được hỏi phối hợp)" in text


@pytest.mark.parametrize("question", ["hạn báo cáo quý theo kế hoạch 341 là ngày nào?", "han bao cao quy theo ke hoach 341 la ngay nao"])
def test_plan_report_deadline(official, question):
    official.say(question)
    first = official.last.splitlines()[0]
    assert first.startswith("Theo KH 341/KH-UBND, mục IV:") and "07/12/2026 (còn 15 ngày)" in first
    assert "chậm nhất ngày 05 của các tháng 3" in official.last


@pytest.mark.parametrize("question", ["những nhiệm vụ nào đang quá hạn?", "nhung nhiem vu nao dang qua han"])
def test_overdue_tasks(official, question):
    official.say(question)
    assert "1 nhiệm vụ đã quá hạn (tính đến 22/11/2026)" in official.last
    assert "08/03/2023 (quá hạn 1355 ngày)" in official.last and "mục V" in official.last


# ---------------------------------------------------------------------------- reminders

def test_reminders_subscribe_digest_once_unsubscribe(official):
    official.say("đăng ký nhắc hạn cho Phòng Nội vụ")
    assert "Đã đăng ký nhắc việc cho Phòng Nội vụ" in official.last
    sessions = session_factory()
    report = reminders.run(sessions, date(2026, 12, 1), days_ahead=7)
    assert (report.digests, report.messages) == (1, 1)
    assert reminders.run(sessions, date(2026, 12, 1), days_ahead=7).digests == 0  # once a day
    assert reminders.run(sessions, date(2026, 12, 5), days_ahead=7).skipped_day_off  # a Saturday
    with sessions() as s:
        message = s.scalar(select(OutboundMessage).where(OutboundMessage.kind == "reminder"))
    assert message.text.startswith("Nhắc việc ngày 01/12/2026 — Phòng Nội vụ")
    assert "07/12/2026 (còn 6 ngày)" in message.text and "mục IV" in message.text
    official.say("hủy nhắc việc")
    assert "Đã hủy nhắc việc" in official.last
    assert reminders.run(sessions, date(2026, 12, 2), days_ahead=7).digests == 0


SUBSCRIBERS = 12


@pytest.fixture
def pg_with_subscriptions(pg_server, tmp_path, monkeypatch, embedder):
    url, drop = make_pg_schema(pg_server)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CIVIC_HOME", str(tmp_path / "home"))
    from core.config import reset_settings
    from knowledge.service import KnowledgeBase
    from storage.db import dispose_engines
    from storage.models import Conversation

    dispose_engines()
    reset_settings()
    if not SEEDS.exists():
        pytest.skip("../shared is absent")
    KnowledgeBase(embedder=embedder).ingest([SEEDS / "003_9a23d4ea0e0477f2.txt"], rebuild=False)
    with session_factory()() as s:
        for i in range(SUBSCRIBERS):
            conversation = Conversation(channel="telegram", user_id=f"official-{i}", chat_id=str(1000 + i), state={})
            s.add(conversation)
            s.flush()
            s.add(ReminderSubscription(conversation_id=conversation.id, agency_id="phong-noi-vu-huyen", agency_name="Phòng Nội vụ"))
        s.commit()
    yield url
    dispose_engines()
    drop()


def test_two_processes_send_each_digest_once(pg_with_subscriptions):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot.cli", "reminders", "run", "--date", "2026-12-01", "--json"]
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    reports = [json.loads(out) for out, _ in outputs]
    assert sum(r["digests"] for r in reports) == SUBSCRIBERS
    with session_factory()() as s:
        assert s.scalar(select(func.count()).select_from(ReminderDigest)) == SUBSCRIBERS
        messages = s.scalars(select(OutboundMessage).where(OutboundMessage.kind == "reminder")).all()
    assert len(messages) == SUBSCRIBERS and len({m.conversation_id for m in messages}) == SUBSCRIBERS
