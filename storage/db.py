"""Database engine, sessions and migrations (SQLite by default, PostgreSQL via DATABASE_URL)."""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings, get_settings

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_lock = threading.Lock()
_engines: dict[str, Engine] = {}


def make_engine(url: str, echo: bool = False, pool_size: int = 5) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, hide_parameters=True, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # hide_parameters: an error never prints what citizens typed (names, addresses, phones)
    return create_engine(url, echo=echo, pool_size=pool_size, pool_pre_ping=True, future=True, hide_parameters=True)


def get_engine(settings: Settings | None = None) -> Engine:
    """The process-wide engine for the configured database, migrated to the latest schema."""
    settings = settings or get_settings()
    url = settings.database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url, settings.database.echo, settings.database.pool_size)
            if settings.database.migrate_on_start:
                migrate(engine)
            _engines[url] = engine
    return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic (safe to call from several processes)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Serialise concurrent migrations from several server processes.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(726354)")
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction: commit on success, roll back on error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
