"""The first thing every request meets: bounded bodies and clean text, before any endpoint runs.

A pure ASGI middleware. Paths and query strings with control characters, bodies over the limit
(413) and JSON or form bodies with NUL, control characters, lone surrogates, invalid UTF-8 or
non-finite numbers (400) are answered here, so nothing of them reaches the database. Channel
webhooks are only size-checked: their bodies are signed as sent, and the channel cleans the text.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl

from core.inputs import BadInput, check_json, check_text

WEBHOOK_PREFIXES = ("/telegram/", "/zalo-bot/", "/zalo-oa/")
MULTIPART = "multipart/form-data"


class EdgeGuard:
    def __init__(self, app, body_bytes: int, upload_bytes: int):
        self.app = app
        self.body_bytes = body_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        limit = self.upload_bytes if content_type == MULTIPART else self.body_bytes
        try:
            check_text(path)
            for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
                check_text(key)
                check_text(value)
            declared = headers.get("content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                return await _refuse(send, path, 413, _too_big(limit))
        except BadInput as exc:
            return await _refuse(send, path, 400, str(exc))
        if content_type == MULTIPART or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                return await _refuse(send, path, 413, _too_big(limit))
        if not path.startswith(WEBHOOK_PREFIXES):
            try:
                if content_type == "application/json" or content_type.endswith("+json"):
                    check_json(body)
                elif content_type == "application/x-www-form-urlencoded":
                    _check_form(body)
            except BadInput as exc:
                return await _refuse(send, path, 400, str(exc))
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def _check_form(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise BadInput("Nội dung không phải UTF-8 hợp lệ.") from None
    for key, value in pairs:
        check_text(key)
        check_text(value)


def _too_big(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"Yêu cầu quá lớn (tối đa {size})."


async def _refuse(send, path: str, status: int, message: str) -> None:
    if path.startswith("/open311/"):
        body = json.dumps([{"code": status, "description": message}], ensure_ascii=False).encode()
        kind = b"application/json"
    elif path.startswith("/admin"):
        body = f"<!doctype html><meta charset=utf-8><title>Yêu cầu không hợp lệ</title><p>{message}</p>".encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"error": message, "messages": [{"text": message, "buttons": []}]}, ensure_ascii=False).encode()
        kind = b"application/json"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
