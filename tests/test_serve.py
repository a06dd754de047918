"""`civic serve` with two worker processes sharing PostgreSQL: one conversation whose turns are
served by both processes, metrics summed over the processes, the URLs printed at start."""
import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import RELAY, ROOT, make_pg_schema
from tests.fakes.server import free_port


@pytest.fixture
def pg_home(pg_server, tmp_path):
    url, drop = make_pg_schema(pg_server)
    env = {
        **os.environ, "DATABASE_URL": url, "CIVIC_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
        "CIVIC_NLU__MODEL_DIR": str(ROOT / ".cache" / "nlu"),
    }
    for key in [k for k in env if k.startswith(("TELEGRAM_", "ZALO_"))]:
        env.pop(key)
    setup = subprocess.run([sys.executable, "-m", "bot.cli", "setup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert setup.returncode == 0, setup.stderr
    yield env
    drop()


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("civic serve did not become healthy")


def test_two_workers_share_one_conversation(pg_home):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--workers", "2", "--port", str(port)],
                            cwd=ROOT, env=pg_home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        time.sleep(3)  # both workers up (each loads the models)
        pids, turns = [], 0

        def say(**body):
            nonlocal turns
            # a new connection each time, so either worker may take it
            response = httpx.post(base + "/api/chat", json={"user_id": "two-workers", **body}, headers={"Connection": "close", **RELAY}, timeout=60)
            assert response.status_code == 200, response.text
            pids.append(response.headers["X-Served-By"])
            turns += 1
            return "\n".join(m["text"] for m in response.json()["messages"])

        say(text="xin chào")
        say(payload="/file_feedback")
        say(text="Hồ sơ cấp đổi căn cước của tôi nộp tại xã đã quá hẹn một tuần, cán bộ chưa trả lời lý do")
        say(payload="/deny")
        say(text="Nông Văn Bình")
        say(text="Thôn Tà Lài, xã Mẫu Sơn")
        assert "kiểm tra lại thông tin" in say(text="0915 222 333")
        done = say(payload="/affirm")
        code = re.search(r"PA-\d{4}-[0-9A-Z]{6}", done).group(0)
        for _ in range(30):  # more turns of the same conversation until both processes have served it
            if len(set(pids)) >= 2:
                break
            assert code in say(text=f"tra cứu {code}")
        assert len(set(pids)) == 2, f"all {turns} turns went to one process"

        metrics = httpx.get(base + "/metrics", timeout=10).text
        counted = sum(float(v) for v in re.findall(r'^civic_messages_total\{channel="web"\} ([\d.]+)$', metrics, re.M))
        assert counted == turns
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, stderr = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
    assert f"Trò chuyện trên web: {base}/" in stderr
