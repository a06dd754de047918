"""Issue 14, each failure of the abuse probe as a test, on SQLite and PostgreSQL where the database
matters: bad characters and sizes refused at the edge with nothing stored, non-finite and
out-of-range coordinates, masking of every phone and ID shape (also in tracebacks), rate limits
with Retry-After (in memory and through Redis), a bounded wait for a busy conversation, private
Open311 and unguessable tracking codes, revocable dashboard sessions and an atomic lockout,
signed web-chat identities and the per-address survey limit."""
import io
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from accounts import users
from core.privacy import mask_pii
from feedback import service
from storage.db import session_factory
from storage.models import Conversation, Feedback, SurveyResponse, Turn
from tests.conftest import RELAY

PASSWORD = "mat-khau-2026"
TOKEN = {"Authorization": "Bearer officials-token"}


@pytest.fixture
def app_env(monkeypatch):
    monkeypatch.setenv("CIVIC_FEEDBACK__OPEN311_API_KEYS", json.dumps(["open311-key"]))
    monkeypatch.setenv("CIVIC_SERVER__API_TOKENS", json.dumps({"officials-token": "can-bo-a"}))
    from core.config import reset_settings
    from core.ratelimit import reset_limiter

    reset_settings()
    reset_limiter()
    yield monkeypatch
    reset_settings()
    reset_limiter()


@pytest.fixture
def client(engine, app_env):
    from bot.server import create_app

    with TestClient(create_app(engine=engine)) as c:
        yield c


def stored() -> tuple[int, int, int]:
    with session_factory()() as s:
        return (s.scalar(select(func.count(Conversation.id))), s.scalar(select(func.count(Turn.id))),
                s.scalar(select(func.count(Feedback.id))))


# ---------------------------------------------------------------------------- bounded input

BAD_BODIES = [
    {"user_id": "u", "text": "xin\x00chào"},
    {"user_id": "u", "text": "xin \ud800 chào"},
    {"user_id": "a\x00b", "text": "xin chào"},
    {"user_id": "u", "text": "chuông\x07báo"},
]


def test_bad_characters_are_refused_before_anything_is_stored(client):
    before = stored()
    for body in BAD_BODIES:
        raw = json.dumps(body).encode()  # \u0000 and \ud800 escapes, as a script would send them
        response = client.post("/api/chat", content=raw, headers={"content-type": "application/json", **RELAY})
        assert response.status_code == 400, (body, response.text)
        assert "ký tự không hợp lệ" in response.json()["messages"][0]["text"]
    bad_utf8 = b'{"user_id": "u", "text": "\xff\xfe"}'
    assert client.post("/api/chat", content=bad_utf8, headers={"content-type": "application/json"}).status_code == 400
    assert client.get("/api/chat/updates?user_id=a%00b").status_code == 400
    assert client.get("/open311/v2/requests/PA%00.json").status_code == 400
    assert client.get("/open311/v2/requests/" + "X" * 200 + ".json").status_code == 404
    assert stored() == before
    # tabs and line breaks are ordinary text
    assert client.post("/api/chat", json={"user_id": "u", "text": "xin chào\n\tcán bộ"}, headers=RELAY).status_code == 200


def test_sizes_and_names_are_bounded(client):
    before = stored()
    long_intent = "/" + "a" * 65
    response = client.post("/api/chat", json={"user_id": "u1", "payload": long_intent}, headers=RELAY)
    assert response.status_code == 200  # not an intent name: read as text, answered
    assert client.post("/api/chat", json={"user_id": "u" * 65, "text": "chào"}, headers=RELAY).status_code == 422
    assert client.post("/api/chat", json={"user_id": "u", "text": "a" * 20_000}, headers=RELAY).status_code == 413
    huge = b'{"text": "' + b"a" * 300_000 + b'"}'
    response = client.post("/api/chat", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "quá lớn" in response.json()["error"]
    nested = b"[" * 5000 + b"]" * 5000
    assert client.post("/api/chat", content=nested, headers={"content-type": "application/json"}).status_code in (400, 422)
    with session_factory()() as s:
        assert all(len(i or "") <= 64 for i in s.scalars(select(Turn.intent)))
    assert stored()[2] == before[2]


def test_masking_is_linear_and_covers_every_shape():
    for text in ("gọi (091) 234 5678 nhé", "sdt o912345678", "CCCD 0012 3456 7890", "CCCD 001-234-567-890",
                 "số 0912.345.678", "không chín một hai ba bốn năm sáu bảy tám", "mail nguyen.an@gmail.com"):
        masked = mask_pii(text)
        assert not re.search(r"\d{4}", masked.replace("*", "")), (text, masked)
        assert "2345" not in masked and "345 6" not in masked and "@gmail" not in masked, masked
    started = time.process_time()
    for text in ("a" * 80_000, "a@" * 40_000, "1" * 80_000, "0 " * 40_000, "một " * 20_000):
        mask_pii(text)
    assert time.process_time() - started < 5  # was 3.6 s for 20,000 characters: quadratic (now ~0.05 s)


def test_tracebacks_are_masked_in_logs():
    from core.logs import MaskingFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("test.masking")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("INSERT ... ('Trần Văn Bình', '0912345678', 'CCCD 001-234-567-890')")
        except ValueError:
            logger.exception("failed for %s", "an@example.vn")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and "0912345678" not in text and "234-567" not in text and "an@example.vn" not in text


def test_database_errors_do_not_print_parameters(engine):
    from storage.db import get_engine

    assert get_engine().hide_parameters


# ---------------------------------------------------------------------------- coordinates

def test_open311_coordinates_are_checked_and_old_bad_rows_do_not_break_lists(client):
    form = {"api_key": "open311-key", "service_code": "procedure", "first_name": "Bình", "last_name": "Trần Văn",
            "description": "Đèn chiếu sáng trước trụ sở xã hỏng hai tuần, đi lại buổi tối rất khó",
            "phone": "0912 555 666", "address_string": "Thôn 2, xã Mẫu Sơn"}
    for lat, lon in (("nan", "106"), ("1e999", "106"), ("91", "106"), ("21", "-181"), ("inf", "1"), ("abc", "1")):
        response = client.post("/open311/v2/requests.json", data={**form, "lat": lat, "long": lon})
        assert response.status_code == 400, (lat, lon, response.text)
    response = client.post("/open311/v2/requests.json", content=b'{"lat": NaN}', headers={"content-type": "application/json"})
    assert response.status_code == 400
    created = client.post("/open311/v2/requests.json", data={**form, "lat": "21.85", "long": "106.76"})
    assert created.status_code == 200
    code = created.json()[0]["service_request_id"]
    with session_factory()() as s:  # a row stored by an older version, before the check
        s.execute(update(Feedback).where(Feedback.code == code).values(latitude=float("nan"), longitude=float("inf"), status="published"))
        s.commit()
    assert client.get("/open311/v2/requests.json").status_code == 200
    listed = client.get("/api/feedback", headers=TOKEN)
    assert listed.status_code == 200 and listed.json()["items"][0]["location"]["lat"] is None


# ---------------------------------------------------------------------------- fair use

def test_one_user_flooding_gets_429_with_retry_after(client, app_env):
    from core.config import reset_settings

    app_env.setenv("CIVIC_LIMITS__CHAT_PER_USER", "3/minute")
    reset_settings()
    answers = [client.post("/api/chat", json={"user_id": "flood", "text": "xin chào"}, headers=RELAY) for _ in range(5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1 and "quá nhanh" in answers[-1].json()["error"]
    assert client.post("/api/chat", json={"user_id": "someone-else", "text": "xin chào"}, headers=RELAY).status_code == 200


def test_per_address_limit_for_cookie_users(client, app_env):
    from core.config import reset_settings

    app_env.setenv("CIVIC_LIMITS__CHAT_PER_ADDRESS", "4/minute")
    reset_settings()
    statuses = []
    for i in range(6):  # a script dropping its cookie each time: a new identity, the same address
        client.cookies.clear()
        statuses.append(client.post("/api/chat", json={"text": "xin chào"}).status_code)
    assert statuses == [200] * 4 + [429] * 2


def test_limits_are_shared_through_redis():
    from core.ratelimit import Limiter

    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"no Redis at 127.0.0.1:6379: {exc.__class__.__name__}")
    first, second = Limiter("redis://127.0.0.1:6379/0"), Limiter("redis://127.0.0.1:6379/0")  # two processes
    key = f"shared-{time.time_ns()}"
    assert [first.hit("3/minute", "t", key), second.hit("3/minute", "t", key), first.hit("3/minute", "t", key)] == [None] * 3
    assert second.hit("3/minute", "t", key) is not None
    down = Limiter("redis://127.0.0.1:1/0")  # Redis unreachable: fail open, do not fail the request
    assert down.hit("1/minute", "t", key) is None and down.hit("1/minute", "t", key) is None


def test_a_busy_conversation_answers_503_within_the_bounded_wait(client, engine):
    from dialogue import store

    client.post("/api/chat", json={"user_id": "busy", "text": "xin chào"}, headers=RELAY)
    conversation = store.ensure_conversation(session_factory(), "web", "busy", "busy")
    with store.lease(session_factory(), conversation, 30, 0.1):
        started = time.monotonic()
        response = client.post("/api/chat", json={"user_id": "busy", "text": "xin chào"}, headers=RELAY)
        waited = time.monotonic() - started
    assert waited < engine.settings.dialogue.lock_wait_seconds + 3
    assert response.status_code == 503 and "Retry-After" in response.headers and "đang được xử lý" in response.json()["error"]


def test_a_few_messages_of_one_conversation_wait_a_flood_does_not(engine):
    from dialogue import store

    sessions = session_factory()
    conversation = store.ensure_conversation(sessions, "web", "double-click", "double-click")
    outcomes = []

    def waiting():
        try:
            with store.lease(sessions, conversation, 30, 1.5):
                outcomes.append("served")
        except store.ConversationBusy:
            outcomes.append("busy")

    with store.lease(sessions, conversation, 30, 0.1):
        with ThreadPoolExecutor(store.MAX_WAITING) as pool:
            waiters = [pool.submit(waiting) for _ in range(store.MAX_WAITING)]
            time.sleep(0.3)  # those are waiting now; one more is refused at once
            started = time.monotonic()
            with pytest.raises(store.ConversationBusy):
                with store.lease(sessions, conversation, 30, 5):
                    pass
            assert time.monotonic() - started < 1
            for w in waiters:
                w.result()
    assert outcomes == ["busy"] * store.MAX_WAITING  # the lock was held past their bounded wait


def test_webhook_flood_is_told_to_retry_later(engine, monkeypatch):
    from tests.channel_helpers import server
    from tests.fakes.server import LocalServer
    from tests.fakes.telegram import FakeTelegram, text_update

    fake = FakeTelegram("123456:TEST-token")
    with LocalServer(fake.app) as local:
        env = {"TELEGRAM_BOT_TOKEN": "123456:TEST-token", "TELEGRAM_WEBHOOK_SECRET": "s3cret-hook",
               "CIVIC_CHANNELS__TELEGRAM__BASE_URL": local.url + "/bot", "CIVIC_LIMITS__WEBHOOK_PER_USER": "2/minute"}
        with server(engine, monkeypatch, env) as c:
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
            codes = [c.post("/telegram/webhook", json=text_update(i, 555, "xin chào"), headers=headers) for i in range(1, 4)]
            assert [r.status_code for r in codes] == [200, 200, 429] and codes[2].headers["Retry-After"]
            assert len(fake.texts(555)) == 2  # the third is neither answered nor marked handled: redelivered later
            too_long = c.post("/telegram/webhook", json=text_update(9, 556, "a" * 5000), headers=headers)
            assert too_long.status_code == 200 and "quá dài" in fake.texts(556)[-1]


# ---------------------------------------------------------------------------- private by default

def test_tracking_codes_are_not_guessable_and_replies_stay_with_the_filer(client, engine):
    sessions = session_factory()
    codes = [service.submit(sessions, service.Draft(f"Đường thôn {i} hỏng nặng, xe không đi được, đề nghị sửa")).code for i in range(5)]
    assert all(re.fullmatch(r"PA-\d{4}-[2-9A-HJKMNP-Z]{6}", c) for c in codes) and len(set(codes)) == 5
    assert codes != sorted(codes) or len({c[-6:] for c in codes}) == 5
    # a filer on the chat
    assert engine.handle("web", "filer", text="xin chào").messages
    item = service.submit(sessions, service.Draft("Cán bộ một cửa hẹn trả hồ sơ đã quá hạn hai tuần",
                                                  conversation_id=_conversation("filer")))
    service.update(sessions, item.code, status="resolved", reply="Đã trả hồ sơ, xin lỗi ông/bà.", actor="can-bo-a")
    stranger = "\n".join(m.text for m in engine.handle("web", "stranger", text=f"tra cứu {item.code.lower()}").messages)
    assert "Đã có kết quả" in stranger and "xin lỗi ông/bà" not in stranger and "Cán bộ một cửa" not in stranger
    own = "\n".join(m.text for m in engine.handle("web", "filer", text=f"tra cứu {item.code}").messages)
    assert "xin lỗi ông/bà" in own
    service.update(sessions, item.code, status="published", actor="can-bo-a")
    stranger = "\n".join(m.text for m in engine.handle("web", "stranger", text=f"tra cứu {item.code}").messages)
    assert "xin lỗi ông/bà" in stranger  # published: the result is public


def _conversation(user: str) -> int:
    with session_factory()() as s:
        return s.scalar(select(Conversation.id).where(Conversation.user_id == user))


# ---------------------------------------------------------------------------- dashboard sessions

def _login(client, username, password=PASSWORD):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False)


def _copy_cookie(client) -> dict:
    return {"civic_admin": client.cookies.get("civic_admin")}


def test_sessions_end_at_logout_password_change_and_disable(client, capsys, monkeypatch):
    from bot.cli import main

    users.create(session_factory(), "quantri", PASSWORD, "admin")
    for ending in ("logout", "passwd", "disable"):
        client.cookies.clear()
        assert _login(client, "quantri").status_code == 303
        stolen = _copy_cookie(client)
        assert client.get("/admin/", follow_redirects=False).status_code == 200
        if ending == "logout":
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/").text).group(1)
            client.post("/admin/logout", data={"csrf_token": token})
        elif ending == "passwd":
            monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
            assert main(["users", "passwd", "quantri", "--password-stdin"]) == 0
        else:
            assert main(["users", "disable", "quantri"]) == 0
        client.cookies.clear()
        again = client.get("/admin/", cookies=stolen, follow_redirects=False)
        assert again.status_code == 303 and "/admin/login" in again.headers["location"], ending
    capsys.readouterr()


def test_secure_cookie_behind_https(engine, app_env):
    from bot.server import create_app
    from core.config import reset_settings

    app_env.setenv("CIVIC_SERVER__PUBLIC_URL", "https://dichvucong.example.vn")
    reset_settings()
    users.create(session_factory(), "quantri", PASSWORD, "admin")
    with TestClient(create_app(engine=engine), base_url="https://testserver") as c:
        response = _login(c, "quantri")
        cookies = response.headers.get_list("set-cookie")
        assert any(h.startswith("civic_admin=") and "secure" in h.lower() for h in cookies)
        chat = c.post("/api/chat", json={"text": "xin chào"})
        assert "secure" in chat.headers["set-cookie"].lower() and "httponly" in chat.headers["set-cookie"].lower()


def test_unknown_names_lock_too_and_parallel_guesses_get_five_tries(engine, monkeypatch):
    users.create(session_factory(), "canbo", PASSWORD, "admin")
    checks = []

    class Counting:  # the real argon2 hasher, counting the password checks
        def __init__(self, real):
            self.real = real

        def verify(self, hashed, password):
            checks.append(password)
            return self.real.verify(hashed, password)

        def __getattr__(self, name):
            return getattr(self.real, name)

    monkeypatch.setattr(users, "_hasher", Counting(users._hasher))

    def guess(i: int) -> str:
        try:
            users.login(session_factory(), "canbo", f"sai-mat-khau-{i}", 5, 15)
        except users.AccountError as exc:
            return str(exc)
        return "ok"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(guess, range(40)))
    assert len(checks) <= 5 and "ok" not in answers
    with pytest.raises(users.AccountError, match="tạm khóa"):
        users.login(session_factory(), "canbo", PASSWORD, 5, 15)
    checks.clear()
    for i in range(5):  # an unknown name costs one password check and locks the same way
        with pytest.raises(users.AccountError):
            users.login(session_factory(), "khong-co-ai", f"doan-{i}", 5, 15)
    assert len(checks) == 5
    with pytest.raises(users.AccountError, match="tạm khóa"):
        users.login(session_factory(), "khong-co-ai", "doan-6", 5, 15)
    assert len(checks) == 5


# ---------------------------------------------------------------------------- survey integrity

def test_web_chat_identity_is_a_signed_cookie(client):
    first = client.post("/api/chat", json={"user_id": "chosen-by-script", "text": "xin chào"})
    assert first.status_code == 200 and "civic_chat" in first.cookies
    client.post("/api/chat", json={"user_id": "another-name", "text": "xin chào"})
    with session_factory()() as s:
        ids = set(s.scalars(select(Conversation.user_id)))
    assert "chosen-by-script" not in ids and "another-name" not in ids and len(ids) == 1
    client.cookies.clear()
    client.cookies.set("civic_chat", "forged-value")
    client.post("/api/chat", json={"text": "xin chào"})
    with session_factory()() as s:
        assert s.scalar(select(func.count(Conversation.id))) == 2  # a forged cookie is a new visitor


def test_survey_starts_are_limited_per_address(client, app_env):
    from core.config import reset_settings

    app_env.setenv("CIVIC_LIMITS__SURVEY_PER_ADDRESS", "2/hour")
    reset_settings()
    texts = []
    for _ in range(3):
        client.cookies.clear()  # a new identity each time, from one address
        client.post("/api/chat", json={"text": "tôi muốn đánh giá"})
        reply = client.post("/api/chat", json={"payload": '/give_rating{"subject": "agency:trung-tam-phvhcc-xa"}'})
        texts.append("\n".join(m["text"] for m in reply.json()["messages"]))
    with session_factory()() as s:
        assert s.scalar(select(func.count(SurveyResponse.id))) == 2
    assert "quá nhiều phiếu" in texts[2]
