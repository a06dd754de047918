"""Every server keeps its search index in step with the database, whichever instance ingested.

At start the index is healed: a build interrupted after its database write (or rows still
without embeddings) is finished by the one instance holding the "index-writer" lease. Then every
``knowledge.follow_seconds`` the database's index version is compared with the live build's and,
when another instance changed the data, the index is rebuilt here from the stored embeddings
(no model work). Requests keep being answered by the previous build meanwhile.
"""
from __future__ import annotations

import asyncio
import logging

from knowledge.index.build import NotReady
from storage import leases

log = logging.getLogger(__name__)
WRITER_LEASE = "index-writer"


def _heal(kb, sessions) -> None:
    if kb.in_step():
        return
    if leases.acquire(sessions, WRITER_LEASE, 3600):
        try:
            report = kb.sync(write=True)
        finally:
            leases.release(sessions, WRITER_LEASE)
    else:  # another instance is finishing it: follow when it is done
        report = kb.sync(write=False)
    if report is not None:
        log.info("index healed at start: %d passages (%d embedded)", report.chunks, report.embedded)


def _follow(kb) -> None:
    report = kb.sync(write=False)
    if report is not None:
        log.info("index rebuilt from the database: %d passages, %.1fs", report.chunks, report.seconds)


async def run(kb, sessions, seconds: float) -> None:
    step = _heal
    while True:
        try:
            await asyncio.to_thread(step, kb, sessions) if step is _heal else await asyncio.to_thread(step, kb)
            step = _follow
        except NotReady as exc:
            log.info("index not rebuilt yet: %s", exc)
        except Exception:  # the database or disk hiccups: try again at the next check
            log.warning("index check failed", exc_info=True)
        await asyncio.sleep(seconds)
