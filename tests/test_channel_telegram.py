"""Telegram through python-telegram-bot against a fake Bot API server on 127.0.0.1: a full
feedback conversation with buttons, a photo and a location; the official's reply pushed back;
webhook authentication; repeated updates; 429 with retry_after; the platform down and back;
long texts and long button payloads; polling mode."""
from datetime import datetime, timedelta, timezone

import pytest

from core.config import get_settings
from delivery.outbox import deliver
from storage.db import session_factory
from tests.channel_helpers import TelegramCitizen, official_replies, only_feedback, outbox, server, wait_until
from tests.fakes.server import LocalServer
from tests.fakes.telegram import FakeTelegram, callback_update, text_update

TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_1"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
CITIZEN = 424242


@pytest.fixture
def fake():
    fake = FakeTelegram(TOKEN)
    with LocalServer(fake.app) as local:
        fake.server = local
        yield fake


def env(fake, **extra) -> dict:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "CIVIC_CHANNELS__TELEGRAM__BASE_URL": fake.server.url + "/bot",
        "CIVIC_CHANNELS__TELEGRAM__BASE_FILE_URL": fake.server.url + "/file/bot",
        **extra,
    }


@pytest.fixture
def client(engine, monkeypatch, fake):
    with server(engine, monkeypatch, env(fake)) as c:
        yield c


def test_a_feedback_conversation_through_telegram(client, fake):
    citizen = TelegramCitizen(client, fake, CITIZEN, HEADERS)
    assert "trợ lý dịch vụ công" in citizen.says("/start")
    assert [c["commands"][0]["command"] for c in fake.method_calls("setMyCommands")] == ["start"]
    assert "việc gì đã xảy ra, ở đâu" in citizen.presses("Gửi phản ánh")
    assert fake.method_calls("answerCallbackQuery"), "callback queries are answered"
    assert "liên quan đến thủ tục" in citizen.says("Cán bộ một cửa xã hẹn tôi ba lần mà hồ sơ chứng thực vẫn chưa xong, đề nghị kiểm tra")
    assert "ảnh hoặc vị trí" in citizen.presses("Không rõ")
    assert "Đã nhận 1 ảnh" in citizen.sends_photo("photo-1")
    assert "1 ảnh và 1 vị trí" in citizen.sends_location(21.8537, 106.7615)
    assert "họ và tên" in citizen.presses("Xong")
    citizen.says("Hoàng Thị Lan")
    citizen.says("Số 5, thôn Nà Cạn, xã Mẫu Sơn")
    summary = citizen.says("0912 111 222")
    assert "1 ảnh và 1 vị trí" in summary and "+84912111222" in summary
    done = citizen.presses("Đúng, gửi đi")
    assert "Mã theo dõi: PA-" in done

    item = only_feedback()
    assert item.channel == "telegram" and item.reporter_name == "Hoàng Thị Lan"
    assert (item.latitude, item.longitude) == (21.8537, 106.7615)
    photo = item.media[0]
    assert photo["type"] == "photo" and (get_settings().media_path / photo["path"]).read_bytes() == b"\xff\xd8\xff\xe0 photo bytes"

    assert "PA-" in citizen.says(f"/tracuu {item.code}")  # a command with an argument
    official_replies(item.code)
    assert wait_until(lambda: any("Xã đã xử lý xong" in t for t in fake.texts(CITIZEN)))
    assert f"hài lòng với kết quả xử lý phản ánh {item.code}" in citizen.presses("Đánh giá việc xử lý")
    # a negated answer that is not one of the scale's choices is shown back, stored once agreed
    assert "mức 2 – Không hài lòng. Đúng không?" in citizen.says("ko hài lòng lắm, chờ lâu quá")
    assert "Cảm ơn" in citizen.presses("Đúng, mức 2 – Không hài lòng")
    assert only_feedback().satisfaction == 2
    assert [m.status for m in outbox()] == ["sent"]


def test_webhook_without_the_right_secret_is_refused(client, fake):
    update = text_update(1, CITIZEN, "xin chào")
    assert client.post("/telegram/webhook", json=update).status_code == 403
    assert client.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}).status_code == 403
    assert fake.texts() == []
    assert client.post("/telegram/webhook", content=b"not json", headers=HEADERS).status_code == 400
    assert client.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 200
    assert len(fake.texts()) == 1


def test_a_repeated_update_is_ignored(client, fake):
    update = text_update(77, CITIZEN, "xin chào")
    for _ in range(3):  # Telegram retries when it did not see our 200 in time
        assert client.post("/telegram/webhook", json=update, headers=HEADERS).status_code == 200
    assert len(fake.texts(CITIZEN)) == 1


def test_429_retry_after_is_honoured(client, fake):
    fake.rate_limited, fake.retry_after = 1, 1
    client.post("/telegram/webhook", json=text_update(5, CITIZEN, "xin chào"), headers=HEADERS)
    attempts = [at for at, method, _ in fake.calls if method == "sendMessage"]
    assert len(attempts) == 2 and attempts[1] - attempts[0] >= 0.95
    assert len(fake.texts(CITIZEN)) == 1


def test_replies_wait_in_the_outbox_while_rate_limited(client, fake):
    fake.rate_limited, fake.retry_after = 3, 1  # more 429s than one send retries
    client.post("/telegram/webhook", json=text_update(6, CITIZEN, "xin chào"), headers=HEADERS)
    assert fake.texts(CITIZEN) == [] and [m.status for m in outbox()] in (["pending"], ["sending"], ["sent"])
    assert wait_until(lambda: len(fake.texts(CITIZEN)) == 1)
    assert wait_until(lambda: [m.status for m in outbox()] == ["sent"])
    assert len(fake.texts(CITIZEN)) == 1


def test_platform_down_then_up_delivers_queued_messages_once(client, fake):
    citizen = TelegramCitizen(client, fake, CITIZEN, HEADERS)
    citizen.says("/phananh")
    citizen.says("Đường vào trụ sở xã bị ngập, người dân không vào nộp hồ sơ được, đề nghị xử lý sớm")
    citizen.presses("Không rõ")
    citizen.presses("Bỏ qua")
    for text in ("Vi Văn Tâm", "Thôn Khuổi Phầy, xã Mẫu Sơn", "0987654321"):
        citizen.says(text)
    citizen.presses("Đúng, gửi đi")
    code = only_feedback().code
    sent_before = len(fake.texts(CITIZEN))

    fake.server.stop()  # Telegram is down
    official_replies(code)
    assert wait_until(lambda: outbox()[0].attempts >= 1 and outbox()[0].status == "pending")
    assert outbox()[0].last_error
    fake.server.start()  # ...and back on the same address
    channel = client.app.state.channels[0]
    later = datetime.now(timezone.utc) + timedelta(hours=1)  # past the backoff
    counts = client.portal.call(deliver, session_factory(), {"telegram": channel}, later)
    again = client.portal.call(deliver, session_factory(), {"telegram": channel}, later + timedelta(hours=1))
    assert counts["sent"] + again["sent"] <= 1
    assert wait_until(lambda: outbox()[0].status == "sent")
    replies = [t for t in fake.texts(CITIZEN)[sent_before:] if "Xã đã xử lý xong" in t]
    assert len(replies) == 1


def test_long_answers_are_split_and_long_payloads_kept(client, fake):
    channel = client.app.state.channels[0]
    paragraph = "Thành phần hồ sơ gồm tờ khai, giấy tờ tùy thân và các giấy tờ khác có liên quan. " * 20
    text = "\n\n".join([paragraph] * 6)  # about 10,000 characters
    payload = '/give_rating{"subject": "procedure:9.000101", "source": "nút đánh giá dưới câu trả lời"}'
    client.portal.call(channel.send, str(CITIZEN), text, [{"title": "Đánh giá", "payload": payload}])
    pieces = fake.sent[-3:]
    assert len(fake.sent) == 3 and all(len(p["text"]) <= 4096 for p in pieces)
    assert "".join(p["text"] for p in pieces).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert [bool(p["reply_markup"]) for p in pieces] == [False, False, True]
    data = pieces[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("k:") and len(data.encode()) <= 64
    client.post("/telegram/webhook", json=callback_update(9, CITIZEN, data), headers=HEADERS)
    assert "Câu 1/22" in fake.texts(CITIZEN)[-1] and "Đăng ký khai sinh" in "".join(fake.texts(CITIZEN)[-3:])


def test_polling_mode(engine, monkeypatch, fake):
    with server(engine, monkeypatch, env(fake, CIVIC_CHANNELS__TELEGRAM__MODE="polling")):
        fake.updates.append(text_update(500, CITIZEN, "xin chào"))
        assert wait_until(lambda: len(fake.texts(CITIZEN)) == 1)
        assert fake.method_calls("getUpdates")
