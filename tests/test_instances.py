"""More than one machine, and faults that heal (issue 14).

Two `civic serve` instances with separate data directories (CIVIC_HOME) on one PostgreSQL: the
second builds its index from the database at start, follows a plan ingested on the first within
30 s, accepts the web-chat cookie the first issued (one signing key, stored in the database), and
the queued messages both could send go out exactly once. On SQLite: an ingest interrupted after
its database write leaves an index that never cites a missing passage, and the next
`civic ingest` (which finds nothing new) or the next server start finishes it.
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import sessionmaker

from delivery.outbox import queue
from dialogue import store
from storage.models import Conversation

from tests.conftest import RELAY, ROOT, SAMPLE, make_pg_schema
from tests.fakes.server import LocalServer, free_port
from tests.fakes.telegram import FakeTelegram
from tests.test_serve import wait_healthy

TOKEN = "123456:TEST-token"
PLAN = """| ỦY BAN NHÂN DÂN<br>XÃ HÒA AN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc |
|---|---|
| Số: 88/KH-UBND | Hòa An, ngày 05 tháng 03 năm 2026 |

**KẾ HOẠCH**
**Tổ chức phiên chợ nông sản an toàn cuối tuần năm 2026**

Ủy ban nhân dân xã Hòa An ban hành Kế hoạch tổ chức phiên chợ nông sản an toàn như sau:

I. NỘI DUNG

1. Phiên chợ nông sản an toàn họp vào sáng Chủ nhật hằng tuần tại sân vận động trung tâm xã Hòa An, từ 6 giờ đến 10 giờ.

2. Các hộ bán hàng đăng ký với Hội Nông dân xã trước ngày 15 hằng tháng; mỗi hộ được bố trí một gian hàng miễn phí.

II. TỔ CHỨC THỰC HIỆN

1. Hội Nông dân xã chủ trì, phối hợp Công an xã bảo đảm trật tự phiên chợ; hoàn thành trước ngày 30/4/2026.
"""
QUESTION = "theo kế hoạch của xã thì phiên chợ nông sản an toàn họp ở đâu"


def _env(base: dict, home: Path, **extra) -> dict:
    env = {**base, "CIVIC_HOME": str(home), **extra}
    return env


def _start(env: dict, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=60)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()[1]


def _ask(base: str, text: str, user: str) -> str:
    reply = httpx.post(base + "/api/chat", json={"user_id": user, "text": text}, headers=RELAY, timeout=60)
    assert reply.status_code == 200, reply.text
    return "\n".join(m["text"] for m in reply.json()["messages"])


@pytest.fixture
def fake_telegram():
    fake = FakeTelegram(TOKEN)
    with LocalServer(fake.app) as local:
        fake.server = local
        yield fake


def test_two_instances_share_postgresql_and_follow_one_index(pg_server, tmp_path, fake_telegram):
    url, drop = make_pg_schema(pg_server)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_", "CIVIC_SECRET"))}
    base_env.update({
        "DATABASE_URL": url, "PYTHONPATH": str(ROOT), "CIVIC_NLU__MODEL_DIR": str(ROOT / ".cache" / "nlu"),
        "CIVIC_KNOWLEDGE__FOLLOW_SECONDS": "1", "CIVIC_SERVER__DELIVERY_INTERVAL_SECONDS": "0.3",
        "TELEGRAM_BOT_TOKEN": TOKEN, "CIVIC_CHANNELS__TELEGRAM__BASE_URL": fake_telegram.server.url + "/bot",
        "CIVIC_CHANNELS__TELEGRAM__REGISTER_WEBHOOK": "false",
    })
    first_env, second_env = _env(base_env, tmp_path / "a"), _env(base_env, tmp_path / "b")
    procs = []
    try:
        setup = subprocess.run([sys.executable, "-m", "bot.cli", "setup"], cwd=ROOT, env=first_env, capture_output=True, text=True, timeout=600)
        assert setup.returncode == 0, setup.stderr
        ports = free_port(), free_port()
        procs = [_start(first_env, ports[0]), _start(second_env, ports[1])]
        first, second = (f"http://127.0.0.1:{p}" for p in ports)
        for base, proc in zip((first, second), procs):
            wait_healthy(base, proc)

        # the second instance never ingested anything: it built its index from the database
        deadline = time.monotonic() + 60
        while "15/KH-UBND" not in (answer := _ask(second, "kế hoạch cải cách hành chính giao ai chủ trì số hóa hồ sơ", "b-asker")):
            assert time.monotonic() < deadline, answer
            time.sleep(1)

        # one signing key: the cookie the first issued is honoured by the second (one conversation)
        with httpx.Client(timeout=60) as browser:
            assert browser.post(first + "/api/chat", json={"payload": "/file_feedback"}).status_code == 200
            cookie = browser.cookies.get("civic_chat")
            reply = browser.post(second + "/api/chat", json={"text": "Đèn đường thôn 3 hỏng cả tháng nay, buổi tối đi lại rất nguy hiểm"})
            assert cookie and reply.status_code == 200 and browser.cookies.get("civic_chat") == cookie
        engine = create_engine(url)
        with engine.connect() as conn:
            web_users = conn.execute(select(Conversation.user_id).where(Conversation.user_id.like("w-%"))).scalars().all()
        assert len(web_users) == 1

        # a plan ingested through the first instance's data directory is answered by the second
        plan = tmp_path / "ke-hoach-88.md"
        plan.write_text(PLAN, encoding="utf-8")
        assert "sân vận động" not in _ask(second, QUESTION, "b-asker-2")
        ingest = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(plan)], cwd=ROOT, env=first_env,
                                capture_output=True, text=True, timeout=600)
        assert ingest.returncode == 0, ingest.stderr
        started = time.monotonic()
        while "sân vận động" not in (answer := _ask(second, QUESTION, f"b-asker-{time.monotonic_ns()}")):
            assert time.monotonic() - started < 30, answer
            time.sleep(1)
        assert "88/KH-UBND" in answer

        # messages both instances could send go out once
        sessions = sessionmaker(engine)
        store.ensure_conversation(sessions, "telegram", "777", "777")
        assert queue(sessions, "telegram", "777", [{"text": f"Nhắc việc số {i}"} for i in range(30)], kind="reminder") == 30
        deadline = time.monotonic() + 30
        while len(fake_telegram.texts(777)) < 30 and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(1.5)
        texts = fake_telegram.texts(777)
        assert sorted(texts) == sorted(f"Nhắc việc số {i}" for i in range(30)), texts
        engine.dispose()
    finally:
        for proc in procs:
            _stop(proc)
        drop()


def test_an_interrupted_ingest_is_finished_by_the_next_ingest(civic_home, embedder, tmp_path):
    from bot.cli import main
    from knowledge.ingest.pipeline import Ingestor
    from knowledge.service import KnowledgeBase
    from storage.db import session_factory

    plan = tmp_path / "ke-hoach-88.md"
    plan.write_text(PLAN, encoding="utf-8")
    kb = KnowledgeBase(embedder=embedder)
    kb.ingest([SAMPLE, plan])
    assert "sân vận động" in kb.answer(QUESTION).text
    # the plan is edited and ingested, and the process dies after the database write, before the
    # index is built: the live build names passages that no longer exist
    plan.write_text(PLAN.replace("sân vận động trung tâm", "nhà văn hóa thôn Đông"), encoding="utf-8")
    Ingestor(session_factory()).ingest([plan])
    assert not kb.in_step()
    fresh = KnowledgeBase(embedder=embedder)
    answer = fresh.answer(QUESTION)
    assert answer.status.value != "error" and "sân vận động" not in answer.text  # never cites a gone passage
    # the same ingest again: nothing new in the files, yet the index is finished
    assert main(["ingest", str(plan)]) == 0
    again = KnowledgeBase(embedder=embedder)
    assert again.in_step() and "nhà văn hóa thôn Đông" in again.answer(QUESTION).text


def test_the_server_heals_the_index_at_start(engine, tmp_path):
    from fastapi.testclient import TestClient

    from bot.server import create_app
    from knowledge.ingest.pipeline import Ingestor
    from knowledge.service import default_knowledge_base
    from storage.db import session_factory
    from tests.channel_helpers import wait_until

    plan = tmp_path / "ke-hoach-88.md"
    plan.write_text(PLAN, encoding="utf-8")
    Ingestor(session_factory()).ingest([plan])  # written, never indexed (the process was killed)
    kb = default_knowledge_base()
    assert not kb.in_step()
    with TestClient(create_app(engine=engine), headers=RELAY) as client:
        assert wait_until(kb.in_step, timeout=120)
        reply = client.post("/api/chat", json={"user_id": "u", "text": QUESTION}).json()
        assert "sân vận động" in "\n".join(m["text"] for m in reply["messages"])
