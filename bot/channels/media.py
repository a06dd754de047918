"""Photos citizens send with feedback: kept under <home>/media, never fetched from the platform
again (Telegram file links contain the bot token; Zalo links expire)."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import httpx

from core.config import get_settings

log = logging.getLogger(__name__)
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def save_media(channel: str, data: bytes, suffix: str = ".jpg") -> str:
    """Store a photo; returns its path relative to the media folder (content-addressed)."""
    digest = hashlib.sha256(data).hexdigest()[:24]
    suffix = suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix or "") else ".jpg"
    relative = Path(channel) / f"{digest}{suffix}"
    path = get_settings().media_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    return relative.as_posix()


async def fetch_photo(channel: str, url: str) -> dict:
    """Download a photo the platform links to; on failure the link is kept for an official."""
    attachment = {"type": "photo", "source": channel, "url": url}
    try:
        async with httpx.AsyncClient(timeout=20, follow_redirects=True) as client:
            async with client.stream("GET", url) as response:
                response.raise_for_status()
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_PHOTO_BYTES:
                        return attachment | {"error": "too_large"}
                    chunks.append(chunk)
        suffix = PurePosixPath(urlparse(url).path).suffix or ".jpg"
        attachment["path"] = await asyncio.to_thread(save_media, channel, b"".join(chunks), suffix)
    except (httpx.HTTPError, OSError) as exc:
        log.warning("%s photo not downloaded: %s", channel, exc)
    return attachment
