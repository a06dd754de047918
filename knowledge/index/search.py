"""Hybrid search with a learned ranker.

    question -> query forms (query.py: NFC, chat abbreviations, citizen vocabulary, diacritics
                restored for the dense model)
             -> candidates: the best rows of BM25 (folded syllables + bigrams) and of the dense
                index (e5), over the records and over the ways people ask for them
             -> units: a procedure, or one section of a plan, with the evidence of its rows
             -> features (rank/features.py) -> learned ranker (rank/model.py) -> best first
"""
from __future__ import annotations

import json
import logging
import math
import re
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
from knowledge.query import QueryForms, content_words, exact_words, prepare_query
from knowledge.rank.features import FEATURES, Query, Signals, Unit, compute
from knowledge.rank.adapter import QueryAdapter
from knowledge.rank.model import Ranker, fused
from knowledge.vocabulary import Vocabulary, default_vocabulary
from vietnamese.diacritics import DiacriticRestorer
from vietnamese.text import accent_ratio, fold_key, folded_words

log = logging.getLogger(__name__)
_RECALL, _PRECISION = FEATURES.index("title_recall"), FEATURES.index("title_precision")
_LEVEL_WORDS = re.compile(r"\b(tinh|thanh pho|trung uong|bo|cuc|so)\b")


class IndexNotReady(RuntimeError):
    """No index has been built yet (run `civic ingest` or `civic setup`)."""


@dataclass
class Hit:
    meta: ChunkMeta  # the row shown and cited (a procedure's record, a plan section's best window)
    position: int  # that row in the index
    score: float  # ranker score
    fused: float  # unweighted fusion of BM25 and dense (the no-rerank baseline)
    dense: float  # best cosine of the unit's rows (0 when not among dense candidates)
    sparse: float  # best BM25 of the unit's rows (0 when not among sparse candidates)
    dense_rank: int | None
    sparse_rank: int | None
    title_match: float  # share of the question's topic words found in the title/heading
    title_precision: float = 0.0  # share of the title's words found in the question
    features: list[float] = field(default_factory=list)


@dataclass
class SearchResult:
    query: QueryForms
    hits: list[Hit]
    timings: dict[str, float] = field(default_factory=dict)
    build: str = ""


def _bigrams(words: list[str]) -> frozenset[tuple[str, str]]:
    return frozenset(zip(words, words[1:]))


class LoadedIndex:
    def __init__(self, folder: Path, vocabulary: Vocabulary):
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
        self.mentions = _document_mentions(self.metas)
        words = json.loads((folder / "word_df.json").read_text(encoding="utf-8")) if (folder / "word_df.json").exists() else {"documents": 1, "df": {}}
        self.word_idf = {w: math.log(1 + words["documents"] / n) for w, n in words["df"].items()}
        self.unknown_idf = math.log(1 + words["documents"])
        # rows -> units (a procedure, or a plan section)
        self.units: list[Unit] = []
        self.unit_rows: list[list[int]] = []
        self.unit_of: list[int] = []
        by_key: dict[str, int] = {}
        for row, m in enumerate(self.metas):
            key = m.key if m.kind == "procedure" else f"{m.key}#{m.section or ''}"
            if key not in by_key:
                by_key[key] = len(self.units)
                self.units.append(self._unit(key, m, vocabulary))
                self.unit_rows.append([])
            self.unit_of.append(by_key[key])
            self.unit_rows[by_key[key]].append(row)
        for unit, rows in zip(self.units, self.unit_rows):
            unit.rows = len(rows)
        # how rare a word is among the things people can ask about (titles, headings)
        df: dict[str, int] = {}
        for unit in self.units:
            for w in unit.title_words:
                df[w] = df.get(w, 0) + 1
        self.idf = {w: math.log(1 + len(self.units) / n) for w, n in df.items()}

    @staticmethod
    def _unit(key: str, m: ChunkMeta, vocabulary: Vocabulary) -> Unit:
        # What a hit is called: the procedure name, or the plan section's headings.
        title = m.title if m.kind == "procedure" else (m.section_title or m.title)
        words = content_words(title)
        levels = [fold_key(level) for level in (m.levels or [])]
        entries = frozenset(e.id for e in vocabulary.entries_for_title(m.title)) if m.kind == "procedure" else frozenset()
        return Unit(
            key=key,
            kind=m.kind,
            title_words=frozenset(words),
            title_bigrams=_bigrams(words),
            vocab_entries=entries,
            title_exact=exact_words(title) if accent_ratio(title) >= 0.5 else frozenset(),
            commune="cap xa" in levels,
            central_only=bool(levels) and all(level == "cap bo" for level in levels),
            district="cap huyen" in fold_key(title) or "cap huyen" in levels,
            doc_key=m.key,
            appendix=m.kind == "plan" and fold_key(m.section or "").startswith("phu luc"),
            preamble=m.kind == "plan" and not m.section,
        )


class Searcher:
    """Thread-safe; reloads when a newer build is published (checked every few seconds)."""

    def __init__(
        self,
        store: IndexStore,
        embedder: Embedder,
        settings: RetrievalSettings,
        ranker: Ranker | None = None,
        vocabulary: Vocabulary | None = None,
        adapter: QueryAdapter | None | bool = True,
    ):
        """``adapter``: True = the shipped query adapter for this embedding model (if any)."""
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.ranker = ranker if ranker is not None else Ranker.load()
        self.adapter = QueryAdapter.load(embedder.name, embedder.dimension) if adapter is True else (adapter or None)
        self.vocabulary = vocabulary or default_vocabulary()
        self._index: LoadedIndex | None = None
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    # ---- index lifecycle ------------------------------------------------------
    def refresh(self) -> None:
        """Look for a newer build at the next search (this process just published one)."""
        self._checked = 0.0

    def index(self) -> LoadedIndex:
        now = time.monotonic()
        if self._index is not None and self._checked and now - self._checked < self.settings.reload_check_seconds:
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
                    self._index = LoadedIndex(folder, self.vocabulary)
                self._stamp = stamp
        return self._index

    # ---- search ---------------------------------------------------------------
    def search(self, question: str, top_k: int | None = None, mode: str = "hybrid", rerank: bool = True) -> SearchResult:
        """``mode``: hybrid | dense | sparse; ``rerank=False`` ranks by the unweighted fusion (evaluation)."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        idx = self.index()
        s = self.settings
        forms = self.forms(question, idx)
        timings["rewrite"] = time.perf_counter() - t0
        n = min(s.candidates, len(idx.metas))
        dense_ranked: list[tuple[int, float]] = []
        sparse_ranked: list[tuple[int, float]] = []
        if n and mode in ("hybrid", "dense"):
            t = time.perf_counter()
            vector = self.embedder.encode_queries([forms.dense_text])
            if self.adapter is not None and not self.is_small(idx):
                # fitted on the national procedures; a small index (a commune's own plans, the
                # sample) is answered on plain cosines (see small_index_min_dense)
                vector = self.adapter.apply(vector)
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
        hits = self._rank(idx, forms, dense_ranked, sparse_ranked, rerank)
        timings["rank"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        return SearchResult(forms, hits[: top_k or max(s.top_k, 10)], timings, idx.folder.name)

    def forms(self, question: str, idx: LoadedIndex) -> QueryForms:
        """The question as search reads it (abbreviations, vocabulary, diacritics restored)."""
        return prepare_query(question, idx.restorer if self.settings.restore_diacritics else None, self.vocabulary)

    def is_small(self, idx: LoadedIndex) -> bool:
        """A commune's own plans or the sample: outside the regime the learned models were fitted on."""
        return len(idx.units) < self.settings.small_index_units

    def query_of(self, idx: LoadedIndex, forms: QueryForms) -> Query:
        words = content_words(forms.sparse_text)
        return Query(
            words=frozenset(words),
            bigrams=_bigrams(words),
            vocab_entries=forms.vocab_entries,
            asks_level=bool(_LEVEL_WORDS.search(" ".join(folded_words(forms.expanded)))),
            named_documents=frozenset(_mentioned_documents(idx.mentions, forms.sparse_text)),
            exact=exact_words(" ".join([forms.normalized, *forms.additions])) if forms.accent_ratio >= 0.8 else frozenset(),
        )

    def _rank(self, idx: LoadedIndex, forms: QueryForms, dense_ranked, sparse_ranked, rerank: bool = True) -> list[Hit]:
        signals: dict[int, Signals] = {}
        shown: dict[int, tuple[float, int]] = {}  # unit -> (evidence, row) of the row to show
        best_bm25 = sparse_ranked[0][1] if sparse_ranked else 0.0
        best_dense = dense_ranked[0][1] if dense_ranked else 0.0
        for kind, ranked in (("dense", dense_ranked), ("bm25", sparse_ranked)):
            for rank, (row, score) in enumerate(ranked, 1):
                unit = idx.unit_of[row]
                sig = signals.setdefault(unit, Signals())
                role = idx.metas[row].role
                values = sig.dense if kind == "dense" else sig.bm25
                values[role] = max(values.get(role, 0.0), score)
                if kind == "dense":
                    sig.dense_rank = sig.dense_rank or rank
                else:
                    sig.bm25_rank = sig.bm25_rank or rank
                if role == "body":
                    evidence = score / best_bm25 if kind == "bm25" and best_bm25 else score
                    if evidence > shown.get(unit, (-1.0, row))[0]:
                        shown[unit] = (evidence, row)
        units = list(signals)
        query = self.query_of(idx, forms)
        rows = compute(query, [idx.units[u] for u in units], [signals[u] for u in units], best_bm25, best_dense, idx.idf)
        matrix = np.asarray(rows, dtype=np.float64).reshape(-1, len(rows[0]) if rows else 1)
        baseline = fused(matrix) if rows else np.zeros(0)
        scores = self.ranker.score(rows) if rerank else baseline
        hits = []
        for i, unit in enumerate(units):
            row = shown[unit][1] if unit in shown else idx.unit_rows[unit][0]
            sig = signals[unit]
            hits.append(
                Hit(
                    meta=idx.metas[row],
                    position=row,
                    score=float(scores[i]),
                    fused=float(baseline[i]),
                    dense=max(sig.dense.values(), default=0.0),
                    sparse=max(sig.bm25.values(), default=0.0),
                    dense_rank=sig.dense_rank,
                    sparse_rank=sig.bm25_rank,
                    title_match=rows[i][_RECALL],
                    title_precision=rows[i][_PRECISION],
                    features=rows[i],
                )
            )
        hits.sort(key=lambda h: -h.score)
        return hits


def coverage(idx: LoadedIndex, question_words: list[str], text: str) -> tuple[float, float]:
    """How much of the question a record covers: (share of the question's word weight found in
    ``text``, weight of the most telling word it lacks); words weighted by rarity in the index."""
    present = set(folded_words(text))
    weights = {w: idx.word_idf.get(w, idx.unknown_idf) for w in set(question_words)}
    total = sum(weights.values())
    if not total:
        return 1.0, 0.0
    missing = [v for w, v in weights.items() if w not in present]
    return 1.0 - sum(missing) / total, max(missing, default=0.0)


def _document_mentions(metas: list[ChunkMeta]) -> dict[str, set[str]]:
    """Folded phrases that name a plan ("341", "cho moi") -> document keys."""
    mentions: dict[str, set[str]] = {}
    for m in metas:
        if m.kind != "plan":
            continue
        if m.doc_number:
            number = m.doc_number.split("/", 1)[0]
            if number.isdigit():
                mentions.setdefault(number.lstrip("0") or number, set()).add(m.key)
        if m.issuer:
            place = re.sub(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(huyện|xã|tỉnh|thị xã|thành phố|phường|thị trấn|quận)\s+", "", m.issuer, flags=re.IGNORECASE)
            if place and place != m.issuer:
                mentions.setdefault(fold_key(place), set()).add(m.key)
    return mentions


def _mentioned_documents(mentions: dict[str, set[str]], text: str) -> set[str]:
    words = " " + " ".join(w.lstrip("0") or w for w in folded_words(text)) + " "
    found: set[str] = set()
    for phrase, keys in mentions.items():
        if f" {phrase} " in words:
            found |= keys
    return found
