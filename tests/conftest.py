"""Shared fixtures: an isolated data directory per test, SQLite and PostgreSQL databases,
the real embedding model (converted once into .cache/models), a sample knowledge base."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PROCEDURES = SHARED / "data" / "procedures" / "dichvucong-procedures-2026-06.jsonl.gz"
DEV_SET = ROOT / "tests" / "data" / "retrieval_dev.jsonl"
SAMPLE = ROOT / "knowledge" / "sample"
PG_BASE = os.environ.get("CIVIC_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")

os.environ.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Tests talk to the chat API as a trusted integration that names its users (server.chat_tokens);
# browsers get a signed cookie instead (tests/test_abuse.py checks that path).
os.environ.setdefault("CIVIC_SERVER__CHAT_TOKENS", '["test-relay"]')
RELAY = {"Authorization": "Bearer test-relay"}
os.environ.setdefault("CIVIC_LIMITS__CHAT_PER_USER", "600/minute")  # tests type faster than people
os.environ.setdefault("CIVIC_LIMITS__WEBHOOK_PER_USER", "600/minute")

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared is absent (fresh clone): real data tests skipped")


@contextmanager
def temporary_home(home: Path, database_url: str | None = None, **env: str):
    """Point CIVIC_HOME at ``home`` (SQLite there, or ``database_url``) with ``env`` set for the
    duration, restoring the environment after."""
    values = {"CIVIC_HOME": str(home), "DATABASE_URL": database_url, **env}
    saved = {k: os.environ.get(k) for k in values}
    _apply(values)
    _reset()
    try:
        yield home
    finally:
        _apply(saved)
        _reset()


def _apply(values: dict[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _reset() -> None:
    from core.config import reset_settings
    from core.ratelimit import reset_limiter
    from knowledge.service import default_knowledge_base
    from storage.db import dispose_engines

    dispose_engines()
    reset_settings()
    reset_limiter()
    default_knowledge_base.cache_clear()


@pytest.fixture(scope="session")
def pg_server() -> str:
    """Base URL of the local PostgreSQL; skips (with a reason) when no server answers."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(PG_BASE)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("select 1")
    except Exception as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"no PostgreSQL server at {PG_BASE.split('@')[-1]}: {exc.__class__.__name__}")
    finally:
        engine.dispose()
    return PG_BASE


def make_pg_schema(base: str) -> tuple[str, callable]:
    import sqlalchemy

    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{base}?options=-csearch_path%3D{schema}"

    def drop() -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'civic.db'}"
        return
    base = request.getfixturevalue("pg_server")
    url, drop = make_pg_schema(base)
    yield url
    _reset()
    drop()


@pytest.fixture
def civic_home(tmp_path, monkeypatch):
    """An empty data directory with SQLite; settings and engines reset around the test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CIVIC_HOME", str(home))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _reset()
    yield home
    _reset()


@pytest.fixture
def civic_db(civic_home, database_url, monkeypatch):
    """Like civic_home, on each database (SQLite and PostgreSQL)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    _reset()
    yield database_url
    _reset()


@pytest.fixture(scope="session")
def embedder():
    from core.embedder import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory, embedder):
    """A data directory with the bundled sample knowledge base ingested and indexed (SQLite)."""
    home = tmp_path_factory.mktemp("sample-home")
    with temporary_home(home):
        from knowledge.service import KnowledgeBase

        report, build = KnowledgeBase(embedder=embedder).ingest([SAMPLE])
        assert not report.failed, report.failed
    return home


@pytest.fixture
def sample_kb(sample_home, monkeypatch):
    monkeypatch.setenv("CIVIC_HOME", str(sample_home))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _reset()
    from knowledge.service import default_knowledge_base

    yield default_knowledge_base()
    _reset()


@pytest.fixture(scope="session")
def nlu(embedder):
    """The intent model trained on the NLU data (cached in .cache/nlu by data fingerprint)."""
    from nlu.parser import NLU, load_or_train

    model = load_or_train(ROOT / ".cache" / "nlu" / "intent_model.joblib", embedder)
    return NLU(model, embedder)


@pytest.fixture
def engine(civic_db, nlu, embedder):
    """A conversation engine on each database, with the sample knowledge base ingested."""
    from dialogue.engine import Engine
    from knowledge.service import default_knowledge_base

    kb = default_knowledge_base()
    kb._embedder = embedder
    kb.ingest([SAMPLE])
    return Engine(nlu=nlu)


class Chat:
    """A scripted conversation: send text or button payloads, read the replies."""

    def __init__(self, engine, user: str = "citizen-1", channel: str = "web"):
        self.engine, self.user, self.channel = engine, user, channel
        self.replies: list = []

    def say(self, text: str | None = None, payload: str | None = None, attachments: list | None = None):
        reply = self.engine.handle(self.channel, self.user, text=text, payload=payload, attachments=attachments)
        self.replies.append(reply)
        return reply

    @property
    def last(self) -> str:
        return "\n".join(m.text for m in self.replies[-1].messages)

    def buttons(self) -> list:
        return [b for m in self.replies[-1].messages for b in m.buttons]


@pytest.fixture
def chat(engine):
    return lambda user="citizen-1", channel="web": Chat(engine, user, channel)
