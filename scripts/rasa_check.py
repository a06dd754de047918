"""`make rasa-check`: the assistant's language data, domain and actions on Rasa Open Source 3.6.

1. a Python 3.10 venv with rasa==3.6.21, built once under .cache/rasa-venv;
2. `civic rasa export` into a temporary directory, `rasa data validate` (errors fail the check);
3. `rasa train` with small epochs (the model is cached in .cache/rasa-models by the export's hash);
4. a temporary CIVIC_HOME (SQLite, sample knowledge base via `civic setup`, one officer account), the action server
   from this project's .venv (`python -m rasa_sdk --actions actions`), `rasa run --enable-api`;
5. scripted conversations through Rasa's REST channel, asserting on the replies and the database;
6. the action server's log: no tracebacks; which actions of the domain ran through Rasa.

Conversations: a procedure question with its source; b1/b2 the feedback form cancelled (typed, then
the Hủy button) after a correction in the summary, nothing filed; c a full feedback with its tracking
code, then rating its handling; d status by that code; e/e2 the survey with typed answers and an
interruption, then paused; f/f2 a handoff, and the next message reaching the official; g reminders;
h a complaint declined; i low confidence (nlu_fallback); j a message pushed later (EXTERNAL_outbox);
k1/k2 the menu buttons alone.

PASS/FAIL per conversation (transcript on failure); exit status 1 on any failure.
Options: --keep (leave the temporary directory), --only a,c (conversation names), --transcripts,
--diet-epochs, --ted-epochs.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RASA_VERSION = "3.6.21"
RASA_VENV = ROOT / ".cache" / "rasa-venv"
RASA_STAMP = RASA_VENV / f".rasa-{RASA_VERSION}"
PYTHON310 = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python3.10"
MODEL_CACHE = ROOT / ".cache" / "rasa-models"
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
CODE = re.compile(r"PA-\d{4}-[0-9A-Z]{6}")


# ---------------------------------------------------------------------------- environment


def log(message: str) -> None:
    print(message, flush=True)


def ensure_rasa() -> Path:
    """The `rasa` executable of the cached 3.10 venv (created and installed on first use)."""
    rasa = RASA_VENV / "bin" / "rasa"
    if rasa.exists() and RASA_STAMP.exists():
        return rasa
    if not PYTHON310.exists():
        raise SystemExit(f"Python 3.10 not found at {PYTHON310} (Rasa 3.6 needs Python 3.8-3.10)")
    log(f"Installing rasa=={RASA_VERSION} into {RASA_VENV} (once; about 2 minutes, 2.7 GB)")
    if not (RASA_VENV / "bin" / "python").exists():
        subprocess.run([str(PYTHON310), "-m", "venv", str(RASA_VENV)], check=True)
    pip = [str(RASA_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["--upgrade", "pip"], check=True)
    subprocess.run(pip + [f"rasa=={RASA_VERSION}"], check=True)
    RASA_STAMP.write_text(RASA_VERSION)
    return rasa


def rasa_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVIC_", "VIRTUAL_ENV"))}
    env.update({"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1"})
    return env


def civic_env(home: Path) -> dict[str, str]:
    """The project's environment for a throw-away data directory (SQLite under ``home``)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({
        "CIVIC_HOME": str(home),
        "CIVIC_MODEL_CACHE": os.environ.get("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models")),
        "CIVIC_NLU__MODEL_DIR": str(ROOT / ".cache" / "nlu"),  # the engine's intent model, trained once
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
        "CIVIC_LIMITS__CHAT_PER_USER": "600/minute",
    })
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: dict | None = None, timeout: float = 120) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read().decode("utf-8")
    return json.loads(text) if text.strip().startswith(("{", "[")) else text


def wait_for(url: str, process: subprocess.Popen, seconds: float, ready: Callable[[object], bool] = lambda _r: True) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {process.returncode}")
        try:
            if ready(http("GET", url, timeout=5)):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} not ready after {seconds:.0f}s")


def run(cmd: list[str], cwd: Path, env: dict, log_file: Path, timeout: float) -> int:
    with open(log_file, "w") as out:
        return subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode


# ---------------------------------------------------------------------------- build


def export_and_train(rasa: Path, work: Path, diet: int, ted: int, action_port: int) -> tuple[Path, dict]:
    from dialogue import rasa_export

    project = work / "project"
    options = rasa_export.ExportOptions(epochs=diet, ted_epochs=ted, action_url=f"http://127.0.0.1:{action_port}/webhook")
    result = rasa_export.export(project, options)
    domain = rasa_export.rasa_domain()
    log(f"exported {project} ({result.stats.exported} NLU examples, training hash {result.training_digest})")
    started = time.time()
    code = run([str(rasa), "data", "validate"], project, rasa_env(), work / "validate.log", 600)
    warnings = [l for l in (work / "validate.log").read_text().splitlines() if "UserWarning" in l]
    log(f"rasa data validate: exit {code}, {len(warnings)} warnings ({time.time() - started:.0f}s)")
    if code != 0:
        print((work / "validate.log").read_text()[-4000:])
        raise SystemExit("FAIL rasa data validate")
    cached = MODEL_CACHE / f"check-{result.training_digest}.tar.gz"
    if cached.exists():
        log(f"rasa train: reusing {cached.relative_to(ROOT)}")
        return cached, domain
    started = time.time()
    code = run([str(rasa), "train", "--out", "models", "--fixed-model-name", "check"], project, rasa_env(), work / "train.log", 1800)
    if code != 0:
        print((work / "train.log").read_text()[-4000:])
        raise SystemExit("FAIL rasa train")
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "models" / "check.tar.gz", cached)
    log(f"rasa train: {time.time() - started:.0f}s (DIET {diet} epochs, TED {ted}) -> {cached.relative_to(ROOT)}")
    return cached, domain


# ---------------------------------------------------------------------------- the database


class Database:
    """Counts in the throw-away database the action server writes to."""

    def __init__(self, home: Path):
        from sqlalchemy import create_engine

        self.engine = create_engine(f"sqlite:///{home / 'civic.db'}")

    def scalar(self, sql: str, **params) -> object:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def feedback_count(self) -> int:
        return int(self.scalar("select count(*) from feedback"))

    def feedback(self, code: str, column: str = "code") -> object:
        return self.scalar(f"select {column} from feedback where code = :code", code=code)

    def handoffs(self) -> int:
        return int(self.scalar("select count(*) from handoff_requests"))

    def subscriptions(self, agency: str) -> int:
        return int(self.scalar("select count(*) from reminder_subscriptions where agency_name = :a and active", a=agency))

    def completed_surveys(self) -> int:
        return int(self.scalar("select count(*) from survey_responses where status = 'completed'"))

    def last_survey_scores(self) -> list:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            rid = conn.execute(text("select max(id) from survey_responses")).scalar()
            return [r[0] for r in conn.execute(text("select score from survey_answers where response_id = :r order by id"), {"r": rid})]


# ---------------------------------------------------------------------------- conversations


@dataclass
class Step:
    say: str
    expect: str | Callable[[dict], str] | None = None  # a regex on the replies (text and buttons)


@dataclass
class Conversation:
    name: str
    title: str
    steps: list[Step] | Callable[["Chat", dict], None]
    check: Callable[[Database, dict, dict], str | None] | None = None  # -> an error, or None
    before: Callable[[Database], dict] = lambda db: {}


class Failure(Exception):
    pass


@dataclass
class Chat:
    url: str
    sender: str
    transcript: list[str] = field(default_factory=list)

    def say(self, message: str, expect: str | None = None) -> str:
        started = time.perf_counter()
        replies = http("POST", f"{self.url}/webhooks/rest/webhook", {"sender": self.sender, "message": message}, timeout=300)
        ms = (time.perf_counter() - started) * 1000
        self.transcript.append(f"  > {message}")
        shown = []
        for reply in replies or []:
            buttons = " | ".join(f"[{b.get('title')} -> {b.get('payload')}]" for b in reply.get("buttons") or [])
            shown.append(((reply.get("text") or "") + (" " + buttons if buttons else "")).strip())
        for line in shown or ["(no reply)"]:
            self.transcript.append("  < " + line.replace("\n", "\n    "))
        self.transcript.append(f"    ({ms:.0f} ms)")
        text = "\n".join(shown)
        if expect and not re.search(expect, text, re.IGNORECASE | re.DOTALL):
            raise Failure(f"after {message!r} expected /{expect}/")
        return text


CONTENT = ("Cống thoát nước trước cổng chợ Mẫu Sơn bị tắc từ tuần trước, mỗi khi mưa nước tràn "
           "ngập cả đoạn đường, người dân đi lại rất khó khăn.")


def feedback_until_summary(chat: Chat, phone: str = "0912345678") -> None:
    chat.say("gửi phản ánh", r"sự việc")
    chat.say(CONTENT, r"thủ tục hoặc cơ quan nào")
    chat.say("/deny", r"họ và tên")  # the "Không rõ" button
    chat.say("Nguyễn Văn An", r"Địa chỉ")
    chat.say("thôn Đông, xã Mẫu Sơn, tỉnh Lạng Sơn", r"Số điện thoại")
    chat.say(phone, r"kiểm tra lại thông tin.*" + phone[-6:])


def conversation_cancel(chat: Chat, ctx: dict) -> None:
    chat.say("gửi phản ánh", r"sự việc")
    chat.say(CONTENT, r"thủ tục hoặc cơ quan nào")
    chat.say("thôi không gửi nữa", r"Đã hủy|chưa được gửi")
    # a new feedback starts empty (the engine clears a cancelled form's slots)
    chat.say("gửi phản ánh", r"sự việc")
    chat.say("/cancel", r"Đã hủy|chưa được gửi")


def conversation_correction(chat: Chat, ctx: dict) -> None:
    feedback_until_summary(chat)
    chat.say("/deny", r"sửa thông tin nào")  # "Sửa lại"
    chat.say('/deny{"fix": "reporter_phone"}', r"Số điện thoại")  # which field: the phone
    chat.say("0987654321", r"kiểm tra lại thông tin.*987654321")
    chat.say("Sửa lại", r"sửa thông tin nào")  # typed instead of tapped
    chat.say('/deny{"fix": "feedback_category"}', r"thuộc loại nào")
    chat.say('/affirm{"category": "procedure"}', r"kiểm tra lại thông tin.*Loại: (?!Khác)")
    chat.say("/cancel", r"Đã hủy|chưa được gửi")  # the "Hủy" button


def conversation_file(chat: Chat, ctx: dict) -> None:
    feedback_until_summary(chat, "0911222333")
    text = chat.say("/affirm", r"Mã theo dõi: PA-\d{4}-[0-9A-Z]{6}")
    ctx["code"] = CODE.search(text).group(0)
    ctx["filer"] = chat.sender
    chat.say(f"đánh giá việc xử lý phản ánh {ctx['code']}", r"hài lòng với kết quả xử lý")  # the code typed
    chat.say("4", r"Cảm ơn bạn đã đánh giá")
    chat.say(f'/give_rating{{"feedback": "{ctx["code"]}"}}', r"hài lòng với kết quả xử lý")  # the button
    chat.say("5", r"Cảm ơn bạn đã đánh giá")


def conversation_status(chat: Chat, ctx: dict) -> None:
    if "code" not in ctx:
        raise Failure("no tracking code: the full feedback conversation failed")
    chat.say(f"tra cứu phản ánh {ctx['code']}", re.escape(ctx["code"]) + r".*Đơn vị xử lý")


def conversation_survey(chat: Chat, ctx: dict) -> None:
    chat.say("tôi muốn đánh giá dịch vụ", r"đánh giá về cơ quan hoặc thủ tục")
    chat.say('/give_rating{"subject": "agency:ubnd-xa"}', r"Câu 1/")
    chat.say("ko hài lòng", r"Câu 2/")
    chat.say("lệ phí đăng ký kết hôn là bao nhiêu?", r"Nguồn.*Câu 2/")  # an interruption, then the form again
    chat.say("5", r"Câu 3/")
    # an answer that is not one of the scale's choices is shown back and stored once agreed
    chat.say("hài lòng nhưng chờ hơi lâu", r"mức 4 – Hài lòng\. Đúng không")
    text = chat.say("đúng rồi", r"Câu 4/|Thông tin thêm|hoàn thành")
    for _ in range(30):
        if re.search(r"hoàn thành phiếu", text):
            return
        text = chat.say("/deny" if "Thông tin thêm" in text else "4")
    raise Failure("the survey did not finish in 30 answers")


def conversation_survey_cancel(chat: Chat, ctx: dict) -> None:
    chat.say("khảo sát", r"đánh giá về cơ quan hoặc thủ tục")
    chat.say("hủy", r"tạm dừng khảo sát")


def conversation_handoff(chat: Chat, ctx: dict) -> None:
    chat.say("gặp cán bộ", r"chuyển cuộc trò chuyện|ngoài giờ làm việc")


FOLLOW_UP = "hồ sơ đất của tôi nộp ngày 3/11 đến giờ vẫn chưa có kết quả"


def conversation_handoff_follow_up(chat: Chat, ctx: dict) -> None:
    chat.say("tôi muốn nói chuyện với cán bộ", r"chuyển cuộc trò chuyện|ngoài giờ làm việc")
    chat.say(FOLLOW_UP)  # the engine passes this to the official and stays silent
    chat.say("kết thúc")


def conversation_reminders(chat: Chat, ctx: dict) -> None:
    chat.say("nhắc hạn cho Phòng Nội vụ", r"Đã đăng ký nhắc việc cho Phòng Nội vụ")
    ctx["subscribed"] = True
    chat.say("Phòng Nội vụ có việc gì đến hạn trong quý này", r"\S")
    chat.say("hủy nhắc việc", r"Đã hủy nhắc việc")


def conversation_cancel_each_form(chat: Chat, ctx: dict) -> None:
    """Hủy inside the status, reminder and rating forms: each form's own cancel action runs."""
    chat.say("/check_feedback_status", r"mã phản ánh")
    chat.say("/cancel", r"Đã hủy")
    chat.say("/subscribe_reminders", r"nhắc việc cho đơn vị nào")
    chat.say("/cancel", r"Đã hủy")
    if "code" in ctx:  # rating the handling of one's own feedback, then changing one's mind
        chat.sender = ctx["filer"]
        chat.say(f'/give_rating{{"feedback": "{ctx["code"]}"}}', r"mức nào")
        chat.say("/cancel", r"Đã hủy")


def conversation_complaint(chat: Chat, ctx: dict) -> None:
    chat.say("gửi phản ánh", r"sự việc")
    chat.say("Tôi khiếu nại quyết định xử phạt hành chính của Ủy ban xã ngày 3/11 vì không đúng quy định, "
             "đề nghị xem xét lại", r"khiếu nại.*vẫn muốn gửi")
    chat.say("/deny", r"Đã dừng")


def last_turn(chat: Chat) -> tuple[str, list[str]]:
    """The intent Rasa read in the latest user message and the actions it ran after it."""
    events = http("GET", f"{chat.url}/conversations/{chat.sender}/tracker")["events"]
    last = max(i for i, e in enumerate(events) if e.get("event") == "user")
    intent = ((events[last].get("parse_data") or {}).get("intent") or {}).get("name") or "?"
    return intent, [e["name"] for e in events[last + 1:] if e.get("event") == "action" and e["name"] != "action_listen"]


# Messages the engine's classifier reads below its threshold (0.19-0.44); DIET may be surer.
UNSURE = ["qwzx bnmv kjhg", "cái đó thế nào", "vụ kia sao rồi", "cho hỏi cái này với"]


def conversation_fallback(chat: Chat, ctx: dict) -> None:
    """Below the threshold (nlu_fallback) the knowledge base is tried, and when it finds nothing
    the engine asks what the person wants (utter_clarify) instead of showing a refusal."""
    chat.say("xin chào", r"trợ lý dịch vụ công")
    for text in UNSURE:
        chat.say("/cancel")  # DIET may have opened a form with the previous message: start clean
        said = chat.say(text)
        intent, actions = last_turn(chat)
        chat.transcript.append(f"    (Rasa read {intent}, then ran {actions})")
        if intent != "nlu_fallback":
            continue
        if "action_answer_question" not in actions:
            raise Failure(f"nlu_fallback ran {actions}, expected action_answer_question")
        if not re.search(r"chưa hiểu rõ ý bạn", said):
            raise Failure(f"{text!r} (nlu_fallback) ran action_answer_question, which showed a refusal instead of "
                          "asking what is meant (utter_clarify) as the engine does")
        return
    # DIET was sure of every one (a known trait of DIET on vague text): check the route itself with
    # Rasa's own intent payload, as a message below the threshold would take it
    chat.transcript.append("    (DIET was confident on every message the engine is unsure of; forcing /nlu_fallback)")
    print("note  DIET was confident on every vague message the engine is unsure of; the fallback route is checked with /nlu_fallback")
    chat.say("/cancel")
    said = chat.say("/nlu_fallback")
    intent, actions = last_turn(chat)
    if intent != "nlu_fallback" or "action_answer_question" not in actions or not re.search(r"chưa hiểu rõ ý bạn", said):
        raise Failure(f"/nlu_fallback: Rasa read {intent}, ran {actions}; expected action_answer_question asking what is meant")


def conversation_question_prompt(chat: Chat, ctx: dict) -> None:
    chat.say("/ask_question", r"Bạn muốn hỏi về thủ tục hay kế hoạch nào")  # the "Hỏi thủ tục" button alone


def conversation_deadline_prompt(chat: Chat, ctx: dict) -> None:
    chat.say("/ask_deadline", r"nhiệm vụ của đơn vị nào")  # "Nhiệm vụ, hạn (cán bộ)"


PUSHED = "Cán bộ xã đã trả lời phản ánh của bạn: đèn đường tổ 3 sẽ được thay trong tuần."


def push(chat: Chat, text: str) -> str:
    """What `civic serve` does for a queued message on channel "rasa": bot.channels.rasa's sender
    triggers EXTERNAL_outbox over Rasa's HTTP API; returns what the bot said after it (tracker)."""
    import asyncio

    from bot.channels.rasa import RasaChannel
    from core.config import RasaChannelSettings

    before = len(http("GET", f"{chat.url}/conversations/{chat.sender}/tracker")["events"])
    channel = RasaChannel(RasaChannelSettings(url=chat.url, timeout_seconds=120))

    async def send() -> None:
        try:
            await channel.send(chat.sender, text, [{"title": "Tra cứu phản ánh", "payload": "/check_feedback_status"}])
        finally:
            await channel.stop()

    asyncio.run(send())
    events = http("GET", f"{chat.url}/conversations/{chat.sender}/tracker")["events"][before:]
    said = [e.get("text") or "" for e in events if e.get("event") == "bot"]
    chat.transcript.append("  (pushed) " + text)
    chat.transcript += ["  < " + line.replace("\n", "\n    ") for line in said]
    return "\n".join(said)


def conversation_push(chat: Chat, ctx: dict) -> None:
    chat.say("xin chào", r"trợ lý dịch vụ công")
    if PUSHED not in push(chat, PUSHED):
        raise Failure("the pushed message was not said")
    chat.say("gửi phản ánh", r"sự việc")
    said = push(chat, PUSHED)
    if PUSHED not in said or not re.search(r"sự việc", said):
        raise Failure("during the feedback form: the pushed message was not said, or the form did not ask again")
    chat.say(CONTENT, r"thủ tục hoặc cơ quan nào")  # the form goes on where it was
    chat.say("hủy", r"Đã hủy|chưa được gửi")


def _unchanged(db: Database, before: dict, ctx: dict) -> str | None:
    return None if db.feedback_count() == before["feedback"] else "a feedback was filed although it was cancelled"


def _filed(db: Database, before: dict, ctx: dict) -> str | None:
    if not ctx.get("code") or db.feedback(ctx["code"]) is None:
        return "the tracking code is not in the database"
    if db.feedback(ctx["code"], "satisfaction") != 5:
        return "the rating of the feedback's handling was not stored"
    return None


def _survey_done(db: Database, before: dict, ctx: dict) -> str | None:
    if db.completed_surveys() != before["surveys"] + 1:
        return "no completed survey response in the database"
    scores = db.last_survey_scores()
    return None if scores[:2] == [2, 5] else f"typed answers stored as {scores[:2]}, expected [2, 5]"


def _handoff_opened(db: Database, before: dict, ctx: dict) -> str | None:
    return None if db.handoffs() == before["handoffs"] + 1 else "no handoff thread for the official in the database"


def _follow_up_reached_the_official(db: Database, before: dict, ctx: dict) -> str | None:
    if db.handoffs() != before["handoffs"] + 1:
        return "no handoff thread for the official in the database"
    said = db.scalar("select count(*) from handoff_messages where sender = 'citizen' and text = :t", t=FOLLOW_UP)
    if not said:
        return "the message after the handoff did not reach the official's thread (the bot answered it instead)"
    return None


def _reminders(db: Database, before: dict, ctx: dict) -> str | None:
    if db.subscriptions("Phòng Nội vụ") != before["subscriptions"]:
        return "the subscription is still active after “hủy nhắc việc”"
    if not ctx.get("subscribed"):
        return "no subscription"
    return None


def _counts(db: Database) -> dict:
    return {"feedback": db.feedback_count(), "handoffs": db.handoffs(), "surveys": db.completed_surveys(),
            "subscriptions": db.subscriptions("Phòng Nội vụ")}


CONVERSATIONS = [
    Conversation("a", "procedure question answered with its source", lambda c, x: c.say("làm giấy khai sinh cần giấy tờ gì", r"Nguồn")),
    Conversation("b1", "feedback form cancelled midway: nothing filed; the next one starts empty", conversation_cancel, _unchanged, _counts),
    Conversation("b2", "correction in the summary, then the Hủy button: nothing filed", conversation_correction, _unchanged, _counts),
    Conversation("c", "full feedback gets a tracking code; its handling rated", conversation_file, _filed, _counts),
    Conversation("d", "status by that code", conversation_status),
    Conversation("e", "survey with typed answers and an interruption", conversation_survey, _survey_done, _counts),
    Conversation("e2", "survey paused by cancel", conversation_survey_cancel),
    Conversation("f", "handoff to an official", conversation_handoff, _handoff_opened, _counts),
    Conversation("f2", "after the handoff, the next message goes to the official", conversation_handoff_follow_up,
                 _follow_up_reached_the_official, _counts),
    Conversation("g", "reminder subscription, deadline question, unsubscription", conversation_reminders, _reminders, _counts),
    Conversation("h", "complaint declined: the form ends, nothing filed", conversation_complaint, _unchanged, _counts),
    Conversation("l", "Hủy inside the status, reminder and rating forms", conversation_cancel_each_form),
    Conversation("i", "low confidence: nlu_fallback → the knowledge base, which asks what is meant", conversation_fallback),
    Conversation("k1", "the “Hỏi thủ tục” button alone asks for the question", conversation_question_prompt),
    Conversation("k2", "the “Nhiệm vụ, hạn” button alone asks for the unit and time", conversation_deadline_prompt),
    Conversation("j", "a message pushed later (EXTERNAL_outbox), also in the middle of a form", conversation_push),
]


def play(url: str, db: Database, run_id: str, only: set[str] | None, action_log: Path,
         transcripts: bool = False) -> list[tuple[Conversation, Chat, str | None]]:
    """Each conversation with its own sender; a traceback in the action server's log while it
    runs fails it too."""
    results = []
    ctx: dict = {}
    for conv in CONVERSATIONS:
        if only and conv.name not in only:
            continue
        chat = Chat(url, f"rasa-check-{run_id}-{conv.name}")
        before = conv.before(db)
        log_offset = action_log.stat().st_size
        error = None
        try:
            conv.steps(chat, ctx)
            if conv.check:
                error = conv.check(db, before, ctx)
        except Failure as exc:
            error = str(exc)
        except Exception as exc:  # a server error is a failure of this conversation, not of the check
            error = f"{exc.__class__.__name__}: {exc}"
        time.sleep(0.3)
        with open(action_log, errors="replace") as f:
            f.seek(log_offset)
            raised = exception_lines(f.read())
        if raised and error is None:
            error = "action server traceback: " + "; ".join(dict.fromkeys(raised))
        results.append((conv, chat, error))
        log(f"{'PASS' if error is None else 'FAIL'}  ({conv.name}) {conv.title}" + (f": {error}" if error else ""))
        if error or transcripts:
            log("\n".join(chat.transcript))
    return results


# ---------------------------------------------------------------------------- logs


def executed_actions(url: str, senders: list[str], rasa_log: str) -> set[str]:
    """Actions Rasa ran: tracker events, and every call to the action server (validate_<form> and
    action_ask_<slot> run inside the form action, so they appear only in Rasa's debug log)."""
    names = set(re.findall(r"Calling action endpoint to run action '(\w+)'", rasa_log))
    for sender in senders:
        try:
            tracker = http("GET", f"{url}/conversations/{sender}/tracker")
        except urllib.error.URLError:
            continue
        names |= {e["name"] for e in tracker.get("events", []) if e.get("event") == "action" and e.get("name")}
    return names


def exception_lines(text: str) -> list[str]:
    """Each traceback as "the project's frames → the exception"."""
    out = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last)"):
            continue
        j, frames = i + 1, []
        while j < len(lines) and (lines[j].startswith((" ", "\t")) or not lines[j].strip()):
            m = re.match(r'\s+File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<fn>\S+)', lines[j])
            if m and m.group("path").startswith(str(ROOT)) and "/.venv/" not in m.group("path"):
                frames.append(f"{Path(m.group('path')).relative_to(ROOT)}:{m.group('line')} {m.group('fn')}")
            j += 1
        exception = lines[j].strip() if j < len(lines) else "?"
        out.append(" → ".join(frames + [exception]))
    return out


# ---------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diet-epochs", type=int, default=40)
    parser.add_argument("--ted-epochs", type=int, default=25)
    parser.add_argument("--only", help="comma-separated conversation names (a,b1,b2,c,d,e,e2,f,f2,g,h,i,j,k1,k2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, project, database)")
    parser.add_argument("--transcripts", action="store_true", help="print every transcript, not only failed ones")
    args = parser.parse_args()
    started = time.time()
    rasa = ensure_rasa()
    work = Path(tempfile.mkdtemp(prefix="rasa-check-"))
    home = work / "home"
    home.mkdir()
    action_port, rasa_port = free_port(), free_port()
    processes: list[subprocess.Popen] = []
    failures = 0
    try:
        model, domain = export_and_train(rasa, work, args.diet_epochs, args.ted_epochs, action_port)
        env = civic_env(home)
        code = run([str(ROOT / ".venv" / "bin" / "civic"), "setup"], ROOT, env, work / "setup.log", 900)
        if code != 0:
            print((work / "setup.log").read_text()[-3000:])
            raise SystemExit("FAIL civic setup")
        log(f"civic setup: SQLite and the sample knowledge base in {home}")
        # an installation with an official on duty: without one, "gặp cán bộ" promises no reply
        official = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "civic"), "users", "add", "vanphong", "--role", "officer",
             "--agency", "Văn phòng HĐND và UBND xã", "--password-stdin"],
            cwd=ROOT, env=env, input="rasa-check-official-1\n", text=True, capture_output=True, timeout=300)
        if official.returncode != 0:
            print(official.stdout[-2000:], official.stderr[-2000:])
            raise SystemExit("FAIL civic users add")
        action_log = open(work / "actions.log", "w")
        processes.append(subprocess.Popen(
            [str(PROJECT_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "-p", str(action_port)],
            cwd=ROOT, env=env, stdout=action_log, stderr=subprocess.STDOUT))
        wait_for(f"http://127.0.0.1:{action_port}/health", processes[-1], 120)
        rasa_log = open(work / "rasa.log", "w")
        processes.append(subprocess.Popen(
            [str(rasa), "run", "--enable-api", "-p", str(rasa_port), "-i", "127.0.0.1", "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml", "-m", str(model), "--debug"],
            cwd=work / "project", env=rasa_env(), stdout=rasa_log, stderr=subprocess.STDOUT))
        url = f"http://127.0.0.1:{rasa_port}"
        wait_for(f"{url}/status", processes[-1], 300, lambda r: isinstance(r, dict) and bool(r.get("model_file")))
        log(f"servers: actions :{action_port} (project .venv), rasa :{rasa_port} ({time.time() - started:.0f}s so far)")
        db = Database(home)
        only = set(args.only.split(",")) if args.only else None
        results = play(url, db, str(int(time.time())), only, work / "actions.log", args.transcripts)
        failures = sum(1 for _c, _chat, error in results if error)

        time.sleep(1)
        action_text = (work / "actions.log").read_text(errors="replace")
        problems = exception_lines(action_text)
        if problems:
            failures += 1
            log(f"FAIL  action server log: {len(problems)} traceback(s)")
            for line in dict.fromkeys(problems):
                log(f"      {line}")
        else:
            log("PASS  action server log: no tracebacks")
        if re.search(r"not compatible|might not be compatible", action_text):
            log("note  rasa-sdk warned about the Rasa version (3.6 server, rasa-sdk from .venv); the actions ran anyway")
        rasa_text = (work / "rasa.log").read_text(errors="replace")
        ran = executed_actions(url, [chat.sender for _c, chat, _e in results], rasa_text)
        custom = sorted(domain["actions"])
        missing = [a for a in custom if a not in ran]
        log(f"actions run through Rasa: {len([a for a in custom if a in ran])}/{len(custom)} of the domain's actions")
        log("      ran: " + ", ".join(a for a in custom if a in ran))
        if missing:
            log("      not run: " + ", ".join(missing))
        rasa_errors = [l for l in rasa_text.splitlines() if " ERROR " in l or "Traceback" in l]
        if rasa_errors:
            log(f"note  rasa log: {len(rasa_errors)} error line(s), first: {rasa_errors[0][:300]}")
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if args.keep or failures:
            log(f"logs, project and database kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log(f"{'FAIL' if failures else 'PASS'}: {failures} failure(s) in {time.time() - started:.0f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
