"""Hybrid search: dense (FAISS over e5) + sparse (BM25 over folded syllables and bigrams),
fused by reciprocal rank fusion and reranked by how much of the question a title covers.

Vietnamese-specific query handling happens first (query.py): NFC, chat abbreviations and
everyday names expanded, diacritics of unaccented words restored from corpus statistics so
the dense model sees proper Vietnamese.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.config import RetrievalSettings
from core.embedder import Embedder
from knowledge.index.build import ChunkMeta
from knowledge.index.store import COMPLETE_MARKER, IndexStore
from knowledge.index.tokens import sparse_tokens
from knowledge.query import QueryForms, content_words, prepare_query
from vietnamese.diacritics import DiacriticRestorer
from vietnamese.text import folded_words

log = logging.getLogger(__name__)


class IndexNotReady(RuntimeError):
    """No index has been built yet (run `civic ingest` or `civic setup`)."""


@dataclass
class Hit:
    meta: ChunkMeta
    position: int  # row in the index
    score: float  # final ranking score
    fused: float  # fusion score before reranking
    dense: float  # cosine similarity (0 when not among dense candidates)
    sparse: float  # BM25 score (0 when not among sparse candidates)
    dense_rank: int | None
    sparse_rank: int | None
    title_match: float  # share of the question's content words found in the title/heading
    title_precision: float = 0.0  # share of the title's content words found in the question


@dataclass
class SearchResult:
    query: QueryForms
    hits: list[Hit]
    timings: dict[str, float] = field(default_factory=dict)
    build: str = ""


class LoadedIndex:
    def __init__(self, folder: Path):
        import bm25s
        import faiss

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import

        self.folder = folder
        self.manifest = json.loads((folder / COMPLETE_MARKER).read_text())
        self.dense = faiss.read_index(str(folder / "dense.faiss"))
        self.sparse = bm25s.BM25.load(str(folder / "sparse"))
        self.restorer = DiacriticRestorer.load(folder / "restorer.json")
        self.metas = [ChunkMeta(**json.loads(line)) for line in (folder / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
        self.vocab = self.sparse.vocab_dict
        # Content words of what a hit is called: the procedure name, or the plan section's headings.
        self.title_words = [
            set(content_words(m.title if m.kind == "procedure" else (m.section_title or m.title))) for m in self.metas
        ]
        self.mentions = _document_mentions(self.metas)


class Searcher:
    """Thread-safe; reloads when a newer build is published (checked every few seconds)."""

    def __init__(self, store: IndexStore, embedder: Embedder, settings: RetrievalSettings):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._index: LoadedIndex | None = None
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    # ---- index lifecycle ------------------------------------------------------
    def index(self) -> LoadedIndex:
        now = time.monotonic()
        if self._index is not None and now - self._checked < self.settings.reload_check_seconds:
            return self._index
        with self._lock:
            self._checked = now
            stamp = self.store.pointer_stamp()
            if self._index is None or stamp != self._stamp:
                folder = self.store.current_dir()
                if folder is None:
                    if self._index is None:
                        raise IndexNotReady("chưa có chỉ mục tìm kiếm")
                    return self._index
                if self._index is None or folder != self._index.folder:
                    log.info("Loading index build %s", folder.name)
                    self._index = LoadedIndex(folder)
                self._stamp = stamp
        return self._index

    # ---- search ---------------------------------------------------------------
    def search(self, question: str, top_k: int | None = None, mode: str = "hybrid", rerank: bool = True) -> SearchResult:
        """``mode``: hybrid | dense | sparse; ``rerank=False`` gives the bare retrievers (evaluation)."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        idx = self.index()
        s = self.settings
        forms = prepare_query(question, idx.restorer if s.restore_diacritics else None)
        timings["rewrite"] = time.perf_counter() - t0
        n = min(s.candidates, len(idx.metas))
        dense_ranked: list[tuple[int, float]] = []
        sparse_ranked: list[tuple[int, float]] = []
        if n and mode in ("hybrid", "dense"):
            t = time.perf_counter()
            vector = self.embedder.encode_queries([forms.dense_text])
            scores, ids = idx.dense.search(vector, n)
            dense_ranked = [(int(i), float(sc)) for i, sc in zip(ids[0], scores[0]) if i >= 0]
            timings["dense"] = time.perf_counter() - t
        if n and mode in ("hybrid", "sparse"):
            t = time.perf_counter()
            tokens = [tok for tok in sparse_tokens(forms.sparse_text) if tok in idx.vocab]
            if tokens:
                scores = idx.sparse.get_scores(tokens)
                top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
                sparse_ranked = sorted(((int(i), float(scores[i])) for i in top if scores[i] > 0), key=lambda x: -x[1])
            timings["sparse"] = time.perf_counter() - t
        t = time.perf_counter()
        hits = self._fuse(idx, forms, dense_ranked, sparse_ranked, rerank)
        timings["fuse"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        return SearchResult(forms, hits[: top_k or max(s.top_k, 10)], timings, idx.folder.name)

    def _fuse(self, idx: LoadedIndex, forms: QueryForms, dense_ranked, sparse_ranked, rerank: bool = True) -> list[Hit]:
        s = self.settings
        table: dict[int, dict] = {}

        def row(i: int) -> dict:
            return table.setdefault(i, {"fused": 0.0, "dense": 0.0, "sparse": 0.0, "dr": None, "sr": None})

        if s.fusion == "rrf":
            unit = 1.0 / (s.rrf_k + 1)  # what a first place in one retriever is worth
            for rank, (i, score) in enumerate(dense_ranked):
                row(i)["fused"] += s.dense_weight / (s.rrf_k + rank + 1)
            for rank, (i, score) in enumerate(sparse_ranked):
                row(i)["fused"] += s.sparse_weight / (s.rrf_k + rank + 1)
        else:
            unit = 1.0
            for weight, ranked in ((s.dense_weight, dense_ranked), (s.sparse_weight, sparse_ranked)):
                for i, normalised in _min_max(ranked).items():
                    row(i)["fused"] += weight * normalised
        for rank, (i, score) in enumerate(dense_ranked):
            row(i).update(dense=score, dr=rank + 1)
        for rank, (i, score) in enumerate(sparse_ranked):
            row(i).update(sparse=score, sr=rank + 1)

        query_words = set(content_words(forms.sparse_text))
        mentioned = _mentioned_documents(idx.mentions, forms.sparse_text)
        hits = []
        for i, r in table.items():
            title = idx.title_words[i]
            shared = len(query_words & title)
            title_match = shared / len(query_words) if query_words else 0.0
            title_precision = shared / len(title) if title else 0.0
            score = r["fused"]
            if rerank and s.title_rerank:
                score += unit * (s.title_recall_weight * title_match + s.title_precision_weight * title_precision)
            if rerank and idx.metas[i].key in mentioned:
                score += unit * s.mention_weight
            hits.append(
                Hit(idx.metas[i], i, score, r["fused"], r["dense"], r["sparse"], r["dr"], r["sr"], title_match, title_precision)
            )
        hits.sort(key=lambda h: -h.score)
        return hits


def _min_max(ranked: list[tuple[int, float]]) -> dict[int, float]:
    if not ranked:
        return {}
    values = [score for _i, score in ranked]
    low, high = min(values), max(values)
    span = high - low
    return {i: (score - low) / span if span > 0 else 1.0 for i, score in ranked}


def _document_mentions(metas: list[ChunkMeta]) -> dict[str, set[str]]:
    """Folded phrases that name a plan ("341", "cho moi") -> document keys."""
    import re

    from vietnamese.text import fold_key

    mentions: dict[str, set[str]] = {}
    for m in metas:
        if m.kind != "plan":
            continue
        if m.doc_number:
            number = m.doc_number.split("/", 1)[0]
            if number.isdigit():
                mentions.setdefault(number, set()).add(m.key)
        if m.issuer:
            place = re.sub(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(huyện|xã|tỉnh|thị xã|thành phố|phường|thị trấn|quận)\s+", "", m.issuer, flags=re.IGNORECASE)
            if place and place != m.issuer:
                mentions.setdefault(fold_key(place), set()).add(m.key)
    return mentions


def _mentioned_documents(mentions: dict[str, set[str]], text: str) -> set[str]:
    words = " " + " ".join(folded_words(text)) + " "
    found: set[str] = set()
    for phrase, keys in mentions.items():
        if f" {phrase} " in words:
            found |= keys
    return found
