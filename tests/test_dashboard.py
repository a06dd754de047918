"""The officials' dashboard at /admin.

In real headless Chromium (Playwright, Debian's /usr/bin/chromium): log in; handle a feedback item
that a citizen filed on Telegram and see the citizen receive the reply through the fake Telegram
server; read SIPAS charts and export them; upload a plan and ask the assistant about it. Screenshots
go to test-artifacts/. Access control without a browser: no page without login, an officer sees
only their unit, POSTs need the CSRF token, repeated failed logins lock the account, citizens' text
is escaped."""
import re
import struct
import zlib
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from accounts import users
from feedback import service
from storage.db import session_factory
from survey import service as survey_service
from survey.questionnaire import current_questionnaire
from tests.conftest import RELAY
from tests.browser import browser, screenshot
from tests.channel_helpers import TelegramCitizen, wait_until
from tests.fakes.server import LocalServer
from tests.fakes.telegram import FakeTelegram

TOKEN, SECRET = "424242:DASHBOARD", "dash-secret"
CITIZEN = 777001
PASSWORD = "matkhau-an-toan-2026"
XSS = '<img src=x onerror="document.body.dataset.hacked=1">'
ADMIN_PAGES = ["/admin/", "/admin/feedback", "/admin/sipas", "/admin/tasks", "/admin/knowledge", "/admin/unanswered",
               "/admin/sipas/export.csv", "/admin/knowledge/jobs/1"]


def png() -> bytes:
    """A real 2×2 red PNG (the dashboard shows the citizen's photo)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def make_accounts():
    sessions = session_factory()
    users.create(sessions, "admin", PASSWORD, "admin", display_name="Quản trị viên")
    users.create(sessions, "vanphong", PASSWORD, "officer", "van-phong-ubnd-xa", "Cán bộ Văn phòng")
    users.create(sessions, "congan", PASSWORD, "officer", "cong-an-xa", "Cán bộ Công an xã")
    users.create(sessions, "thongke", PASSWORD, "viewer", display_name="Người xem thống kê")


def submit(content: str, agency_id: str, category: str | None = None) -> str:
    from agencies.registry import default_registry

    draft = service.Draft(content=content, reporter_name="Nguyễn Thị Hoa", reporter_address="Thôn 1, xã Mẫu Sơn",
                          reporter_phone="+84912000999", channel="web", agency_hint=default_registry().get(agency_id).name,
                          category=category)
    item = service.submit(session_factory(), draft)
    assert item.agency_id == agency_id
    return item.code


def answer_survey(scores, agency_id="trung-tam-phvhcc-xa", agency_name="Trung tâm Phục vụ hành chính công xã", channel="web"):
    """Complete one SIPAS questionnaire per score (every criterion gets that score)."""
    sessions, q = session_factory(), current_questionnaire()
    subject = survey_service.Subject(agency_id=agency_id, agency_name=agency_name)
    for n, score in enumerate(scores):
        progress = survey_service.start(sessions, q, channel, f"respondent-{agency_id}-{n}", subject, date.today(), with_profile=False)
        while progress.step is not None:
            progress = survey_service.record(sessions, q, progress.response_id, progress.step, score, with_profile=False)
        survey_service.complete(sessions, progress.response_id)
    return q


# ---------------------------------------------------------------------------- without a browser

@pytest.fixture
def client(engine):
    from bot.server import create_app

    make_accounts()
    with TestClient(create_app(engine=engine), headers=RELAY) as c:
        yield c


def login(client, username, password=PASSWORD):
    page = client.get("/admin/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False)


def csrf(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_no_page_without_login(client):
    for path in ADMIN_PAGES + ["/admin/feedback/PA-2026-000001"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/admin/login"), path
    assert client.post("/admin/feedback/PA-2026-000001", data={}, follow_redirects=False).status_code == 303
    login_page = client.get("/admin/login")
    assert "script-src 'self'" in login_page.headers["content-security-policy"] and login_page.headers["x-frame-options"] == "DENY"
    assert login_page.headers["cache-control"] == "no-store"


def test_officer_sees_only_their_unit(client):
    ours = submit("Văn phòng xã trả hồ sơ chậm hai tuần, không báo lý do cho người dân", "van-phong-ubnd-xa")
    theirs = submit("Công an xã hẹn ba lần vẫn chưa cấp giấy xác nhận cư trú cho tôi", "cong-an-xa")
    assert login(client, "vanphong").status_code == 303
    listing = client.get("/admin/feedback").text
    assert ours in listing and theirs not in listing
    assert client.get(f"/admin/feedback/{ours}").status_code == 200
    assert client.get(f"/admin/feedback/{theirs}").status_code == 403
    token = csrf(client, f"/admin/feedback/{ours}")
    refused = client.post(f"/admin/feedback/{theirs}", data={"csrf_token": token, "status": "resolved", "reply": "x"})
    assert refused.status_code == 403 and service.find(session_factory(), theirs).status == "received"
    assert client.get("/admin/knowledge").status_code == 403  # admins only


def test_posts_need_the_csrf_token(client):
    code = submit("Bộ phận một cửa thu thêm tiền photo giấy tờ ngoài quy định của xã", "van-phong-ubnd-xa")
    assert client.post("/admin/login", data={"username": "admin", "password": PASSWORD}).status_code == 403
    assert login(client, "admin").status_code == 303
    response = client.post(f"/admin/feedback/{code}", data={"status": "resolved", "reply": "Đã xử lý"})
    assert response.status_code == 403 and "CSRF" in response.text
    assert service.find(session_factory(), code).status == "received"
    assert client.post("/admin/logout", data={"csrf_token": "wrong"}).status_code == 403


def test_repeated_failed_logins_lock_the_account(client):
    for _ in range(4):
        assert "không đúng" in login(client, "thongke", "sai-mat-khau-123").text
    assert "tạm khóa" in login(client, "thongke", "sai-mat-khau-123").text
    assert "tạm khóa" in login(client, "thongke").text  # even the right password, for a while
    assert "không đúng" in login(client, "khong-co-ai").text  # the same message for unknown names


def test_viewer_reads_statistics_only(client):
    assert login(client, "thongke").status_code == 303
    assert client.get("/admin/sipas").status_code == 200
    for path in ("/admin/feedback", "/admin/tasks", "/admin/knowledge", "/admin/unanswered"):
        assert client.get(path).status_code == 403, path


def test_citizen_text_is_escaped(client, engine):
    engine.handle("web", "xss-user", text="tôi muốn phản ánh")
    engine.handle("web", "xss-user", text=f"{XSS} cán bộ xã làm chậm hồ sơ")  # refused by validation, kept in the turn log
    code = submit("Hồ sơ đất đai nộp tại xã quá hạn một tháng chưa có kết quả, đề nghị kiểm tra", "van-phong-ubnd-xa")
    with session_factory()() as s:
        from storage.models import Conversation, Feedback

        conversation = s.query(Conversation).filter_by(user_id="xss-user").one()
        s.query(Feedback).filter_by(code=code).update({"conversation_id": conversation.id})
        s.commit()
    login(client, "admin")
    token = csrf(client, f"/admin/feedback/{code}")
    client.post(f"/admin/feedback/{code}", data={"csrf_token": token, "note": "<script>alert(1)</script>"})
    html = client.get(f"/admin/feedback/{code}").text
    assert XSS not in html and "&lt;img src=x" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS not in client.get("/admin/unanswered").text


def test_internal_note_with_a_status_change_shows_in_the_history(client):
    code = submit("Đèn đường trước cổng trường tiểu học tắt cả tuần, đề nghị xã sửa", "van-phong-ubnd-xa")
    login(client, "admin")
    token = csrf(client, f"/admin/feedback/{code}")
    client.post(f"/admin/feedback/{code}", data={"csrf_token": token, "status": "in_progress", "note": "đã báo điện lực, chờ thay bóng"})
    history = client.get(f"/admin/feedback/{code}").text.split("Lịch sử xử lý", 1)[1]
    assert "(ghi chú: đã báo điện lực, chờ thay bóng)" in history
    assert "Người dân (qua trò chuyện)" in history and "citizen" not in history  # who filed it, in Vietnamese


def test_queue_filters_assignment_and_refusals(client):
    late = submit("Cán bộ một cửa xã nói năng thiếu tôn trọng với người dân đến nộp hồ sơ", "van-phong-ubnd-xa", "conduct")
    other = submit("Đề nghị công an xã hướng dẫn rõ hồ sơ đăng ký thường trú cho trẻ mới sinh", "cong-an-xa", "procedure")
    with session_factory()() as s:
        from storage.models import Feedback

        s.query(Feedback).filter_by(code=late).update({"due_at": date(2026, 1, 5)})
        s.commit()
    login(client, "admin")

    def listed(**params):
        return {c for c in (late, other) if c in client.get("/admin/feedback", params=params).text}

    assert listed() == {late, other}
    assert listed(agency="cong-an-xa") == {other}
    assert listed(category="conduct") == {late}
    assert listed(overdue="1") == {late}
    assert listed(status="resolved") == set()

    page = client.get(f"/admin/feedback/{late}").text
    assert 'value="vanphong"' in page and 'value="admin"' in page and 'value="congan"' not in page  # the unit's people
    token = csrf(client, f"/admin/feedback/{late}")
    assert client.post(f"/admin/feedback/{late}", data={"csrf_token": token, "assign": "vanphong"}, follow_redirects=False).status_code == 303
    item = service.find(session_factory(), late, with_events=True)
    assert item.assigned_to == "vanphong" and [e.action for e in item.events][-1] == "assign"
    assert "giao xử lý: vanphong" in client.get(f"/admin/feedback/{late}").text

    reply = "Xã đã nhắc nhở cán bộ và xin lỗi bà."
    refused = client.post(f"/admin/feedback/{late}", data={"csrf_token": token, "assign": "congan", "reply": reply})
    assert refused.status_code == 400 and "Chỉ giao được cho cán bộ của đơn vị" in refused.text
    assert reply in refused.text  # what was typed is kept
    unchanged = client.post(f"/admin/feedback/{late}", data={"csrf_token": token, "assign": "vanphong", "status": "received"})
    assert unchanged.status_code == 400 and "Không có thay đổi nào" in unchanged.text
    client.post(f"/admin/feedback/{late}", data={"csrf_token": token, "assign": "", "status": "resolved", "reply": reply})
    item = service.find(session_factory(), late)
    assert item.assigned_to is None and item.status == "resolved" and item.reply == reply
    assert listed(status="resolved") == {late} and listed(overdue="1") == set()  # closed items are not overdue


def test_sipas_exports_and_period_filter(client):
    import io

    from openpyxl import load_workbook

    q = answer_survey((5, 4, 2))
    login(client, "thongke")
    response = client.get("/admin/sipas/export.xlsx")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ số", "Câu trả lời"]
    answers = list(book["Câu trả lời"].iter_rows(values_only=True))
    criteria = sum(len(e.criteria) for e in q.elements)
    assert len(answers) == 1 + 3 and [row[0] for row in answers[1:]] == [1, 2, 3]  # one row per questionnaire
    assert sorted(row[10:] for row in answers[1:]) == sorted([(score,) * criteria for score in (5, 4, 2)])
    assert not any("respondent" in str(cell) for row in answers for cell in row)  # no link back to a person
    indices = {row[2]: row for row in book["Chỉ số"].iter_rows(values_only=True)}
    assert indices["Chỉ số hài lòng chung"][3] == pytest.approx(66.7, abs=0.05) and indices["Chỉ số hài lòng chung"][5] == 3 * criteria
    assert "66.7" in client.get("/admin/sipas").text
    page = client.get("/admin/sipas", params={"from": "2020-01-01", "to": "2020-12-31"}).text
    assert 'id="overall-index">—' in page or 'id="overall-index"></' in page  # no answers in that period
    assert client.get("/admin/sipas", params={"from": "31/12/2026"}).status_code == 200  # a bad date is ignored, not a crash


def test_sipas_breakdown_by_agency_and_quarter(client):
    from datetime import datetime, timezone

    from storage.models import SurveyResponse
    from survey import stats

    answer_survey((5, 5, 1))  # the centre: 2 of 3 satisfied
    answer_survey((2, 4), "cong-an-xa", "Công an xã", channel="telegram")  # 1 of 2
    with session_factory()() as s:  # the centre's first two were completed a year earlier (Asia/Ho_Chi_Minh quarters)
        centre = s.query(SurveyResponse).filter_by(agency_id="trung-tam-phvhcc-xa").order_by(SurveyResponse.id).all()
        for response in centre[:2]:
            response.completed_at = datetime(2025, 9, 30, 17, 30, tzinfo=timezone.utc)  # 1 October 2025, 00:30 local
        s.commit()
    by_agency = {row["key"]: row for row in stats.breakdown(session_factory(), "agency")}
    assert (by_agency["trung-tam-phvhcc-xa"]["responses"], by_agency["trung-tam-phvhcc-xa"]["index"]) == (3, 66.67)
    assert (by_agency["cong-an-xa"]["responses"], by_agency["cong-an-xa"]["index"], by_agency["cong-an-xa"]["label"]) == (2, 50.0, "Công an xã")
    by_quarter = {row["key"]: (row["responses"], row["index"]) for row in stats.breakdown(session_factory(), "period")}
    assert by_quarter.pop("2025-Q4") == (2, 100.0)
    assert list(by_quarter.values()) == [(3, 33.33)]  # this quarter: the centre's third and both of the police
    login(client, "thongke")
    page = client.get("/admin/sipas").text
    assert page.count('class="point"') == 2
    by_channel = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td><td>([\d.—]+)</td>", page.split('id="by-channel"')[1])
    assert sorted(by_channel) == [("Telegram", "2", "50.0"), ("Trò chuyện trên web", "3", "66.7")]
    only_police = client.get("/admin/sipas", params={"agency": "cong-an-xa"}).text
    assert re.search(r'id="overall-index">50(\.0)?<', only_police)


def test_tasks_calendar_and_reminder_subscriptions(client):
    from storage.models import Conversation, OutboundMessage, ReminderSubscription

    with session_factory()() as s:
        subs = {}
        for unit, name in (("van-phong-ubnd-xa", "Văn phòng HĐND và UBND xã"), ("cong-an-xa", "Công an xã")):
            conversation = Conversation(channel="telegram", user_id=f"official-{unit}", chat_id="5001", state={})
            s.add(conversation)
            s.flush()
            sub = ReminderSubscription(conversation_id=conversation.id, agency_id=unit, agency_name=name)
            s.add(sub)
            s.flush()
            subs[unit] = sub.id
        s.commit()
    login(client, "vanphong")
    page = client.get("/admin/tasks", params={"month": "2026-12"}).text
    assert "Tổ chức khảo sát" in page and "Lịch hạn tháng 12/2026 — Văn phòng HĐND và UBND xã" in page
    assert re.search(r'<span class="d">31</span>(<a [^>]*>[^<]*</a>)*<a class="due"[^>]*title="Tổ chức khảo sát', page)  # due on the 31st
    assert f"/subscriptions/{subs['van-phong-ubnd-xa']}/cancel" in page and f"/subscriptions/{subs['cong-an-xa']}/cancel" not in page
    token = csrf(client, "/admin/tasks")
    assert client.post(f"/admin/tasks/subscriptions/{subs['cong-an-xa']}/cancel", data={"csrf_token": token}).status_code == 404
    done = client.post(f"/admin/tasks/subscriptions/{subs['van-phong-ubnd-xa']}/cancel", data={"csrf_token": token})
    assert done.status_code == 200 and "Đã hủy đăng ký nhắc việc" in done.text
    with session_factory()() as s:
        assert {sub.agency_id: sub.active for sub in s.query(ReminderSubscription)} == {"van-phong-ubnd-xa": False, "cong-an-xa": True}
        notice = s.query(OutboundMessage).filter_by(kind="notice").one()
    assert "đã được hủy trên trang quản trị" in notice.text
    assert client.get("/admin/tasks", params={"month": "12/2026"}).status_code == 200  # a bad month shows this month


def test_unanswered_questions_grouped_by_frequency(client, engine):
    for n, text in enumerate(["Thủ tục cấp phép bay flycam ở xã?", "thu tuc cap phep bay flycam o xa",
                              "THỦ TỤC CẤP PHÉP BAY FLYCAM Ở XÃ", "xin giấy phép nuôi cá sấu ở đâu"]):
        engine.handle("web", f"asker-{n}", text=text)
    engine.handle("web", "asker-ok", text="làm căn cước cho con cần giấy tờ gì")
    login(client, "admin")
    rows = re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td>", client.get("/admin/unanswered").text)
    assert rows[0][1] == "3" and "flycam" in rows[0][0].lower()
    assert ("xin giấy phép nuôi cá sấu ở đâu", "1") in rows
    assert not any("căn cước" in text for text, _ in rows)


def test_an_interrupted_upload_is_not_shown_running_for_ever(client):
    from datetime import datetime, timedelta, timezone

    from bot.admin import jobs
    from storage.leases import PROCESS_ID
    from storage.models import IngestJob

    now = datetime.now(timezone.utc)
    with session_factory()() as s:
        gone = IngestJob(filename="ke-hoach.docx", path="/nowhere", status="running", stage="Xây dựng chỉ mục tìm kiếm",
                         created_by="admin", holder="stopped-host:1:x", heartbeat_at=now - timedelta(minutes=10))
        ours = IngestJob(filename="thu-tuc.jsonl", path="/nowhere", status="queued", created_by="admin",
                         holder=PROCESS_ID, heartbeat_at=now - timedelta(minutes=10))
        s.add_all([gone, ours])
        s.commit()
        gone_id, ours_id = gone.id, ours.id
    assert jobs.beat(session_factory()) == 1  # this process's queued job is alive again
    login(client, "admin")
    progress = client.get(f"/admin/knowledge/jobs/{gone_id}/progress").json()
    assert progress["status"] == "failed" and "gián đoạn" in progress["message"]
    assert client.get(f"/admin/knowledge/jobs/{ours_id}/progress").json()["status"] == "queued"
    assert "gián đoạn" in client.get("/admin/knowledge").text


def test_cli_manages_accounts(civic_db, capsys, monkeypatch):
    import io

    from bot.cli import main

    def add(*argv, password="mat-khau-2026"):
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        return main(["users", "add", *argv, "--password-stdin"])

    assert add("canbo.ca", "--role", "officer", "--agency", "Công an xã", "--name", "Trần Văn Bình") == 0
    assert "Đã tạo tài khoản canbo.ca (Cán bộ đơn vị, cong-an-xa)" in capsys.readouterr().out
    assert add("canbo.ca", "--role", "viewer") == 1 and "đã có" in capsys.readouterr().err
    assert add("ngan", "--role", "viewer", password="12345") == 1 and "ít nhất 10 ký tự" in capsys.readouterr().err
    assert add("khongdonvi", "--role", "officer") == 1 and "cần có đơn vị" in capsys.readouterr().err
    assert add("sai.donvi", "--role", "officer", "--agency", "Sở Không Tồn Tại") == 1 and "Không tìm thấy đơn vị" in capsys.readouterr().err
    account = users.login(session_factory(), "canbo.ca", "mat-khau-2026", 5, 15)
    assert (account.role, account.agency_id, account.display_name) == ("officer", "cong-an-xa", "Trần Văn Bình")
    assert main(["users", "disable", "canbo.ca"]) == 0
    with pytest.raises(users.AccountError):
        users.login(session_factory(), "canbo.ca", "mat-khau-2026", 5, 15)
    capsys.readouterr()
    assert main(["users", "list", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["active"]) for a in listed] == [("canbo.ca", False)] and "password_hash" not in listed[0]


# ---------------------------------------------------------------------------- in Chromium

@pytest.fixture
def site(engine, monkeypatch, database_url):
    if database_url.startswith("postgresql"):
        pytest.skip("browser tests run once (SQLite); the access rules above run on both databases")
    from bot.server import create_app
    from core.config import reset_settings

    fake = FakeTelegram(TOKEN)
    with LocalServer(fake.app) as telegram:
        for key, value in {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
                           "CIVIC_CHANNELS__TELEGRAM__BASE_URL": telegram.url + "/bot",
                           "CIVIC_CHANNELS__TELEGRAM__BASE_FILE_URL": telegram.url + "/file/bot",
                           "CIVIC_SERVER__DELIVERY_INTERVAL_SECONDS": "0.3"}.items():
            monkeypatch.setenv(key, value)
        reset_settings()
        make_accounts()
        with LocalServer(create_app(engine=engine), lifespan="on") as local:
            yield local.url, fake
    reset_settings()


def sign_in(page, base, username):
    page.goto(base + "/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def test_handle_feedback_and_the_citizen_gets_the_reply_on_telegram(site):
    base, fake = site
    with httpx.Client(base_url=base, timeout=60) as http:
        citizen = TelegramCitizen(http, fake, CITIZEN, {"X-Telegram-Bot-Api-Secret-Token": SECRET})
        citizen.says("/phananh")
        citizen.says(f"{XSS} đường vào xã ngập")  # refused; shows in the conversation excerpt as text
        citizen.says("Đường vào bộ phận một cửa xã ngập nước nhiều ngày, người dân không vào nộp hồ sơ được")
        citizen.presses("Không rõ")
        citizen.sends_photo("anh-ngap", png())
        citizen.sends_location(21.8537, 106.7615)
        citizen.presses("Xong")
        for text in ("Hoàng Văn Nam", "Thôn Nà Cạn, xã Mẫu Sơn", "0912 333 444"):
            citizen.says(text)
        code = re.search(r"PA-\d{4}-[0-9A-Z]{6}", citizen.presses("Đúng, gửi đi")).group(0)

    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, base, "admin")
        page.click("text=Phản ánh")
        page.click(f"text={code}")
        page.wait_for_selector(".photos img")
        assert page.evaluate("document.querySelector('.photos img').naturalWidth") == 2
        assert "21.85370, 106.76150" in page.inner_text(".facts")
        assert page.locator(".excerpt img").count() == 0 and page.evaluate("document.body.dataset.hacked") is None
        assert "onerror" in page.inner_text(".excerpt")  # shown as text
        page.select_option("select[name=status]", "resolved")
        page.fill("textarea[name=reply]", "Xã đã bơm thoát nước và đắp lại đường, mời ông đến nộp hồ sơ bình thường.")
        page.click("text=Lưu và gửi")
        page.wait_for_selector(".flash")
        assert "Đã có kết quả" in page.inner_text(".facts")
        assert "trả lời" in page.inner_text(".audit")
        screenshot(page, "dashboard-feedback-detail")
        assert wait_until(lambda: any("Xã đã bơm thoát nước" in t for t in fake.texts(CITIZEN)), timeout=20)

        phone = chromium.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        sign_in(phone, base, "admin")
        phone.goto(base + "/admin/feedback")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "dashboard-feedback-phone")


def test_sipas_charts_and_export(site):
    base, _ = site
    answer_survey((5, 4, 2))
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        sign_in(page, base, "thongke")
        page.click("text=Khảo sát SIPAS")
        page.wait_for_selector("svg.chart")
        assert page.inner_text("#overall-index") == "66.7"  # two of three answers are 4–5 on every criterion
        assert page.locator("svg.chart rect.bar").count() == 5 + 22
        assert page.locator("svg.chart circle.point").count() >= 1
        with page.expect_download() as download:
            page.click("text=Tải CSV")
        assert "Chỉ số hài lòng chung" in open(download.value.path(), encoding="utf-8-sig").read()
        screenshot(page, "dashboard-sipas")
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.reload()
        assert requested and all(url.startswith(base) for url in requested)  # no CDN


PLAN = """ỦY BAN NHÂN DÂN XÃ MẪU SƠN

Số: 77/KH-UBND

Mẫu Sơn, ngày 02 tháng 11 năm 2026

KẾ HOẠCH
Tổ chức Ngày hội chuyển đổi số của xã năm 2026

I. MỤC ĐÍCH, YÊU CẦU

1. Giúp người dân biết cài đặt và dùng ứng dụng định danh điện tử, dịch vụ công trực tuyến.

II. NHIỆM VỤ

1. Tổ chức Ngày hội chuyển đổi số tại nhà văn hóa các thôn, hướng dẫn người dân cài đặt ứng dụng.

- Cơ quan chủ trì: Công an xã.
- Cơ quan phối hợp: Trung tâm Phục vụ hành chính công xã.
- Thời gian thực hiện: trong tháng 12/2026.

2. Báo cáo kết quả Ngày hội chuyển đổi số gửi Ủy ban nhân dân xã.

- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.
- Thời gian thực hiện: chậm nhất ngày 20/12/2026.
"""


def test_upload_a_plan_and_ask_about_it(site, tmp_path):
    base, _ = site
    plan = tmp_path / "ke-hoach-77-ngay-hoi-chuyen-doi-so.txt"
    plan.write_text(PLAN, encoding="utf-8")
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, base, "admin")
        page.click("text=Tri thức")
        page.set_input_files("input[type=file]", str(plan))
        page.click("text=Tải lên và nạp")
        # (the admin pages' CSP forbids eval, so no wait_for_function: Playwright's own text wait)
        expect(page.locator("#job-status")).to_have_text("Hoàn tất", timeout=120_000)
        assert "1 tài liệu mới" in page.inner_text("#job-message")
        screenshot(page, "dashboard-upload")
        page.goto(base + "/admin/knowledge")
        assert "77/KH-UBND" in page.inner_text("table")
        page.goto(base + "/admin/tasks?agency=cong-an-xa&month=2026-12")
        assert "Tổ chức Ngày hội chuyển đổi số" in page.inner_text("table.list")
    reply = httpx.post(base + "/api/chat", json={"user_id": "asker", "text": "ngày hội chuyển đổi số tổ chức ở đâu?"}, timeout=60).json()
    text = "\n".join(m["text"] for m in reply["messages"])
    assert "77/KH-UBND" in text and "nhà văn hóa" in text


def test_handoff_inbox(site):
    base, fake = site
    with httpx.Client(base_url=base, timeout=60) as http:
        citizen = TelegramCitizen(http, fake, CITIZEN + 1, {"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert "cán bộ" in citizen.says("gặp cán bộ").lower()  # in or out of office hours: someone will read it
        citizen.says("Tôi cần hỏi về hồ sơ hộ nghèo của mẹ tôi")
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        sign_in(page, base, "admin")
        page.click("nav >> text=Gặp cán bộ")
        page.click("table.handoffs a")
        assert "Tôi cần hỏi về hồ sơ hộ nghèo của mẹ tôi" in page.inner_text(".thread")
        page.fill("textarea[name=text]", "Chào bạn, hồ sơ của mẹ bạn đã được xã duyệt.")
        page.click("text=Gửi trả lời")
        page.wait_for_selector(".thread li.official")
        screenshot(page, "dashboard-handoff")
        assert wait_until(lambda: any("hồ sơ của mẹ bạn đã được xã duyệt" in t for t in fake.texts(CITIZEN + 1)), timeout=20)
        page.click("text=Kết thúc cuộc trò chuyện")
        page.wait_for_selector("text=đã kết thúc")
        assert wait_until(lambda: any("đã kết thúc" in t for t in fake.texts(CITIZEN + 1)), timeout=20)
