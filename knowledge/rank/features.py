"""Features of one search candidate (a procedure, or a section of a plan) for one question.

The learned ranker (model.py) turns them into a score; nothing here is weighted by hand.
Retrieval signals come per role of the indexed rows (the record itself, and the ways people
ask for it); title signals compare the question with what the candidate is called; variant
signals compare the candidate with the other candidates ("đăng ký khai sinh" vs "đăng ký
khai sinh lưu động": the words a variant adds, and whether the question says them).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from vietnamese.text import fold

FEATURES = (
    "bm25_body",  # BM25 of the record / passage, divided by the best BM25 of this question
    "bm25_asked",  # BM25 of the ways people ask for it, divided likewise
    "bm25_log",  # log(1 + best raw BM25 of the candidate)
    "dense_body",  # cosine of the record
    "dense_asked",  # cosine of the ways people ask
    "dense_gap",  # best cosine of the question minus the candidate's best
    "rank_bm25",  # log2(1 + best BM25 rank of its rows)
    "rank_dense",  # log2(1 + best dense rank of its rows)
    "title_recall",  # share of the question's topic words found in the title
    "title_precision",  # share of the title's words found in the question
    "title_bigrams",  # share of the question's topic bigrams found in the title
    "title_recall_idf",  # title_recall with words weighted by rarity (IDF over all titles)
    "title_precision_idf",  # title_precision, likewise
    "title_words",  # log(1 + words in the title)
    "vocab_hit",  # an everyday phrase of the question names this procedure
    "vocab_any",  # the question holds an everyday phrase at all
    "is_general",  # another candidate is a variant of this one (its title adds words)
    "is_variant",  # this title adds words to another candidate's title
    "extras_asked",  # share of the words this variant adds that the question says
    "extras",  # log(1 + words this variant adds)
    "commune_level",  # done at commune level (where most citizens go)
    "central_only",  # done only by a ministry
    "district_level",  # a district (huyện) variant: districts no longer exist since 1 July 2025
    "asks_level",  # the question names a level (tỉnh, bộ, trung ương)
    "is_plan",
    "plan_named",  # the question names this plan (its number or place)
    "query_words",  # log(1 + topic words of the question)
    "plan_appendix",  # a section of a plan's appendix (phụ lục: tables, forms, criteria)
    "plan_preamble",  # a plan's text before its first numbered section
    "unit_rows",  # log(1 + indexed rows of the candidate): long sections have more chances to match
)
MISSING_RANK = 8.0


@dataclass
class Query:
    words: frozenset[str]  # folded topic words, everyday phrases' official wording included
    bigrams: frozenset[tuple[str, str]]
    vocab_entries: frozenset[int]  # ids of the vocabulary entries the question used
    asks_level: bool
    named_documents: frozenset[str]  # keys of plans the question names
    exact: frozenset[str] = frozenset()  # topic words with diacritics, when the question was typed with them


@dataclass
class Unit:
    """What the ranker ranks: a procedure, or one section of a plan."""

    key: str
    kind: str
    title_words: frozenset[str]
    title_bigrams: frozenset[tuple[str, str]]
    vocab_entries: frozenset[int]
    title_exact: frozenset[str] = frozenset()  # title words with diacritics: "Cấp lại" is a variant of "Cấp"
    commune: bool = False
    central_only: bool = False
    district: bool = False
    doc_key: str = ""
    appendix: bool = False
    preamble: bool = False
    rows: int = 1


@dataclass
class Signals:
    """Retrieval evidence gathered for one unit from its rows."""

    bm25: dict[str, float] = field(default_factory=dict)  # role -> best BM25
    dense: dict[str, float] = field(default_factory=dict)  # role -> best cosine
    bm25_rank: int | None = None
    dense_rank: int | None = None


def _says(word: str, unit: Unit, query: Query) -> bool:
    """Does the question say a word a variant's title adds? With diacritics, as written; without,
    the folded word next to the same neighbour as in the title ("cap lai", not "bang lai")."""
    if query.exact:
        return word in query.exact
    plain = fold(word)
    if plain not in query.words:
        return False
    pairs = [pair for pair in unit.title_bigrams if plain in pair]
    return not pairs or bool(query.bigrams & frozenset(pairs))


def _variant_relations(titles: list[frozenset[str]]) -> tuple[list[bool], list[list[int]]]:
    """For each title: is another title a strict superset of it (a variant of it), and which
    titles are strict subsets of it (its general forms). Supersets are found through the
    postings of the title's rarest word, not by comparing every pair."""
    postings: dict[str, list[int]] = {}
    for i, title in enumerate(titles):
        for word in title:
            postings.setdefault(word, []).append(i)
    wider = [False] * len(titles)
    bases_of: list[list[int]] = [[] for _ in titles]
    for i, title in enumerate(titles):
        if not title:
            continue
        rarest = min(title, key=lambda w: len(postings[w]))
        for j in postings[rarest]:
            if j != i and title < titles[j]:
                wider[i] = True
                bases_of[j].append(i)
    return wider, bases_of


def _mass(words, idf: dict[str, float]) -> float:
    return sum(idf.get(w, 1.0) for w in words)


def compute(
    query: Query, units: list[Unit], signals: list[Signals], best_bm25: float, best_dense: float, idf: dict[str, float]
) -> list[list[float]]:
    rows = []
    query_mass = _mass(query.words, idf)
    titles = [u.title_exact or u.title_words for u in units]
    wider, bases_of = _variant_relations(titles)
    for i, (unit, sig) in enumerate(zip(units, signals)):
        shared = len(query.words & unit.title_words)
        own = titles[i]
        general = wider[i]
        bases = [titles[j] for j in bases_of[i]]
        extras = own - frozenset().union(*bases) if bases else frozenset()
        dense_body = sig.dense.get("body", 0.0)
        dense_asked = sig.dense.get("asked", 0.0)
        bm25_best = max(sig.bm25.values(), default=0.0)
        rows.append(
            [
                sig.bm25.get("body", 0.0) / best_bm25 if best_bm25 > 0 else 0.0,
                sig.bm25.get("asked", 0.0) / best_bm25 if best_bm25 > 0 else 0.0,
                math.log1p(bm25_best),
                dense_body,
                dense_asked,
                best_dense - max(dense_body, dense_asked) if (dense_body or dense_asked) else 1.0,
                math.log2(1 + sig.bm25_rank) if sig.bm25_rank else MISSING_RANK,
                math.log2(1 + sig.dense_rank) if sig.dense_rank else MISSING_RANK,
                shared / len(query.words) if query.words else 0.0,
                shared / len(unit.title_words) if unit.title_words else 0.0,
                len(query.bigrams & unit.title_bigrams) / len(query.bigrams) if query.bigrams else 0.0,
                _mass(query.words & unit.title_words, idf) / query_mass if query_mass else 0.0,
                _mass(query.words & unit.title_words, idf) / _mass(unit.title_words, idf) if unit.title_words else 0.0,
                math.log1p(len(unit.title_words)),
                1.0 if query.vocab_entries & unit.vocab_entries else 0.0,
                1.0 if query.vocab_entries else 0.0,
                1.0 if general else 0.0,
                1.0 if bases else 0.0,
                sum(_says(word, unit, query) for word in extras) / len(extras) if extras else 0.0,
                math.log1p(len(extras)),
                1.0 if unit.commune else 0.0,
                1.0 if unit.central_only else 0.0,
                1.0 if unit.district else 0.0,
                1.0 if query.asks_level else 0.0,
                1.0 if unit.kind == "plan" else 0.0,
                1.0 if unit.doc_key in query.named_documents else 0.0,
                math.log1p(len(query.words)),
                1.0 if unit.appendix else 0.0,
                1.0 if unit.preamble else 0.0,
                math.log1p(unit.rows),
            ]
        )
    return rows
