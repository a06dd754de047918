"""The ASGI application served by `civic serve`: channel webhooks, the chat API and page, the
officials' and Open311 APIs, /healthz and /metrics. Each worker process builds its own app; all
state lives in the database."""
from __future__ import annotations

import asyncio
import logging
import os
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from core.config import get_settings
from core.logs import setup_logging

log = logging.getLogger(__name__)
STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")


def create_app(engine=None) -> FastAPI:
    settings = get_settings()
    setup_logging(settings.logging.level, settings.logging.mask_pii, settings.logging.json_format)

    from bot.channels.registry import enabled_channels
    from storage.db import session_factory

    state: dict = {}

    def engine_getter():
        return state["engine"]

    channels: list = []

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from bot import delivery_loop, scheduler
        from dialogue.engine import Engine
        from storage.db import get_engine

        await asyncio.to_thread(get_engine)  # migrations before the first request
        state["engine"] = engine or Engine()
        app.state.engine = state["engine"]
        await asyncio.to_thread(lambda: state["engine"].nlu)  # load the models now, not on the first message
        sessions = session_factory()
        for channel in channels:
            await channel.start(settings.server.public_url)
        senders = {c.name: c for c in channels}
        from knowledge.service import default_knowledge_base

        from bot import index_follower

        jobs = [asyncio.create_task(scheduler.run(sessions, settings)),
                asyncio.create_task(index_follower.run(default_knowledge_base(), sessions, settings.knowledge.follow_seconds))]
        if senders:
            jobs.append(asyncio.create_task(delivery_loop.run(sessions, senders, settings.server.delivery_interval_seconds)))
        log.info("server ready; channels: %s", ", ".join(["web", *senders]))
        try:
            yield
        finally:
            for job in jobs:
                job.cancel()
            await asyncio.gather(*jobs, return_exceptions=True)
            for channel in channels:
                await channel.stop()

    app = FastAPI(title="Trợ lý dịch vụ công", docs_url="/api/docs", openapi_url="/api/openapi.json", lifespan=lifespan)
    channels.extend(enabled_channels(settings, session_factory(), engine_getter))
    app.state.channels = channels
    for channel in channels:
        if getattr(channel, "path", None):  # the Rasa connector only sends
            app.add_api_route(channel.path, channel.webhook, methods=["POST"], include_in_schema=False)

    from bot import api, feedback_api, handoff_api, open311, web
    from bot.admin import HEADERS as ADMIN_HEADERS
    from bot.admin import router as admin_router
    from bot.admin.auth import BadCsrf, Forbidden, LoginRequired, account, secret_key
    from bot.admin.common import render as render_admin
    from bot.metrics import render
    from starlette.middleware.sessions import SessionMiddleware

    app.add_middleware(
        SessionMiddleware, secret_key=secret_key(), session_cookie="civic_admin", path="/admin", same_site="strict",
        max_age=int(settings.admin.session_hours * 3600),
        https_only=settings.admin.secure_cookies or (settings.server.public_url or "").startswith("https://"),
    )
    app.include_router(admin_router())

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        return RedirectResponse(f"/admin/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return render_admin(request, "message.html", account(request), "", "Không thực hiện được", status_code=exc.status, message=exc.message)

    @app.exception_handler(BadCsrf)
    async def _csrf(request: Request, exc: BadCsrf):
        message = "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Tải lại trang rồi thử lại."
        return render_admin(request, "message.html", account(request), "", "Yêu cầu không hợp lệ", status_code=403, message=message)

    app.include_router(api.router)
    app.include_router(feedback_api.router)
    app.include_router(handoff_api.router)
    app.include_router(open311.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            message = "Nội dung gửi lên không phải JSON hợp lệ. Gửi JSON dạng {\"text\": \"...\"}."
        else:
            fields = ", ".join(sorted({".".join(str(p) for p in e["loc"][1:] if isinstance(p, str)) or "body" for e in errors}))
            message = f"Yêu cầu không hợp lệ (trường: {fields}). Gửi JSON dạng {{\"text\": \"...\"}}."
        return JSONResponse({"error": message, "messages": [{"text": message, "buttons": []}]}, status_code=422)

    @app.middleware("http")
    async def _served_by(request: Request, call_next):
        response = await call_next(request)
        response.headers["X-Served-By"] = str(os.getpid())
        if request.url.path.startswith("/admin"):
            response.headers.update(ADMIN_HEADERS)
        return response

    @app.exception_handler(Exception)
    async def _failed(request: Request, exc: Exception) -> JSONResponse:
        # the last resort: a clear message, never a stack trace; logged (masked) for the operators
        log.error("request %s %s failed", request.method, request.url.path, exc_info=exc)
        message = "Xin lỗi, hệ thống vừa gặp sự cố. Thông tin bạn đã gửi vẫn được giữ, bạn vui lòng thử lại sau."
        return JSONResponse({"error": message, "messages": [{"text": message, "buttons": []}]}, status_code=500)

    # outermost: bounded, clean input before anything else runs
    from bot.guard import EdgeGuard

    app.add_middleware(EdgeGuard, body_bytes=settings.limits.body_bytes, upload_bytes=settings.admin.upload_max_mb * 1024 * 1024)

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok", "channels": ["web", *(c.name for c in channels)]}

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        body, content_type = render()
        return Response(body, media_type=content_type)

    return app
