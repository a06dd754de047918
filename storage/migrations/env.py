"""Alembic environment: runs on the connection handed over by storage.db.migrate()."""
from __future__ import annotations

from alembic import context

from storage.models import Base, UtcDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(kind: str, item, autogen_context):
    """New migrations spell the UTC timestamp type as the plain column type it is stored as."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from storage.db import make_engine
        from core.config import get_settings

        engine = make_engine(get_settings().database_url)
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("offline migrations are not supported; use `civic db upgrade`")
run_migrations_online()
