"""Live handoff ("gặp cán bộ") on SQLite and PostgreSQL: open, the citizen writes, an official
replies in the dashboard and over the API, the citizen receives it (web chat updates, Telegram
through the fake Bot API server), close, the assistant answers again; out-of-hours behaviour;
unit isolation; the waiting alert on the overview; the audit trail."""
import json
import re
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from accounts import users
from dialogue import handoff
from storage.db import session_factory
from tests.conftest import RELAY
from tests.channel_helpers import TelegramCitizen, server, wait_until
from tests.fakes.server import LocalServer
from tests.fakes.telegram import FakeTelegram

API = {"Authorization": "Bearer handoff-token"}
PASSWORD = "mat-khau-2026"
WEDNESDAY_9AM = datetime(2026, 12, 2, 2, 0, tzinfo=timezone.utc)  # 09:00 in Việt Nam, a working day
SATURDAY_10AM = datetime(2026, 12, 5, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def at(monkeypatch):
    def set_clock(moment: datetime) -> None:
        monkeypatch.setattr(handoff, "office_clock", lambda: moment)

    set_clock(WEDNESDAY_9AM)
    return set_clock


@pytest.fixture
def client(engine, monkeypatch, at):
    monkeypatch.setenv("CIVIC_SERVER__API_TOKENS", json.dumps({"handoff-token": "can-bo-api"}))
    from bot.server import create_app
    from core.config import reset_settings

    reset_settings()
    sessions = session_factory()
    users.create(sessions, "quantri", PASSWORD, "admin")
    users.create(sessions, "vanphong", PASSWORD, "officer", agency_id="van-phong-ubnd-xa")
    users.create(sessions, "congan", PASSWORD, "officer", agency_id="cong-an-xa")
    with TestClient(create_app(engine=engine), headers=RELAY) as c:
        yield c
    reset_settings()


def say(client, user, text=None, payload=None):
    response = client.post("/api/chat", json={"user_id": user, "text": text, "payload": payload})
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def updates(client, user):
    return [m["text"] for m in client.get("/api/chat/updates", params={"user_id": user}).json()["messages"]]


def login(client, username):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
    client.post("/admin/login", data={"username": username, "password": PASSWORD, "csrf_token": token})


def form_token(client, path):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_a_full_handoff_in_office_hours(client):
    citizen = "web-handoff-1"
    say(client, citizen, text="đăng ký kết hôn cần giấy tờ gì")
    opened = say(client, citizen, text="cho tôi gặp cán bộ")
    assert "đã chuyển cuộc trò chuyện cho cán bộ" in opened[0]["text"] and "kết thúc" in opened[0]["text"]
    # while open the assistant is silent: every message goes to the officials' thread
    assert say(client, citizen, text="Tôi nộp hồ sơ kết hôn tuần trước, giờ cần bổ sung gì nữa ạ? SĐT 0912 345 678") == []
    assert say(client, citizen, text="đăng ký khai sinh cần gì") == []

    assert client.get("/api/handoffs").status_code == 401
    assert client.get("/api/handoffs", headers={"Authorization": "Bearer wrong"}).status_code == 401
    listed = client.get("/api/handoffs?status=open", headers=API).json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["channel"] == "web" and item["waiting_since"] and [m["text"] for m in item["messages"]][-1] == "đăng ký khai sinh cần gì"
    shown = client.get(f"/api/handoffs/{item['id']}", headers=API).json()
    assert any("kết hôn" in t["text"] for t in shown["conversation"])  # the conversation before the handoff

    # an official answers over the API: the citizen's web chat receives it
    assert client.post(f"/api/handoffs/{item['id']}/messages", json={"text": ""}, headers=API).status_code == 422
    client.post(f"/api/handoffs/{item['id']}/messages", json={"text": "Chào anh, hồ sơ còn thiếu giấy xác nhận tình trạng hôn nhân."}, headers=API)
    assert any("Cán bộ trả lời:\nChào anh, hồ sơ còn thiếu giấy xác nhận tình trạng hôn nhân." in t for t in updates(client, citizen))
    # another official answers in the dashboard
    login(client, "vanphong")
    inbox = client.get("/admin/handoffs").text
    assert f"/admin/handoffs/{item['id']}" in inbox
    page = client.get(f"/admin/handoffs/{item['id']}").text
    assert "Tôi nộp hồ sơ kết hôn tuần trước" in page and "0912 345 678" not in page.split("Tin nhắn")[0]  # excerpt masked
    token = form_token(client, f"/admin/handoffs/{item['id']}")
    client.post(f"/admin/handoffs/{item['id']}", data={"csrf_token": token, "action": "reply", "text": "Anh mang thêm bản sao căn cước nhé."})
    received = updates(client, citizen)
    assert any("Anh mang thêm bản sao căn cước" in t for t in received)
    # close: the citizen is told and the assistant answers again
    closed = client.post(f"/api/handoffs/{item['id']}/close", headers=API).json()
    assert closed["status"] == "closed"
    assert any("kết thúc cuộc trò chuyện" in t for t in updates(client, citizen))
    answer = say(client, citizen, text="đăng ký kết hôn cần giấy tờ gì")
    assert "Đăng ký kết hôn (mã 9.000102)" in answer[0]["text"]
    audit = [(m["sender"], m["author"]) for m in client.get(f"/api/handoffs/{item['id']}", headers=API).json()["messages"]]
    assert audit[0] == ("system", "opened") and ("official", "can-bo-api") in audit and ("official", "vanphong") in audit
    assert audit[-1] == ("system", "closed")
    assert client.post(f"/api/handoffs/{item['id']}/messages", json={"text": "muộn"}, headers=API).status_code == 409


def test_the_citizen_ends_the_handoff_and_units_see_only_their_own(client):
    say(client, "web-handoff-2", text="gặp cán bộ")
    say(client, "web-handoff-2", text="Tôi muốn hỏi lịch tiếp dân của chủ tịch xã")
    login(client, "congan")  # another unit
    assert "/admin/handoffs/" not in client.get("/admin/handoffs").text
    handoff_id = client.get("/api/handoffs", headers=API).json()["items"][0]["id"]
    assert client.get(f"/admin/handoffs/{handoff_id}").status_code == 404
    ended = say(client, "web-handoff-2", text="kết thúc")
    assert "Trợ lý tự động tiếp tục hỗ trợ bạn" in ended[0]["text"]
    assert client.get("/api/handoffs?status=open", headers=API).json()["total"] == 0


def test_opening_the_chat_again_keeps_the_handoff_and_the_form(client):
    """A new tab (or Telegram /start) sends the greeting payload: neither an answer nor an exit."""
    say(client, "web-handoff-5", text="gặp cán bộ")
    again = say(client, "web-handoff-5", payload="/greet")
    assert "Bạn đang trò chuyện với cán bộ" in again[0]["text"]
    assert client.get("/api/handoffs?status=open", headers=API).json()["total"] == 1
    say(client, "web-handoff-5", text="cho tôi hỏi thứ bảy xã có làm căn cước không")
    handoff_id = client.get("/api/handoffs", headers=API).json()["items"][0]["id"]
    messages = client.get(f"/api/handoffs/{handoff_id}", headers=API).json()["messages"]
    assert any("thứ bảy xã có làm căn cước" in m["text"] for m in messages)

    say(client, "web-form-5", text="tôi muốn phản ánh")
    say(client, "web-form-5", text="Đường vào thôn Bắc ngập nước cả tuần, đề nghị xã xử lý")
    asked = say(client, "web-form-5", payload="/greet")
    assert asked[0]["text"] == "Quay lại việc đang làm:" and len(asked) >= 2
    assert "chưa hợp lệ" not in " ".join(m["text"] for m in asked)


def test_out_of_hours_the_citizen_is_told_when_and_offered_feedback(client, at):
    at(SATURDAY_10AM)
    opened = say(client, "web-handoff-3", text="tôi muốn nói chuyện với người thật")
    text = opened[0]["text"]
    assert "ngoài giờ làm việc" in text and "07:30 thứ Hai, ngày 07/12/2026" in text
    titles = [b["title"] for b in opened[0]["buttons"]]
    assert "Gửi phản ánh thay thế" in titles
    assert say(client, "web-handoff-3", text="Đèn đường thôn Nà Cạn hỏng") == []  # left as a message
    started = say(client, "web-handoff-3", payload="/file_feedback")  # the feedback button leaves the handoff
    assert "việc gì đã xảy ra" in started[-1]["text"]
    assert client.get("/api/handoffs?status=open", headers=API).json()["total"] == 0


def test_an_unanswered_handoff_is_flagged_on_the_overview(client, monkeypatch):
    monkeypatch.setenv("CIVIC_HANDOFF__ALERT_MINUTES", "0")
    from core.config import reset_settings

    reset_settings()
    say(client, "web-handoff-4", text="gặp cán bộ")
    say(client, "web-handoff-4", text="Cho tôi hỏi trực tiếp một việc")
    login(client, "quantri")
    overview = client.get("/admin/").text
    assert "người dân đang chờ gặp cán bộ" in overview and "chờ quá 0 phút" in overview


def test_office_hours_follow_the_working_day_calendar():
    assert handoff.in_office_hours(WEDNESDAY_9AM) and not handoff.in_office_hours(SATURDAY_10AM)
    lunch = datetime(2026, 12, 2, 5, 0, tzinfo=timezone.utc)  # 12:00 local
    assert not handoff.in_office_hours(lunch)
    assert handoff.describe_opening(handoff.next_opening(lunch)) == "13:30 thứ Tư, ngày 02/12/2026"
    new_year = datetime(2027, 1, 1, 2, 0, tzinfo=timezone.utc)  # a public holiday
    assert not handoff.in_office_hours(new_year)


def test_a_telegram_citizen_receives_the_official_reply(engine, monkeypatch, at):
    token, secret = "555000:HANDOFF", "handoff-secret"
    fake = FakeTelegram(token)
    with LocalServer(fake.app) as telegram:
        env = {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_WEBHOOK_SECRET": secret,
               "CIVIC_CHANNELS__TELEGRAM__BASE_URL": telegram.url + "/bot",
               "CIVIC_CHANNELS__TELEGRAM__BASE_FILE_URL": telegram.url + "/file/bot",
               "CIVIC_SERVER__API_TOKENS": json.dumps({"handoff-token": "can-bo-api"})}
        with server(engine, monkeypatch, env) as client:
            citizen = TelegramCitizen(client, fake, 990011, {"X-Telegram-Bot-Api-Secret-Token": secret})
            assert "đã chuyển cuộc trò chuyện" in citizen.says("gặp cán bộ")
            citizen.says("Tôi cần hỏi về trợ cấp lũ lụt")
            item = client.get("/api/handoffs", headers=API).json()["items"][0]
            assert item["channel"] == "telegram"
            client.post(f"/api/handoffs/{item['id']}/messages", json={"text": "Xã sẽ chi trợ cấp vào thứ Sáu."}, headers=API)
            assert wait_until(lambda: any("Xã sẽ chi trợ cấp vào thứ Sáu" in t for t in fake.texts(990011)))
            client.post(f"/api/handoffs/{item['id']}/close", headers=API)
            assert wait_until(lambda: any("đã kết thúc" in t for t in fake.texts(990011)))
            assert "(mã 9.000102)" in citizen.says("đăng ký kết hôn cần giấy tờ gì")


def test_without_any_official_the_assistant_promises_no_reply(engine, monkeypatch, at):
    # a fresh installation: no dashboard account, no API token — nobody would read the thread
    monkeypatch.delenv("CIVIC_SERVER__API_TOKENS", raising=False)
    from bot.server import create_app
    from core.config import reset_settings

    reset_settings()
    with TestClient(create_app(engine=engine), headers=RELAY) as c:
        text = say(c, "cd-1", "gặp cán bộ")[0]["text"]
        assert "chưa có cán bộ nào" in text and "trả lời ngay" not in text
        assert "phản ánh" in text
        users.create(session_factory(), "vanphong", PASSWORD, "officer", agency_id="van-phong-ubnd-xa")
        say(c, "cd-1", "kết thúc")
        assert "đã chuyển cuộc trò chuyện cho cán bộ" in say(c, "cd-1", "gặp cán bộ")[0]["text"]
    reset_settings()
