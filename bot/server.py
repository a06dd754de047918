"""The ASGI application served by `civic serve`."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from core.config import get_settings
from core.logs import setup_logging


def create_app(engine=None) -> FastAPI:
    settings = get_settings()
    setup_logging(settings.logging.level, settings.logging.mask_pii, settings.logging.json_format)
    app = FastAPI(title="Trợ lý dịch vụ công", docs_url="/api/docs", openapi_url="/api/openapi.json")

    from bot import api, feedback_api, open311

    app.include_router(api.router)
    app.include_router(feedback_api.router)
    app.include_router(open311.router)

    @app.on_event("startup")
    def _startup() -> None:
        from dialogue.engine import Engine
        from storage.db import get_engine

        get_engine()  # migrations before the first request
        app.state.engine = engine or Engine()
        app.state.engine.nlu  # load the models now, not on the first message

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) or "body" for e in exc.errors())
        message = f"Yêu cầu không hợp lệ ({fields}). Gửi JSON dạng {{\"user_id\": \"...\", \"text\": \"...\"}}."
        return JSONResponse({"error": message, "messages": [{"text": message, "buttons": []}]}, status_code=422)

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok"}

    return app
