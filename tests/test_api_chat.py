"""POST /api/chat and the rasa-sdk action server: the same engine and actions over HTTP."""
import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.server import create_app
from tests.conftest import RELAY, ROOT


@pytest.fixture
def client(engine):
    with TestClient(create_app(engine=engine), headers=RELAY) as c:
        yield c


def send(client, user, **body):
    response = client.post("/api/chat", json={"user_id": user, **body})
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def test_a_feedback_conversation_over_http(client):
    user = "web-visitor-1"
    messages = send(client, user, text="xin chào")
    assert messages[0]["buttons"] and {"title", "payload"} <= set(messages[0]["buttons"][0])
    send(client, user, payload="/file_feedback")
    send(client, user, text="Bộ phận một cửa xã giữ hồ sơ đăng ký kết hôn của tôi hai tuần mà không trả lời")
    send(client, user, payload="/deny")
    messages = send(client, user, text="dang ky ket hon can giay to gi?")  # interruption
    assert any("Tờ khai đăng ký kết hôn" in m["text"] for m in messages) and "họ và tên" in messages[-1]["text"]
    send(client, user, text="Lê Văn Cường")
    send(client, user, text="Tổ 4, phường Mẫu Sơn")
    send(client, user, text="0912345679")
    messages = send(client, user, payload="/affirm")
    assert "Mã theo dõi: PA-" in messages[0]["text"]


def test_follow_ups_and_procedure_buttons_over_http(client):
    user = "web-visitor-2"
    messages = send(client, user, text="lam giay khai sinh can giay to gi")
    assert "Đăng ký khai sinh (mã 9.000101)" in messages[0]["text"]
    messages = send(client, user, text="con le phi thi sao")
    assert "Đăng ký khai sinh (mã 9.000101)" in messages[0]["text"] and "Phí, lệ phí" in messages[0]["text"]
    messages = send(client, user, text="giá vàng hôm nay bao nhiêu")  # out of scope: a clear refusal, no answer
    assert "(mã" not in messages[0]["text"]
    messages = send(client, user, payload='/ask_question{"procedure":"9.000104","aspect":"fee"}')
    assert "Đăng ký tạm trú (mã 9.000104)" in messages[0]["text"] and "7.000 đồng" in messages[0]["text"]
    assert all(len(b["title"]) <= 60 for m in messages for b in m["buttons"])


def test_bad_requests_get_a_clear_vietnamese_error(client):
    for body, status in ((({"user_id": "u"}), 400), ({"text": ""}, 400), ({"user_id": "u", "text": "x" * 4001}, 413), ({"text": 5}, 422)):
        response = client.post("/api/chat", json=body)
        assert response.status_code == status
        assert response.json()["messages"][0]["text"]
    response = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and "không phải JSON" in response.json()["error"]
    assert client.get("/healthz").json() == {"status": "ok", "channels": ["web"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_same_actions_served_to_rasa_by_the_action_server(sample_home, tmp_path):
    port = free_port()
    env = {**os.environ, "CIVIC_HOME": str(sample_home), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        names = {a["name"] for a in httpx.get(f"{base}/actions").json()}
        assert {"action_answer_question", "validate_feedback_form", "action_submit_feedback", "action_human_handoff"} <= names
        tracker = {
            "sender_id": "rasa-user", "slots": {}, "events": [], "paused": False, "followup_action": None,
            "active_loop": {}, "latest_action_name": "action_listen",
            "latest_message": {"text": "lệ phí đăng ký tạm trú", "intent": {"name": "ask_question", "confidence": 0.9}, "entities": []},
        }
        domain = json.loads(json.dumps(__import__("dialogue.domain", fromlist=["load_domain"]).load_domain(), default=str))
        response = httpx.post(f"{base}/webhook", json={"next_action": "action_answer_question", "sender_id": "rasa-user",
                                                        "tracker": tracker, "domain": domain, "version": "3.6.21"}, timeout=60)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "7.000 đồng" in body["responses"][0]["text"]
        assert {"event": "slot", "name": "answer_status", "value": "answered", "timestamp": None} in body["events"]
        # a form validation as Rasa's form loop calls it
        tracker["events"] = [{"event": "user", "text": "0912"}, {"event": "slot", "name": "reporter_phone", "value": "0912"}]
        tracker["active_loop"] = {"name": "feedback_form"}
        tracker["latest_message"]["metadata"] = {"channel": "rest"}
        body = httpx.post(f"{base}/webhook", json={"next_action": "validate_feedback_form", "sender_id": "rasa-user",
                                                    "tracker": tracker, "domain": domain, "version": "3.6.21"}, timeout=60).json()
        assert any(e.get("name") == "reporter_phone" and e.get("value") is None for e in body["events"])
        assert "Số điện thoại chưa hợp lệ" in body["responses"][0]["text"]
    finally:
        server.terminate()
        server.wait(10)


def test_terminal_chat_numbers_the_buttons(sample_home, nlu):
    env = {**os.environ, "CIVIC_HOME": str(sample_home), "CIVIC_NLU__MODEL_DIR": str(ROOT / ".cache" / "nlu")}
    env.pop("DATABASE_URL", None)
    script = "2\nhủy\nđăng ký tạm trú hết bao nhiêu tiền\nthoát\n"
    done = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--user", "t1"], input=script, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2. Gửi phản ánh" in done.stdout and "việc gì đã xảy ra, ở đâu" in done.stdout and "Đã hủy" in done.stdout
    assert "15.000 đồng" in done.stdout
