"""The NLU as the dialogue sees it: text (or a button payload) -> intent, confidence, entities."""
from __future__ import annotations

import fcntl
import json
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from core.config import get_settings
from core.embedder import Embedder, get_embedder
from core.localtime import local_today
from nlu import entities as extract
from nlu.commands import menu_intent
from nlu.model import IntentModel
from nlu.training_data import data_fingerprint, load_training_data

log = logging.getLogger(__name__)
_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]{1,64})(?:@\w{1,64})?(?P<json>\{.*\})?$", re.DOTALL)
MAX_ENTITY_CHARS = 500
# A chat command with words after it: "/tracuu PA-2026-000123", Telegram deep links "/start khaosat".
_COMMAND_WITH_ARGS = re.compile(r"^/(?P<command>[A-Za-z_]+)(?:@\w+)?\s+(?P<rest>\S.*)$", re.DOTALL)
# Commands people type or tap in a channel's menu ("/khaosat", Telegram's "/start") -> intents.
COMMANDS = {
    "start": "greet", "help": "bot_capabilities", "trogiup": "bot_capabilities",
    "survey": "give_rating", "khaosat": "give_rating", "danhgia": "give_rating",
    "feedback": "file_feedback", "phananh": "file_feedback",
    "status": "check_feedback_status", "tracuu": "check_feedback_status",
    "deadlines": "ask_deadline", "nhiemvu": "ask_deadline",
    "remind": "subscribe_reminders", "nhacviec": "subscribe_reminders",
    "cancel": "cancel", "huy": "cancel",
}


@dataclass
class ParseResult:
    text: str
    intent: str
    confidence: float
    entities: list[extract.Entity] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)
    from_payload: bool = False
    from_menu: bool = False  # a typed menu label ("gửi phản ánh", "tra cứu"): acts like its button

    def entity(self, name: str) -> str | None:
        return next((e.value for e in self.entities if e.entity == name), None)

    def to_json(self) -> dict:
        return {
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "entities": [e.to_json() for e in self.entities],
        }


class NLU:
    def __init__(self, model: IntentModel, embedder: Embedder):
        data = load_training_data()
        self.model = model
        self.embedder = embedder
        self.procedures = extract.ProcedureMatcher(data.lookups.get("procedure", []), data.synonyms)

    def parse(self, text: str, today: date | None = None) -> ParseResult:
        text = text or ""
        payload = parse_payload(text)
        if payload:
            return payload
        today = today or local_today()
        command = self.parse_command(text, today) or self.parse_menu(text)
        if command:
            return command
        found = extract.extract_all(text, self.procedures, today)
        if not re.search(r"[^\W\d_]", text) and not found:
            return ParseResult(text, "out_of_scope", 0.0, [], [])
        ranking = self.model.predict([text], self.embedder)[0]
        intent, confidence = ranking[0]
        return ParseResult(text, intent, confidence, found, ranking[:5])

    def parse_command(self, text: str, today: date) -> ParseResult | None:
        """'/tracuu PA-2026-000123' → check_feedback_status with the code; '/start khaosat' → give_rating."""
        m = _COMMAND_WITH_ARGS.match(text.strip())
        if not m or m.group("command").lower() not in COMMANDS:
            return None
        command, rest = m.group("command").lower(), m.group("rest").strip()
        if command == "start":  # a deep link names the flow to start
            word = rest.split()[0].lower()
            if word in COMMANDS:
                command, rest = word, " ".join(rest.split()[1:])
        intent = COMMANDS[command]
        entities = extract.extract_all(rest, self.procedures, today) if rest else []
        return ParseResult(text, intent, 1.0, entities, [(intent, 1.0)], from_payload=True)

    @staticmethod
    def parse_menu(text: str) -> ParseResult | None:
        intent = menu_intent(text)
        return ParseResult(text, intent, 1.0, [], [(intent, 1.0)], from_menu=True) if intent else None

    def parse_many(self, texts: list[str], today: date | None = None) -> list[ParseResult]:
        today = today or local_today()
        rankings = self.model.predict(texts, self.embedder) if texts else []
        results = []
        for text, ranking in zip(texts, rankings):
            payload = parse_payload(text) or self.parse_command(text, today) or self.parse_menu(text)
            if payload:
                results.append(payload)
                continue
            results.append(ParseResult(text, ranking[0][0], ranking[0][1], extract.extract_all(text, self.procedures, today), ranking[:5]))
        return results


def parse_payload(text: str) -> ParseResult | None:
    """Button payloads in Rasa's form: '/affirm', '/give_rating{"rating": "5"}'."""
    m = _PAYLOAD.match(text.strip())
    if not m:
        return None
    entities = []
    if m.group("json"):
        try:
            values = json.loads(m.group("json"))
        except (json.JSONDecodeError, RecursionError):
            values = {}
        values = values if isinstance(values, dict) else {}
        entities = [extract.Entity(str(k)[:64], str(v)[:MAX_ENTITY_CHARS], str(v)[:MAX_ENTITY_CHARS], 0, 0) for k, v in list(values.items())[:20]]
    intent = COMMANDS.get(m.group("intent"), m.group("intent"))
    return ParseResult(text, intent, 1.0, entities, [(intent, 1.0)], from_payload=True)


_train_lock = threading.Lock()


def load_or_train(path: Path | None = None, embedder: Embedder | None = None, force: bool = False) -> IntentModel:
    """The trained model for the current training data; trains (once, under a lock) when missing or stale."""
    path = path or get_settings().nlu_model_path
    embedder = embedder or get_embedder()
    fingerprint = data_fingerprint()
    with _train_lock:
        if not force and path.exists():
            model = IntentModel.load(path)
            if model.meta.get("data") == fingerprint and model.meta.get("embedder") == embedder.name:
                return model
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one trainer across processes
            if not force and path.exists():
                model = IntentModel.load(path)
                if model.meta.get("data") == fingerprint and model.meta.get("embedder") == embedder.name:
                    return model
            log.info("Training the intent model (%s)", path)
            model = IntentModel.train(load_training_data(), embedder)
            model.meta["data"] = fingerprint
            model.save(path)
            return model


@lru_cache(maxsize=1)
def default_nlu() -> NLU:
    embedder = get_embedder()
    return NLU(load_or_train(embedder=embedder), embedder)
