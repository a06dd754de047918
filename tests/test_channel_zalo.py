"""Zalo Bot Platform and Zalo Official Account against fake servers on 127.0.0.1: feedback
conversations (numbered choices, photos, locations), webhook authentication, duplicates, 429,
the platform down and back, long texts, polling, and one token refresh across processes."""
import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from core.config import get_settings
from delivery.outbox import deliver
from storage import tokens
from storage.db import session_factory
from tests.channel_helpers import official_replies, only_feedback, outbox, server, wait_until
from tests.conftest import ROOT
from tests.fakes.server import LocalServer
from tests.fakes.zalo import PHOTO, FakeZaloBot, FakeZaloOA, bot_photo, bot_sticker, bot_text, oa_body, oa_event, oa_sign

BOT_TOKEN = "1234567890:zalo-bot-token"
BOT_SECRET = "zalo-bot-secret-123"
APP_ID, OA_SECRET, APP_SECRET = "4321", "oa-secret-key", "app-secret"


# ---------------------------------------------------------------------------- Zalo Bot

@pytest.fixture
def zbot():
    fake = FakeZaloBot(BOT_TOKEN)
    with LocalServer(fake.app) as local:
        fake.server = local
        yield fake


def bot_env(fake, **extra):
    return {"ZALO_BOT_TOKEN": BOT_TOKEN, "ZALO_BOT_WEBHOOK_SECRET": BOT_SECRET, "CIVIC_CHANNELS__ZALO_BOT__BASE_URL": fake.server.url, **extra}


class ZaloUser:
    def __init__(self, client, fake, user="zalo-user-1", wrapped=False):
        self.client, self.fake, self.user, self.wrapped = client, fake, user, wrapped
        self.n = 0

    def post(self, update, headers=None):
        body = {"ok": True, "result": update} if self.wrapped else update
        before = len(self.fake.texts(self.user))
        response = self.client.post("/zalo-bot/webhook", json=body, headers=headers or {"X-Bot-Api-Secret-Token": BOT_SECRET})
        return response, "\n".join(self.fake.texts(self.user)[before:])

    def says(self, text):
        self.n += 1
        response, reply = self.post(bot_text(f"in{self.n}", self.user, text))
        assert response.status_code == 200, response.text
        return reply


def test_zalo_bot_feedback_with_numbered_choices_and_a_photo(engine, monkeypatch, zbot):
    with server(engine, monkeypatch, bot_env(zbot)) as client:
        user = ZaloUser(client, zbot, wrapped=True)  # the wrapped body shape
        menu = user.says("xin chào")
        assert "1. Hỏi thủ tục" in menu and "Trả lời bằng số thứ tự" in menu
        assert "việc gì đã xảy ra, ở đâu" in user.says("2")  # "2" = the second choice: Gửi phản ánh
        user.wrapped = False  # the top-level body shape
        user.says("Bộ phận một cửa xã thu thêm phí photo giấy tờ không có trong quy định, đề nghị kiểm tra")
        assert "ảnh hoặc vị trí" in user.says("không rõ")  # a choice typed as its text
        user.n += 1
        _, reply = user.post(bot_photo(f"in{user.n}", user.user, zbot.server.url + "/media/anh.png", caption="ảnh biên lai"))
        assert "Đã nhận 1 ảnh" in reply
        assert "họ và tên" in user.says("xong")
        user.says("Lý Văn Hải")
        user.says("Thôn Nà Pàn, xã Mẫu Sơn")
        summary = user.says("0977123456")
        assert "1 ảnh" in summary
        assert "Mã theo dõi: PA-" in user.says("1")  # 1. Đúng, gửi đi
        item = only_feedback()
        assert item.channel == "zalo_bot" and (get_settings().media_path / item.media[0]["path"]).read_bytes() == PHOTO

        user.n += 1
        _, reply = user.post(bot_sticker(f"in{user.n}", user.user))
        assert "chỉ đọc được tin nhắn chữ" in reply
        official_replies(item.code)
        assert wait_until(lambda: any("Xã đã xử lý xong" in t for t in zbot.texts(user.user)))
        assert "1. Đánh giá việc xử lý" in zbot.texts(user.user)[-1]


def test_zalo_bot_webhook_secret_duplicates_and_long_texts(engine, monkeypatch, zbot):
    with server(engine, monkeypatch, bot_env(zbot)) as client:
        user = ZaloUser(client, zbot)
        for headers in ({}, {"X-Bot-Api-Secret-Token": "wrong-secret"}, {"X-Bot-Api-Secret-Token": BOT_SECRET[:-1]}):
            response, _ = user.post(bot_text("x1", user.user, "xin chào"), headers=headers or {"X-Other": "1"})
            assert response.status_code == 403
        assert zbot.sent == []
        for _ in range(3):  # the same message_id delivered three times
            response, _ = user.post(bot_text("dup-1", user.user, "xin chào"))
            assert response.status_code == 200
        assert len(zbot.texts(user.user)) == 1
        channel = client.app.state.channels[0]
        text = ("Người dân nộp hồ sơ trực tuyến trên Cổng dịch vụ công và nhận kết quả tại nhà. " * 60).strip()
        client.portal.call(channel.send, user.user, text, [])
        pieces = zbot.texts(user.user)[1:]
        assert len(pieces) == 3 and all(len(p) <= 2000 for p in pieces)
        assert " ".join(pieces).split() == text.split()


def test_zalo_bot_429_and_down_then_up(engine, monkeypatch, zbot):
    with server(engine, monkeypatch, bot_env(zbot)) as client:
        user = ZaloUser(client, zbot)
        zbot.rate_limited = 1
        user.says("xin chào")  # refused with 429: kept in the outbox, sent after Retry-After
        assert wait_until(lambda: len(zbot.texts(user.user)) == 1)
        assert wait_until(lambda: [m.status for m in outbox()] == ["sent"])

        zbot.server.stop()
        user.says("xin chào")  # unreachable platform: nothing lost
        assert wait_until(lambda: len(outbox()) == 2 and outbox()[1].attempts >= 1)
        zbot.server.start()
        channel = client.app.state.channels[0]
        later = datetime.now(timezone.utc) + timedelta(hours=1)
        client.portal.call(deliver, session_factory(), {"zalo_bot": channel}, later)
        client.portal.call(deliver, session_factory(), {"zalo_bot": channel}, later + timedelta(hours=1))
        assert wait_until(lambda: [m.status for m in outbox()] == ["sent", "sent"])
        assert len(zbot.texts(user.user)) == 2


def test_zalo_bot_polling(engine, monkeypatch, zbot):
    with server(engine, monkeypatch, bot_env(zbot, CIVIC_CHANNELS__ZALO_BOT__MODE="polling")):
        zbot.updates.append(bot_text("p1", "poller", "xin chào"))
        zbot.updates.append(bot_text("p1", "poller", "xin chào"))  # a repeat is ignored
        assert wait_until(lambda: len(zbot.texts("poller")) == 1)
        time.sleep(0.5)
        assert len(zbot.texts("poller")) == 1


# ---------------------------------------------------------------------------- Zalo OA

@pytest.fixture
def zoa():
    fake = FakeZaloOA(APP_ID, APP_SECRET, "access-0", "refresh-0")
    with LocalServer(fake.app) as local:
        fake.server = local
        yield fake


def oa_env(fake):
    return {
        "ZALO_OA_APP_ID": APP_ID, "ZALO_OA_SECRET_KEY": OA_SECRET, "ZALO_OA_APP_SECRET": APP_SECRET,
        "ZALO_OA_ACCESS_TOKEN": "access-0", "ZALO_OA_REFRESH_TOKEN": "refresh-0",
        "CIVIC_CHANNELS__ZALO_OA__API_BASE": fake.server.url, "CIVIC_CHANNELS__ZALO_OA__OAUTH_BASE": fake.server.url,
    }


class Follower:
    def __init__(self, client, fake, user="oa-user-1"):
        self.client, self.fake, self.user, self.n = client, fake, user, 0

    def post(self, event_name, message, signature=None, timestamp=None):
        self.n += 1
        message = {"msg_id": f"msg{self.n}", **message}
        event = oa_event(APP_ID, event_name, self.user, message, timestamp)
        body = oa_body(event)
        signature = oa_sign(APP_ID, body, event["timestamp"], OA_SECRET) if signature is None else signature
        before = len(self.fake.texts(self.user))
        headers = {"Content-Type": "application/json"} | ({"X-ZEvent-Signature": signature} if signature else {})
        response = self.client.post("/zalo-oa/webhook", content=body, headers=headers)
        return response, "\n".join(self.fake.texts(self.user)[before:])

    def says(self, text):
        response, reply = self.post("user_send_text", {"text": text})
        assert response.status_code == 200, response.text
        return reply


def test_zalo_oa_feedback_with_image_and_location(engine, monkeypatch, zoa):
    with server(engine, monkeypatch, oa_env(zoa)) as client:
        user = Follower(client, zoa)
        user.says("tôi muốn phản ánh")
        user.says("Đèn đường trước nhà văn hóa thôn bị hỏng hai tháng nay, buổi tối rất nguy hiểm cho người đi đường")
        user.says("không rõ")
        _, reply = user.post("user_send_image", {"text": "", "attachments": [{"type": "image", "payload": {"thumbnail": "", "url": zoa.server.url + "/img/den.jpg"}}]})
        assert "Đã nhận 1 ảnh" in reply
        _, reply = user.post("user_send_location", {"attachments": [{"type": "location", "payload": {"coordinates": {"latitude": "21.85", "longitude": "106.76"}}}]})
        assert "1 ảnh và 1 vị trí" in reply
        user.says("xong")
        user.says("Đinh Thị Mai")
        user.says("Thôn Khòn Khẻ, xã Mẫu Sơn")
        user.says("0366 777 888")
        assert "Mã theo dõi: PA-" in user.says("1")
        item = only_feedback()
        assert item.channel == "zalo_oa" and (item.latitude, item.longitude) == (21.85, 106.76) and item.media[0]["path"]
        official_replies(item.code)
        assert wait_until(lambda: any("Xã đã xử lý xong" in t for t in zoa.texts(user.user)))


def test_zalo_oa_signature_and_replays(engine, monkeypatch, zoa):
    with server(engine, monkeypatch, oa_env(zoa)) as client:
        user = Follower(client, zoa)
        assert user.post("user_send_text", {"text": "xin chào"}, signature="")[0].status_code == 403
        assert user.post("user_send_text", {"text": "xin chào"}, signature="mac=" + "0" * 64)[0].status_code == 403
        old = int((time.time() - 7200) * 1000)
        assert user.post("user_send_text", {"text": "xin chào"}, timestamp=old)[0].status_code == 403
        assert zoa.sent == []
        response, reply = user.post("user_send_text", {"text": "xin chào"})
        assert response.status_code == 200 and "trợ lý dịch vụ công" in reply
        user.n -= 1  # the same msg_id again: ignored
        response, reply = user.post("user_send_text", {"text": "xin chào"})
        assert response.status_code == 200 and reply == ""


def test_zalo_oa_expired_token_is_refreshed_once(engine, monkeypatch, zoa):
    with server(engine, monkeypatch, oa_env(zoa)) as client:
        user = Follower(client, zoa)
        user.says("xin chào")
        zoa.expire_all()
        assert "trợ lý" in user.says("xin chào")  # -216 → refresh → sent with the new token
        assert zoa.refresh_calls == ["refresh-0"] and zoa.sent[-1]["token"] == "access-1"
        pair = tokens.current(session_factory(), "zalo_oa", None, None)
        assert (pair.access_token, pair.refresh_token, pair.generation) == ("access-1", "refresh-1", 1)
        zoa.rate_limited = 1  # "request limit exceeded": the reply waits in the outbox
        assert user.says("xin chào") == ""
        assert wait_until(lambda: len(zoa.texts(user.user)) == 3 and [m.status for m in outbox()] == ["sent"])


SENDER = """
import asyncio, sys, time
from core.config import get_settings
from storage.db import get_engine, session_factory
from bot.channels.zalo_oa import ZaloOAChannel
get_engine()
channel = ZaloOAChannel(get_settings().channels.zalo_oa, session_factory(), lambda: None)
start = float(sys.argv[1])
time.sleep(max(0, start - time.time()))
asyncio.run(channel.send(sys.argv[2], "Thông báo từ " + sys.argv[2], []))
print("sent")
"""


def test_one_refresher_across_processes(civic_db, zoa):
    env = {**os.environ, **oa_env(zoa), "PYTHONPATH": str(ROOT)}
    tokens.current(session_factory(), "zalo_oa", "access-0", "refresh-0")
    zoa.expire_all()
    zoa.refresh_delay = 0.5  # a slow OAuth server: both processes see -216 before the new pair exists
    start = time.time() + 4
    procs = [subprocess.Popen([sys.executable, "-c", SENDER, str(start), f"user-{i}"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert zoa.refresh_calls == ["refresh-0"]  # exactly one refresh; a second would have burnt the token
    assert sorted(zoa.texts()) == ["Thông báo từ user-0", "Thông báo từ user-1"]
    assert {m["token"] for m in zoa.sent} == {"access-1"}
    assert tokens.current(session_factory(), "zalo_oa", None, None).refresh_token == "refresh-1"
