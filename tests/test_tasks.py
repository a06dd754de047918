"""Plan tasks: deadline readings and the working-day calendar, extraction against hand labels,
the agency registry, `civic tasks`, questions in chat (with and without diacritics, clock
injected) and reminder digests — once per subscription and day, also with two processes."""
import json
import os
import re
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

@pytest.mark.parametrize("text, kind, due, next_due", [
    ("Quý I/2023", "once", date(2023, 3, 31), date(2023, 3, 31)),
    ("Hoàn thành trong năm 2025", "once", date(2025, 12, 31), date(2025, 12, 31)),
    ("trong tháng 02/2024", "once", date(2024, 2, 29), date(2024, 2, 29)),
    ("10 ngày làm việc kể từ ngày ký ban hành kế hoạch này", "once", date(2023, 3, 8), date(2023, 3, 8)),
    ("6 tháng đầu năm 2024", "once", date(2024, 6, 30), date(2024, 7, 1)),  # 30/6/2024 is a Sunday
    ("trong tháng 04/2026", "once", date(2026, 4, 30), date(2026, 5, 4)),  # 30/4 and 1/5 are holidays, then a weekend
    ("Quý I/2023 và những năm tiếp theo", "recurring", date(2023, 3, 31), None),
    ("thường xuyên trong năm 2023 và những năm tiếp theo", "continuous", None, None),
    ("Thực hiện khi có yêu cầu", "on_request", None, None),
    ("đúng thời gian quy định", "none", None, None),
    # shapes of real plans (the gold of tests/data/eval/plans)
    ("trước ngày 15/12/2026", "once", date(2026, 12, 15), date(2026, 12, 15)),  # "trước ngày X": X
    ("Quí IV-2025", "once", date(2025, 12, 31), date(2025, 12, 31)),
    ("giai đoạn 2025 - 2030", "none", None, None),  # in running text a period is not a deadline …
    ("đến năm 2030", "once", date(2030, 12, 31), date(2030, 12, 31)),
    ("từ tháng 10 năm 2025 đến hết tháng 3 năm 2026", "once", date(2026, 3, 31), date(2026, 3, 31)),
    ("trước ngày 31 tháng 12 năm 2025", "once", date(2025, 12, 31), date(2025, 12, 31)),
    ("hoàn thành trong tháng 11/2025", "once", date(2025, 11, 30), date(2025, 12, 1)),
    ("Sau khi có Quy chế của Trung ương", "on_request", None, None),
    ("Theo Kế hoạch riêng", "none", None, None),
    # a range of years that times the text ends with its last year, never its first
    ("Trong giai đoạn 2026 - 2030, bảo đảm phủ sóng 5G", "once", date(2030, 12, 31), date(2030, 12, 31)),
    ("Từ năm 2026 - 2030.", "once", date(2030, 12, 31), date(2030, 12, 31)),
    ("Năm 2026 - 2030", "once", date(2030, 12, 31), date(2030, 12, 31)),
    ("theo Kế hoạch giai đoạn 2021-2025 của tỉnh", "none", None, None),
])
def test_deadline_readings(text, kind, due, next_due):
    schedule = parse_deadline(text, SIGNED)
    assert (schedule.kind, schedule.due) == (kind, due)
    if kind == "once":
        assert schedule.next_due(TODAY) == next_due  # the date the text means; days off move it on
    assert schedule.reading  # every reading says how the text was understood


@pytest.mark.parametrize("text, signed, due", [
    ("2026", date(2025, 11, 19), date(2026, 12, 31)),  # a time column: a bare year …
    ("2025 - 2035", date(2025, 11, 19), date(2035, 12, 31)),  # … or a range ends with its last year
    ("Giai đoạn 2025 - 2030", date(2025, 11, 19), date(2030, 12, 31)),
    ("Trước ngày 30/11/2025", date(2025, 11, 18), date(2025, 11, 30)),
])
def test_time_columns(text, signed, due):
    schedule = parse_deadline(text, signed, column=True)
    assert (schedule.kind, schedule.due) == ("once", due)


@pytest.mark.parametrize("text, signed, due", [
    ("trước ngày 01/6 và 15/11 hằng năm", date(2025, 12, 1), date(2026, 6, 1)),  # the first after signing
    ("trước ngày 30/11 hằng năm", date(2025, 11, 19), date(2025, 11, 30)),
    ("đến ngày 30 tháng 6 hàng năm", date(2025, 11, 24), date(2026, 6, 30)),
    ("Tháng 12 hằng năm", date(2025, 11, 18), date(2025, 12, 31)),
    ("Thường xuyên, hằng năm", date(2025, 11, 18), None),  # yearly, no day stated
])
def test_yearly_deadlines_have_their_first_date(text, signed, due):
    schedule = parse_deadline(text, signed, column=True)
    assert (schedule.kind, schedule.due) == ("recurring", due)
    assert schedule.reading and "lần đầu" in schedule.reading if due else True


def test_readings_are_written_with_diacritics():
    """Readings are shown to users: Vietnamese with its diacritics ("tháng cuối quý", not "cuoi")."""
    unaccented = {"cuoi", "dau", "thang", "quy", "qui", "nam", "ngay", "hang", "ky", "ki", "lan", "truoc", "giua", "dinh"}
    texts = ["ngày 10 tháng cuối quý", "ngày 05 tháng đầu quý", "6 tháng đầu năm và cuối năm", "chậm nhất 10 ngày sau khi kết thúc tháng",
             "10 ngày sau khi kết thúc năm", "Quý II/2026", "trong năm 2026", "10 ngày làm việc kể từ ngày ký", "khi có yêu cầu",
             "thường xuyên", "2025 - 2030", "định kỳ hằng quý", "hằng tháng", "trước ngày 15/12 hằng năm", "Quý I/2023 và những năm tiếp theo"]
    for text in texts:
        schedule = parse_deadline(text, SIGNED, column=True)
        for reading in (schedule.reading, schedule.recurring or ""):
            assert not unaccented & set(re.findall(r"[a-z]+", reading)), (text, reading)
    assert parse_deadline("ngày 10 tháng cuối quý", SIGNED).recurring == "ngày 10 tháng cuối quý"


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
    assert parse_deadline("chậm nhất ngày 26/04/2026").next_due(TODAY) == date(2026, 4, 28)


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
    # units keep the plan's wording; the registry id is what matches "P.NV" to "Phòng Nội vụ"
    assert by_section["II.3"]["role"] == "coordinating" and by_section["II.3"]["lead"] == ["Văn phòng HĐND & UBND huyện"]
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
    assert first.startswith("Theo Kế hoạch số 341/KH-UBND ngày 22/02/2023 của Ủy ban nhân dân huyện Chợ Mới, mục IV:")
    assert "07/12/2026 (còn 15 ngày)" in first
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


# ---------------------------------------------------------------------------- shapes of published plans

@pytest.mark.parametrize("text, units", [
    ("Các Sở, ban, ngành", ["Các Sở, ban, ngành"]),
    ("UBND các xã, phường", ["UBND các xã, phường"]),
    ("Sở Nội vụ, Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
    ("Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các xã, phường", ["Thủ trưởng các sở, ban, ngành tỉnh", "Chủ tịch UBND các xã, phường"]),
    ("Các sở, ban, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các xã, phường",
     ["Các sở, ban, ngành", "tổ chức chính trị - xã hội", "Ủy ban nhân dân các xã, phường"]),
    ("Sở Văn hóa, Thể thao và Du lịch, Cổng Thông tin điện tử tỉnh", ["Sở Văn hóa, Thể thao và Du lịch", "Cổng Thông tin điện tử tỉnh"]),
    ("Sở Tài chính và Ủy ban nhân dân các xã, phường", ["Sở Tài chính", "Ủy ban nhân dân các xã, phường"]),
    ("Bộ Quốc phòng và cơ quan, địa phương liên quan", ["Bộ Quốc phòng", "cơ quan, địa phương liên quan"]),
    ("Các cơ quan, đơn vị, địa phương thuộc tỉnh", ["Các cơ quan, đơn vị, địa phương thuộc tỉnh"]),
    ("Văn phòng HĐND và UBND huyện; các ngành liên quan", ["Văn phòng HĐND và UBND huyện", "các ngành liên quan"]),
    ("Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh",
     ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội tỉnh"]),
    # a named place closes an admin group instead of opening a unit
    ("UBND các xã, thị trấn, đặc khu Bạch Long Vĩ", ["UBND các xã, thị trấn, đặc khu Bạch Long Vĩ"]),
    ("Sở Y tế, UBND thành phố Vinh", ["Sở Y tế", "UBND thành phố Vinh"]),
    # a cell cut after the unit's verb ("… hướng dẫn, kiểm tra việc …")
    ("Sở Giáo dục và Đào tạo hướng dẫn, kiểm tra", ["Sở Giáo dục và Đào tạo"]),
])
def test_unit_lists_are_split_by_meaning(text, units):
    from tasks.units import units_in

    found = units_in(text)
    assert [u["name"] for u in found] == units
    assert default_registry().resolve("Sở Nội vụ") is None or found  # unknown units are kept as written


BLOCKS = """KẾ HOẠCH
Triển khai chuyển đổi số năm 2025

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao hiệu quả quản lý.

II. NHIỆM VỤ, GIẢI PHÁP

1. Hoàn thiện thể chế

a) Nhiệm vụ: Rà soát, sửa đổi các quy chế về quản lý dữ liệu của tỉnh.

b) Cơ quan thực hiện:

- Đơn vị chủ trì: Sở Khoa học và Công nghệ.

- Đơn vị phối hợp: Sở Tư pháp, các sở, ban, ngành.

c) Thời gian thực hiện: Quý II/2025.

2. Đào tạo kỹ năng số

- Tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã.

*Đơn vị chủ trì thực
hiện: *Các Sở, ngành, đơn vị, UBND cấp xã.

III. TỔ CHỨC THỰC HIỆN

1. Thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch UBND các xã, phường:

a) Quán triệt đến cán bộ, công chức về nội dung Kế hoạch.

b) Giao Sở Tư pháp rà soát văn bản, hoàn thành trước ngày 30/5/2025.

2. Sở Khoa học và Công nghệ chỉ đạo Trung tâm Chuyển đổi số tỉnh thực hiện các nội dung sau:

- Theo dõi, tổng hợp kết quả, báo cáo định kỳ trước ngày 15/12 hằng năm.

- Hướng dẫn các xã vận hành nền tảng số.
"""


def test_task_blocks_attribute_lines_and_addressee_headings():
    from tasks.extract import extract

    plan = parse_plan(BLOCKS, "blocks")
    plan.issued_date = date(2025, 3, 3)
    tasks, _ = extract(plan)
    texts = [t.text for t in tasks]
    # a) Nhiệm vụ / b) Cơ quan thực hiện / c) Thời gian thực hiện is one task
    block = tasks[0]
    assert block.text == "Rà soát, sửa đổi các quy chế về quản lý dữ liệu của tỉnh."
    assert [u["name"] for u in block.lead] == ["Sở Khoa học và Công nghệ"]
    assert [u["name"] for u in block.coordinating] == ["Sở Tư pháp", "các sở, ban, ngành"] and block.schedule.due == date(2025, 6, 30)
    assert not any(t.startswith(("Cơ quan thực hiện", "Thời gian thực hiện", "Đơn vị")) for t in texts)
    # "*Đơn vị chủ trì thực hiện: *…" with its emphasis cut by the wrap names the lead of the bullets above
    training = next(t for t in tasks if t.text.startswith("Tổ chức tập huấn"))
    assert [u["name"] for u in training.lead] == ["Các Sở, ngành, đơn vị", "UBND cấp xã"]
    # a directive-style heading names the addressees its lettered items inherit; "Giao X" overrides it
    brief = next(t for t in tasks if t.text.startswith("Quán triệt"))
    assert [u["name"] for u in brief.lead] == ["Thủ trưởng các sở, ban, ngành tỉnh", "Chủ tịch UBND các xã, phường"]
    review = next(t for t in tasks if t.text.startswith("Giao Sở Tư pháp"))
    assert [u["name"] for u in review.lead] == ["Sở Tư pháp"] and review.schedule.due == date(2025, 5, 30)
    # "X chỉ đạo Y thực hiện các nội dung sau:": each bullet a task of both; a yearly date's first occurrence
    report = next(t for t in tasks if t.text.startswith("Theo dõi, tổng hợp"))
    assert [u["name"] for u in report.lead] == ["Sở Khoa học và Công nghệ", "Trung tâm Chuyển đổi số tỉnh"]
    assert (report.schedule.kind, report.schedule.due) == ("recurring", date(2025, 12, 15))
    assert not any(t.startswith("Nâng cao hiệu quả") for t in texts)  # purpose holds no task
    for t in tasks:  # never a lead like "Đơn vị", "ban", "ngành", "Cơ quan"
        assert all(u["name"].lower() not in ("đơn vị", "ban", "ngành", "cơ quan", "sở") for u in t.lead)


def test_more_time_expressions_of_real_plans():
    monthly = parse_deadline("báo cáo trước ngày 25 hằng tháng", SIGNED)
    assert monthly.kind == "recurring" and monthly.rules == [{"months": "all", "day": 25}] and monthly.due is None
    assert parse_deadline("6 tháng cuối năm 2025", SIGNED).due == date(2025, 12, 31)
    assert parse_deadline("Hoàn thành trước 30/6/2025", SIGNED).due == date(2025, 6, 30)
    # the start of a period that ends with an event is no deadline
    assert parse_deadline("Từ tháng 10/2025 đến khi tổ chức thành công Đại hội", SIGNED, column=True).kind == "none"
    # a date that only names a cited document is not the deadline; the one after "trước ngày" is
    cited = parse_deadline("Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025, hoàn thành trước ngày 30/9/2025", SIGNED)
    assert cited.due == date(2025, 9, 30)


CROSS_REFERENCES = """KẾ HOẠCH
Phát triển dịch vụ số năm 2026

I. MỤC TIÊU

1. Tỷ lệ hồ sơ trực tuyến đạt 80%.

II. NÂNG CAO CHẤT LƯỢNG DỊCH VỤ SỐ

1. Y tế số

Y tế số là trụ cột của xã hội số trong giai đoạn tới.

Trọng tâm:

a) Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh.

b) Kết nối dữ liệu khám chữa bệnh với cơ sở dữ liệu dân cư.

2. Giáo dục số

2.1. Phổ thông

a) Số hóa học bạ của học sinh các cấp.

2.2. Nghề nghiệp

a) Xây dựng kho học liệu mở cho các trường nghề.

III. TỔ CHỨC THỰC HIỆN

1. Sở Y tế

Chủ trì triển khai các nhiệm vụ tại mục (II) (1) của Kế hoạch.

2. Sở Giáo dục và Đào tạo

Chủ trì thực hiện các nội dung tại mục II.2.1 của Kế hoạch.

3. Sở Nội vụ

a) Chủ trì triển khai các nhiệm vụ tại điểm a mục (II)(2.2).

b) Trong thời hạn 15 ngày kể từ ngày nhận được Kế hoạch này, ban hành kế hoạch của ngành.
"""


def test_cross_references_topic_parts_and_relative_deadlines():
    from tasks.extract import extract

    plan = parse_plan(CROSS_REFERENCES, "xref")
    plan.issued_date = date(2026, 2, 2)
    tasks, _ = extract(plan)
    find = lambda words: next(t for t in tasks if t.text.startswith(words))  # noqa: E731
    lead = lambda words: [u["name"] for u in find(words).lead]  # noqa: E731
    # a part named by what is to be done holds tasks; "Trọng tâm:" items, not the sentence above them
    assert lead("Triển khai bệnh") == ["Sở Y tế"] and lead("Kết nối") == ["Sở Y tế"]
    assert not any(t.text.startswith("Y tế số là") for t in tasks)
    # the narrowest reference wins, written in any of its spellings
    assert lead("Số hóa") == ["Sở Giáo dục và Đào tạo"]
    assert lead("Xây dựng") == ["Sở Nội vụ"]
    assert find("Số hóa").lead_from == "reference"
    # "trong thời hạn 15 ngày kể từ ngày nhận được Kế hoạch này" counts from the plan's date
    own = next(t for t in tasks if t.text.startswith("Trong thời hạn"))
    assert own.schedule.due == date(2026, 2, 17)
    # ... but not from some other letter's receipt
    assert parse_deadline("trong 5 ngày kể từ ngày nhận được văn bản đề nghị của xã", date(2026, 2, 2)).kind == "none"


@pytest.mark.parametrize("question", ["kế hoạch 341 việc nào phải xong sớm nhất?", "ke hoach 341 nhiem vu nao het han truoc"])
def test_earliest_deadline_first(official, question):
    official.say(question)
    lines = official.last.splitlines()
    assert "hạn sớm nhất trước" in lines[0]
    dates = [datetime.strptime(m, "%d/%m/%Y").date() for line in lines[1:] if (m := next(iter(re.findall(r"hạn (?:gần nhất )?(\d{2}/\d{2}/\d{4})", line)), None))]
    assert len(dates) >= 2 and dates == sorted(dates)


def test_the_year_that_names_a_plan_is_no_period(official):
    official.say("Kế hoạch 341 năm 2023 giao Phòng Nội vụ chủ trì những nhiệm vụ nào?")
    named = official.last
    assert "Phòng Nội vụ được giao chủ trì" in named and "có hạn từ 01/01/2023" not in named
    official.say("Kế hoạch 341 giao Phòng Nội vụ chủ trì những nhiệm vụ nào trong năm 2023?")
    assert "có hạn từ 01/01/2023 đến 31/12/2023" in official.last


def test_plan_named_by_place_initials_not_by_a_number_inside_a_word():
    from tasks.answer import PLAN_NUMBER
    from tasks.ask import Plan, find_plans

    assert PLAN_NUMBER.search("bql kcn được giao mấy việc trong kh 5g kcn") is None
    assert PLAN_NUMBER.search("ke hoach 12/kh-ubnd giao gi").group(1) == "12/kh-ubnd"
    saigon = Plan(1, "12/KH-UBND", "Kế hoạch thi hành Luật Việc làm", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh",
                  date(2025, 3, 1), None)
    hue = Plan(2, "30/KH-UBND", "Kế hoạch chuyển đổi số", "Ủy ban nhân dân tỉnh Thừa Thiên Huế", "Huế", date(2025, 4, 1), None)
    assert find_plans([saigon, hue], "sở tài chính tphcm bố trí kinh phí thi hành luật việc làm có hạn ko") == [saigon]
    assert find_plans([saigon, hue], "hcm giao so noi vu viec gi") == [saigon]


def test_a_unit_without_a_plan_named_is_read_in_the_plan_the_search_finds(plans_db):
    from sqlalchemy import select

    from storage.models import Document
    from tasks import ask

    with session_factory()() as session:
        plans = {d.doc_number: d.id for d in session.scalars(select(Document).where(Document.kind == "plan"))}
    question = "phòng nội vụ phải báo cáo khi nào"
    asked = ask.read(session_factory(), question, [], locate=lambda text: [plans["341/KH-UBND"]])
    assert [p.doc_number for p in asked.plans] == ["341/KH-UBND"]
    # a plan in which the unit has no task is not taken for it
    other = ask.read(session_factory(), "phòng tư pháp phải báo cáo khi nào", [], locate=lambda text: [plans["341/KH-UBND"]])
    assert other.unit == "Phòng Tư pháp" and other.plans == []
    # no unit and no plan named: one task's deadline is read in the plan the search finds; a
    # digest of what falls due ("việc gì đến hạn tuần này") is not
    topic = ask.read(session_factory(), "khảo sát sự hài lòng của người dân kéo dài tới hết tháng mấy", [],
                     locate=lambda text: [plans["341/KH-UBND"]])
    assert [p.doc_number for p in topic.plans] == ["341/KH-UBND"]
    assert ask.read(session_factory(), "có việc gì đến hạn tuần này", [], locate=lambda text: [plans["341/KH-UBND"]]) is None


def test_a_unit_named_in_brackets_is_the_way_not_the_unit_asked():
    from tasks.ask import _WHEN_CUE, _asked_unit
    from vietnamese.text import fold as folded

    names = ["Sở Nông nghiệp và Môi trường", "Chi cục Thủy sản"]
    assert _asked_unit("Sở Nông nghiệp và Môi trường (qua Chi cục Thủy sản) phải làm những việc gì", names) == names[0]
    assert _asked_unit("chi cục thủy sản phải làm những việc gì", names) == names[1]
    assert all(_WHEN_CUE.search(folded(q)) for q in ("kéo dài tới hết tháng mấy", "trước một ngày cụ thể nào", "đến hết giai đoạn nào"))
    assert not _WHEN_CUE.search(folded("kế hoạch có mấy giai đoạn"))


def test_numbers_that_name_no_plan_do_not_pick_one():
    from tasks.ask import Plan, find_plans, plan_scores

    directive = Plan(1, "06/CT-UBND", "Chỉ thị về tăng cường quản lý trật tự xây dựng", "Ủy ban nhân dân tỉnh Quảng Trị", "Quảng Trị",
                     date(2025, 11, 25), None)
    drugs = Plan(2, "182/KH-UBND", "Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy", "Ủy ban nhân dân tỉnh Đồng Nai",
                 "Đồng Nai", date(2025, 11, 20), None)
    assert directive not in find_plans([directive, drugs], "sở y tế triển khai dự án 6 phòng chống ma túy hạn là bao giờ")
    assert plan_scores([directive, drugs], "tỷ lệ 80% xã phải đạt khi nào")[1] is False
    assert find_plans([directive, drugs], "chỉ thị 06 giao sở xây dựng việc gì") == [directive]
    assert find_plans([directive, drugs], "kế hoạch số 0182 giao gì")[0] == drugs


def test_two_plans_on_one_subject_are_told_apart_by_the_search_not_by_their_titles():
    from tasks.ask import Plan, _located

    a = Plan(1, "153/KH-UBND", "Kế hoạch thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy đến năm 2030",
             "Ủy ban nhân dân thành phố Cần Thơ", "Cần Thơ", date(2025, 11, 17), None)
    b = Plan(2, "182/KH-UBND", "Kế hoạch triển khai Chương trình mục tiêu quốc gia phòng, chống ma túy giai đoạn 2025 - 2030",
             "Ủy ban nhân dân tỉnh Đồng Nai", "Đồng Nai", date(2025, 11, 20), None)
    others = [Plan(10 + i, f"{20 + i}/KH-UBND", f"Kế hoạch {topic}", "Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An", date(2025, 1, 1), None)
              for i, topic in enumerate(["chuyển đổi số", "phòng thủ dân sự", "quan trắc môi trường", "cải cách hành chính",
                                         "thi hành Luật Việc làm", "phát triển du lịch"])]
    plans = [a, b, *others]
    question = "sở văn hóa báo cáo tiểu dự án truyền thông chương trình mục tiêu quốc gia phòng chống ma túy hạn nào"
    assert _located(plans, question, lambda text: [2]) == b  # the search decides between two plans the words name alike
    assert _located(plans, "kh 153 " + question, lambda text: [2]) is None  # a plan named by its number stays
    assert _located(plans, question, lambda text: [99]) is None
    assert _located(plans, question, lambda text: [11]) is None  # a plan the question's words do not name


def test_prevention_is_no_unit():
    from tasks.units import explicit_roles

    _lead, coordinating = explicit_roles("Tổ chức thực hiện có hiệu quả các chương trình phối hợp phòng chống ma túy; tăng cường tuyên truyền")
    assert not any("chống" in u["name"] for u in coordinating)


PLAN_WITH_FRAME = """ỦY BAN NHÂN DÂN
TỈNH THỬ NGHIỆM

Số: 77/KH-UBND

Thử Nghiệm, ngày 10 tháng 3 năm 2025

KẾ HOẠCH
Tuyên truyền về phân loại rác thải tại nguồn năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao nhận thức của người dân về phân loại rác thải tại nguồn.
2. Thời gian thực hiện
Từ nay đến hết năm 2025.

II. NHIỆM VỤ
1. Sở Nông nghiệp và Môi trường chủ trì biên soạn tài liệu tuyên truyền về phân loại rác thải tại nguồn.
2. Ủy ban nhân dân các xã chủ trì tổ chức ra quân thu gom rác thải trước ngày 30/6/2025.
"""


def _ingest_plan(tmp_path, embedder, name: str, text: str) -> None:
    from knowledge.service import KnowledgeBase

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report, _ = KnowledgeBase(embedder=embedder).ingest([path], rebuild=False)
    assert not report.failed
    store.sync(session_factory())


def test_a_task_without_its_own_deadline_runs_within_the_plan_s_time_frame(civic_db, embedder, tmp_path):
    from tasks import ask

    _ingest_plan(tmp_path, embedder, "77-KH-UBND.txt", PLAN_WITH_FRAME)
    asked = ask.read(session_factory(), "kh 77 sở nông nghiệp biên soạn tài liệu tuyên truyền hạn chót khi nào", [])
    text, count = ask.answer(session_factory(), asked, TODAY)
    assert count == 1 and "không nêu thời hạn hoàn thành cụ thể" in text
    assert "thời gian thực hiện chung (mục I.2): “Từ nay đến hết năm 2025.” — tức đến 31/12/2025" in text, text
    # a task with its own deadline is answered with it, not with the plan's frame
    own, _ = ask.answer(session_factory(), ask.read(session_factory(), "kh 77 ubnd xã ra quân thu gom rác hạn chót khi nào", []), TODAY)
    assert "30/06/2025" in own and "thời gian thực hiện chung" not in own, own


PLAN_FRAME_IN_TITLE = """ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 78/KH-UBND
Thử Nghiệm, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
Phát triển hạ tầng số tại các khu công nghiệp giai đoạn 2026 - 2030, tầm nhìn đến năm 2045

I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm hạ tầng viễn thông cho các khu công nghiệp.

II. NHIỆM VỤ
1. Sở Khoa học và Công nghệ chủ trì lắp đặt trạm phát sóng tại các khu công nghiệp.
2. Ban Quản lý các khu công nghiệp chủ trì rà soát nhu cầu kết nối của doanh nghiệp trước ngày 30/9/2026.
"""


def test_the_frame_a_plan_title_names_and_a_question_about_the_whole_plan(civic_db, embedder, tmp_path):
    from tasks import ask

    _ingest_plan(tmp_path, embedder, "78-KH-UBND.txt", PLAN_FRAME_IN_TITLE)
    # a task with no deadline of its own: the frame the title names, never the vision year
    text, _ = ask.answer(session_factory(), ask.read(session_factory(), "kh 78 sở khcn lắp đặt trạm phát sóng hạn chót khi nào", []), TODAY)
    assert "không nêu thời hạn hoàn thành cụ thể" in text and "“giai đoạn 2026 - 2030” — tức đến 31/12/2030" in text, text
    assert "2045" not in text.split("\n", 1)[1]
    # the plan as a whole: its frame first, not one of its tasks
    whole, count = ask.answer(session_factory(), ask.read(session_factory(), "kế hoạch 78 phát triển hạ tầng số khu công nghiệp thực hiện đến năm nào", []), TODAY)
    assert count == 1 and whole.startswith("Theo Kế hoạch số 78/KH-UBND") and "31/12/2030" in whole and "mục II" not in whole, whole


def test_the_commune_people_s_committee_is_asked_for_as_ubnd_xa():
    from tasks.ask import _asked_unit, _unit_forms

    assert "ubnd xa" in _unit_forms("Ủy ban nhân dân cấp xã")
    assert "ubnd xa" not in _unit_forms("Ủy ban nhân dân xã Tân Phú")  # one commune is not every commune
    assert _asked_unit("kh 159 ubnd xã phải làm gì", ["Ủy ban nhân dân cấp xã", "Sở Tài chính"]) == "Ủy ban nhân dân cấp xã"


FRAMED = """KẾ HOẠCH
Phát triển hạ tầng số

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao hiệu quả quản lý.

II. NHIỆM VỤ, GIẢI PHÁP

1. Phát triển hạ tầng số đến năm 2030

- Sở Khoa học và Công nghệ phủ sóng 5G toàn bộ khu dân cư trên địa bàn tỉnh.

2. Chuyển đổi số trong doanh nghiệp đến năm 2025, định hướng đến năm 2030

- Sở Công Thương hỗ trợ doanh nghiệp nhỏ và vừa ứng dụng nền tảng số.

3. Nâng cao kỹ năng số

- Sở Nội vụ tổ chức tập huấn kỹ năng số cho cán bộ cấp xã.
"""


def test_a_topic_heading_that_ends_on_its_time_frame_dates_its_items():
    from tasks.extract import extract

    plan = parse_plan(FRAMED, "framed")
    plan.issued_date = date(2025, 3, 3)
    tasks = {t.text.split()[1]: t for t in extract(plan)[0]}
    assert (tasks["Khoa"].schedule.kind, tasks["Khoa"].schedule.due) == ("once", date(2030, 12, 31))
    assert tasks["Công"].schedule.kind == "none"  # two horizons: neither is a deadline
    assert tasks["Nội"].schedule.kind == "none"


def test_an_appendix_caption_dates_its_rows():
    from tasks.extract import extract

    text = FRAMED + """
*Nơi nhận:*
- Các sở, ngành;
- Lưu: VT.

**TM. ỦY BAN NHÂN DÂN**
**CHỦ TỊCH**

**Nguyễn Văn An**

**PHỤ LỤC**

PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU
CHUYỂN ĐỔI SỐ ĐẾN NĂM 2028

| TT | Chỉ tiêu | Chủ trì |
|---|---|---|
| 1 | Tỷ lệ hồ sơ trực tuyến toàn trình đạt 80% | Văn phòng UBND tỉnh |
| 2 | Tỷ lệ người dân có chữ ký số đạt 60% | Sở Khoa học và Công nghệ |
"""
    plan = parse_plan(text, "framed-appendix")
    plan.issued_date = date(2025, 3, 3)
    rows = [t for t in extract(plan)[0] if t.section_path.startswith("Phụ lục")]
    assert [t.lead[0]["name"] for t in rows] == ["Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ"]
    assert {(t.schedule.kind, t.schedule.due) for t in rows} == {("once", date(2028, 12, 31))}


def test_a_short_list_shows_what_each_task_asks(official):
    official.say("Kế hoạch 341 giao Thanh tra huyện chủ trì những nhiệm vụ nào?")
    lines = [line for line in official.last.splitlines() if line.startswith("• ")]
    assert 0 < len(lines) <= 8
    # each task's own words, up to 45 of them, not only its 16-word title
    said = [line.split(": ", 1)[1].split(" — ")[0].rstrip("…").split() for line in lines]
    assert all(len(words) <= 45 for words in said) and any(len(words) > 16 for words in said)
