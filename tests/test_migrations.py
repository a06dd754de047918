"""The Alembic migrations build exactly the schema the models describe, on both databases, and
step down and up again cleanly."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import MIGRATIONS_DIR, get_engine, migrate
from storage.models import Base


def _differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [d for d in compare_metadata(context, Base.metadata) if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]


def test_migrations_match_the_models(civic_db):
    engine = get_engine()
    migrate(engine)
    assert _differences(engine) == []


def test_latest_migration_steps_down_and_up(civic_db):
    engine = get_engine()
    migrate(engine)
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0005")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("select version_num from alembic_version").scalar() == "0005"
    migrate(engine)
    assert _differences(engine) == []
