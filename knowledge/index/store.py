"""Index builds on disk, published atomically.

Each build is a folder ``<index>/builds/<id>/``; the file ``<index>/CURRENT`` names the live
one and is replaced with os.replace (atomic on POSIX). Readers keep serving the build they
loaded until CURRENT names a newer complete one, so queries during a rebuild are answered by
the old index. One builder at a time (file lock); old builds are removed after publishing.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

COMPLETE_MARKER = "manifest.json"


class IndexStore:
    def __init__(self, root: Path, keep_builds: int = 2):
        self.root = root
        self.builds = root / "builds"
        self.pointer = root / "CURRENT"
        self.keep_builds = max(keep_builds, 1)

    def current_id(self) -> str | None:
        try:
            value = self.pointer.read_text().strip()
        except FileNotFoundError:
            return None
        return value or None

    def current_dir(self) -> Path | None:
        build_id = self.current_id()
        if build_id is None:
            return None
        folder = self.builds / build_id
        return folder if (folder / COMPLETE_MARKER).exists() else None

    def pointer_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.pointer.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_ino

    def new_build_dir(self) -> Path:
        now = time.time_ns()  # names sort in creation order, even within one second
        build_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f".{now % 10**9:09d}-{uuid.uuid4().hex[:6]}"
        folder = self.builds / build_id
        folder.mkdir(parents=True)
        return folder

    def publish(self, folder: Path) -> None:
        if not (folder / COMPLETE_MARKER).exists():
            raise RuntimeError(f"build {folder} is incomplete")
        tmp = self.root / f".CURRENT.{os.getpid()}"
        tmp.write_text(folder.name)
        os.replace(tmp, self.pointer)
        self._collect_garbage(keep=folder.name)

    def _collect_garbage(self, keep: str) -> None:
        builds = sorted((p for p in self.builds.iterdir() if p.is_dir()), key=lambda p: p.name)
        complete = [p for p in builds if (p / COMPLETE_MARKER).exists()]
        survivors = {p.name for p in complete[-self.keep_builds :]} | {keep}
        for p in builds:
            # incomplete folders of crashed builds older than an hour go too
            stale = not (p / COMPLETE_MARKER).exists() and time.time() - p.stat().st_mtime > 3600
            if (p.name not in survivors and (p / COMPLETE_MARKER).exists()) or stale:
                shutil.rmtree(p, ignore_errors=True)

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".build.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
