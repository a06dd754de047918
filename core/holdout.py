"""Which half of a frozen evaluation set an item belongs to: ``tune`` (development, training)
or ``test`` (reported numbers only). Decided by the hash of the item's id, so the split never
depends on the order of a file or on anyone's choice."""
from __future__ import annotations

import hashlib

HALVES = ("tune", "test")


def half(item_id: str) -> str:
    return HALVES[int(hashlib.sha256(str(item_id).encode("utf-8")).hexdigest(), 16) % 2]


def select(items: list[dict], which: str | None, key: str = "id") -> list[dict]:
    """Items of one half (``which`` = tune | test), or all of them (``which`` = None / "all")."""
    if which in (None, "all"):
        return list(items)
    if which not in HALVES:
        raise ValueError(f"half must be one of {HALVES} or 'all', not {which!r}")
    return [item for item in items if half(item[key]) == which]
