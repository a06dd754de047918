"""Officials' tasks page with hundreds of tasks: 50 per page, filters (plan, unit, status, month),
marking a task done or reopening it — officers only for the tasks their unit leads, administrators
all — each change audited (plan_task_events); `civic tasks done / reopen` go through the same
service; done tasks are not reported as due or overdue; a done mark survives a corrected title."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from accounts import users
from core.localtime import local_today
from knowledge.ingest.pipeline import Ingestor
from storage.db import session_factory
from storage.models import Document, PlanTask, PlanTaskEvent
from tasks import progress, store
from tasks.answer import compose, read_question
from tasks.query import list_tasks
from tests.conftest import RELAY
from vietnamese.workdays import default_calendar

PASSWORD = "matkhau-an-toan-2026"
UNITS = ("Công an xã", "Văn phòng HĐND và UBND xã")
OVERDUE, DUE_SOON, LATER = 20, 10, 35  # tasks per kind in the big plan (65 in all)


def big_plan(today: date) -> str:
    """A plan of 65 tasks: 20 overdue, 10 due within the window, 35 due in a later month; the
    units alternate as lead."""
    cal = default_calendar()
    past = today - timedelta(days=40)
    soon = today + timedelta(days=3)
    later = (today.replace(day=1) + timedelta(days=95)).replace(day=12)
    lines = ["ỦY BAN NHÂN DÂN XÃ MẪU SƠN", "", "Số: 90/KH-UBND", "", f"Mẫu Sơn, ngày 05 tháng 01 năm {past.year - 1}", "", "KẾ HOẠCH",
             "Rà soát hồ sơ hộ tịch và dữ liệu dân cư các thôn", "", "I. MỤC ĐÍCH, YÊU CẦU", "",
             "1. Bảo đảm dữ liệu hộ tịch, dân cư của xã đầy đủ, chính xác, thống nhất.", "", "II. NHIỆM VỤ", ""]
    for n in range(1, OVERDUE + DUE_SOON + LATER + 1):
        day = past if n <= OVERDUE else soon if n <= OVERDUE + DUE_SOON else later
        assert n > OVERDUE or cal.roll_forward(day) < today
        lines += [f"{n}. Rà soát, cập nhật hồ sơ hộ tịch và dữ liệu dân cư của tổ dân phố số {n} trên địa bàn xã.", "",
                  f"- Cơ quan chủ trì: {UNITS[n % 2]}.", f"- Thời gian thực hiện: chậm nhất ngày {day:%d/%m/%Y}.", ""]
    return "\n".join(lines)


SMALL = """ỦY BAN NHÂN DÂN XÃ MẪU SƠN

Số: 91/KH-UBND

Mẫu Sơn, ngày 02 tháng 11 năm 2026

KẾ HOẠCH
Tổ chức Ngày hội chuyển đổi số của xã

II. NHIỆM VỤ

1. Tổ chức Ngày hội chuyển đổi số tại nhà văn hóa các thôn.

- Cơ quan chủ trì: Công an xã.
- Thời gian thực hiện: thường xuyên.

2. Báo cáo kết quả Ngày hội chuyển đổi số gửi Ủy ban nhân dân xã.

- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.
- Thời gian thực hiện: thường xuyên.
"""


@pytest.fixture
def loaded(civic_db, tmp_path):
    """The two plans ingested and their tasks extracted; accounts; {"big": id, "small": id}."""
    (tmp_path / "kh90.txt").write_text(big_plan(local_today()), encoding="utf-8")
    (tmp_path / "kh91.txt").write_text(SMALL, encoding="utf-8")
    sessions = session_factory()
    report = Ingestor(sessions).ingest([tmp_path / "kh90.txt", tmp_path / "kh91.txt"])
    assert report.added == 2, report.failed
    store.sync(sessions)
    users.create(sessions, "admin", PASSWORD, "admin", display_name="Quản trị viên")
    users.create(sessions, "vanphong", PASSWORD, "officer", "van-phong-ubnd-xa", "Cán bộ Văn phòng")
    users.create(sessions, "congan", PASSWORD, "officer", "cong-an-xa", "Cán bộ Công an xã")
    with sessions() as s:
        return dict(s.execute(select(Document.doc_number, Document.id)).all()) | {
            "big": s.scalar(select(Document.id).where(Document.doc_number == "90/KH-UBND")),
            "small": s.scalar(select(Document.id).where(Document.doc_number == "91/KH-UBND"))}


@pytest.fixture
def client(loaded):
    from bot.server import create_app

    return TestClient(create_app(), headers=RELAY)  # no lifespan: the pages need no conversation engine


def login(client, username):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
    assert client.post("/admin/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                       follow_redirects=False).status_code == 303


def rows(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="task-(\d+)"', html)]


def token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/tasks").text).group(1)


def task_ids(document_id: int, lead: str | None = None) -> list[int]:
    with session_factory()() as s:
        tasks = s.scalars(select(PlanTask).where(PlanTask.document_id == document_id).order_by(PlanTask.position)).all()
    return [t.id for t in tasks if lead is None or any(u.get("id") == lead for u in t.lead)]


def test_paging_and_filters(client, loaded):
    login(client, "admin")
    first = client.get("/admin/tasks").text
    assert "67 nhiệm vụ" in first and len(rows(first)) == 50 and "Trang 1/2" in first
    second = client.get("/admin/tasks", params={"page": 2}).text
    assert len(rows(second)) == 17 and not set(rows(first)) & set(rows(second))
    assert len(rows(client.get("/admin/tasks", params={"page": 9}).text)) == 17  # past the end: the last page

    by_plan = client.get("/admin/tasks", params={"plan": loaded["small"]}).text
    assert sorted(rows(by_plan)) == task_ids(loaded["small"]) and f'<option value="{loaded["small"]}" selected>' in by_plan
    police = rows(client.get("/admin/tasks", params={"agency": "cong-an-xa", "plan": loaded["big"]}).text)
    assert sorted(police) == task_ids(loaded["big"], "cong-an-xa") and len(police) == 32
    overdue = client.get("/admin/tasks", params={"status": "overdue"}).text
    assert "20 nhiệm vụ" in overdue and len(rows(overdue)) == OVERDUE
    assert len(rows(client.get("/admin/tasks", params={"status": "due"}).text)) == DUE_SOON
    assert len(rows(client.get("/admin/tasks", params={"status": "ongoing"}).text)) == 2
    later = (local_today().replace(day=1) + timedelta(days=95)).replace(day=12)
    in_month = client.get("/admin/tasks", params={"month": f"{later:%Y-%m}", "status": "all"}).text
    assert len(rows(in_month)) == LATER + 2  # the month's due tasks and the continuous ones
    assert len(rows(client.get("/admin/tasks", params={"month": f"{later:%Y-%m}", "status": "due"}).text)) == LATER
    assert client.get("/admin/tasks", params={"status": "nonsense", "month": "13/2026", "plan": "x"}).status_code == 200


def test_mark_done_and_reopen_are_audited_and_limited_to_the_lead_unit(client, loaded):
    ours = task_ids(loaded["big"], "van-phong-ubnd-xa")[0]
    theirs = task_ids(loaded["big"], "cong-an-xa")[0]
    login(client, "vanphong")
    page = client.get("/admin/tasks", params={"status": "overdue"}).text
    assert f"/admin/tasks/{ours}/done" in page and f"/admin/tasks/{theirs}/done" not in page  # officers see their unit only
    csrf = token(client)
    assert client.post(f"/admin/tasks/{ours}/done", data={}).status_code == 403  # no CSRF token
    refused = client.post(f"/admin/tasks/{theirs}/done", data={"csrf_token": csrf})
    assert refused.status_code == 403 and "đơn vị chủ trì" in refused.text
    done = client.post(f"/admin/tasks/{ours}/done", data={"csrf_token": csrf, "next": "/admin/tasks?status=overdue"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/tasks?status=overdue&msg=task-done")
    assert "Đã đánh dấu hoàn thành" in client.get(done.headers["location"]).text
    assert ours not in rows(client.get("/admin/tasks", params={"status": "overdue"}).text)
    done_page = client.get("/admin/tasks", params={"status": "done"}).text
    assert rows(done_page) == [ours] and "Hoàn thành: vanphong" in done_page and f"/admin/tasks/{ours}/reopen" in done_page
    assert client.post(f"/admin/tasks/{ours}/done", data={"csrf_token": csrf}).status_code == 200  # again: nothing changes
    assert client.post(f"/admin/tasks/{ours}/reopen", data={"csrf_token": csrf, "next": "https://evil.example/"},
                       follow_redirects=False).headers["location"].startswith("/admin/tasks?msg=task-reopened")
    assert client.post("/admin/tasks/999999/done", data={"csrf_token": csrf}).status_code == 404

    admin = TestClient(client.app, headers=RELAY)
    login(admin, "admin")
    assert admin.post(f"/admin/tasks/{theirs}/done", data={"csrf_token": token(admin)}).status_code == 200
    with session_factory()() as s:
        events = s.scalars(select(PlanTaskEvent).order_by(PlanTaskEvent.id)).all()
        task = s.get(PlanTask, ours)
        assert task.completed_on is None and s.get(PlanTask, theirs).completed_on == local_today()
    assert [(e.task_id, e.action, e.actor) for e in events] == [(ours, "done", "vanphong"), (ours, "reopen", "vanphong"), (theirs, "done", "admin")]
    assert (events[0].document_id, events[0].plan, events[0].section, events[0].title) == (loaded["big"], "90/KH-UBND", task.section_path, task.title)
    assert events[0].at.tzinfo is not None


def test_cli_done_and_reopen_go_through_the_audited_service(loaded, capsys):
    from bot.cli import main

    task = task_ids(loaded["big"])[0]
    assert main(["tasks", "done", "--id", str(task), "--actor", "to-truong"]) == 0
    assert main(["tasks", "done", "--id", str(task)]) == 0 and "không đổi" in capsys.readouterr().out
    assert main(["tasks", "reopen", "--id", str(task)]) == 0
    assert main(["tasks", "reopen", "--id", "999999"]) == 1
    assert main(["tasks", "reopen"]) == 2
    events = progress.events(session_factory(), task)
    assert [(e.action, e.actor.split(":")[0]) for e in reversed(events)] == [("done", "to-truong"), ("reopen", "cli")]


def test_done_tasks_are_not_reported_due_or_overdue(loaded):
    today, sessions = local_today(), session_factory()
    overdue = task_ids(loaded["big"], "cong-an-xa")[:3]
    for task in overdue:
        progress.set_done(sessions, task, True, actor="congan", day=today)

    def asked(text: str) -> tuple[list[int], str]:
        question = read_question(text, [{"entity": "agency", "value": "Công an xã", "text": "Công an xã"}], today, 30)
        views = list_tasks(sessions, question.filter, today, 30)
        return [v.id for v in views], compose(question, views, today)

    ids, text = asked("Công an xã có nhiệm vụ nào quá hạn?")
    assert len(ids) == OVERDUE // 2 - 3 and not set(overdue) & set(ids) and "quá hạn" in text
    ids, _ = asked("Công an xã có việc gì đến hạn?")
    assert ids and not set(overdue) & set(ids)
    with sessions() as s:
        title = s.get(PlanTask, overdue[0]).title
    assert all(v.status == "done" for v in list_tasks(sessions, read_question(title, [], today, 30).filter, today, 30) if v.id in overdue)


def test_a_done_mark_survives_a_corrected_title_and_a_renumbered_section(civic_db, tmp_path):
    text = SMALL.replace("thường xuyên.\n\n2.", "chậm nhất ngày 20/12/2026.\n\n2.", 1)
    (tmp_path / "v1.txt").write_text(text, encoding="utf-8")
    sessions = session_factory()
    Ingestor(sessions).ingest([tmp_path / "v1.txt"])
    store.sync(sessions)
    with sessions() as s:
        first = s.scalars(select(PlanTask).order_by(PlanTask.position)).first()
    progress.set_done(sessions, first.id, True, actor="admin", day=date(2026, 12, 1))
    corrected = text.replace("tại nhà văn hóa các thôn", "tại nhà văn hoá các thôn, bản").replace(
        "II. NHIỆM VỤ\n\n1.", "II. NHIỆM VỤ\n\n1. Phổ biến kế hoạch tới các thôn.\n\n- Cơ quan chủ trì: Công an xã.\n\n2.").replace(
        "\n2. Báo cáo", "\n3. Báo cáo")
    (tmp_path / "v2.txt").write_text(corrected, encoding="utf-8")
    report = Ingestor(sessions).ingest([tmp_path / "v2.txt"])
    assert report.updated == 1
    store.sync(sessions)
    with sessions() as s:
        tasks = s.scalars(select(PlanTask).order_by(PlanTask.position)).all()
        event = s.scalar(select(PlanTaskEvent))
    assert len(tasks) == 3
    kept = next(t for t in tasks if "Ngày hội" in t.title and t.section_path == "II.2")
    assert kept.id == first.id and kept.completed_on == date(2026, 12, 1) and "bản" in kept.text
    assert [t.completed_on for t in tasks if t.id != first.id] == [None, None] and event.task_id == first.id
