"""What a feedback is about (conduct, procedure, regulation, other), with a confidence.

A logistic regression over word and character n-grams of the folded text, fitted on the
examples in data/category_examples.yml and the tune half of the frozen feedback texts
(tests/data/eval/nlu/feedback_texts.jsonl) when present. Fitted once per process (well
under a second); the citizen confirms the category in the summary and officials can change it.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from core.holdout import select
from vietnamese.abbreviations import expand
from vietnamese.text import fold_key

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).resolve().parent / "data" / "category_examples.yml"
FROZEN = ROOT / "tests" / "data" / "eval" / "nlu" / "feedback_texts.jsonl"
_lock = threading.Lock()


@dataclass(frozen=True)
class Category:
    name: str
    confidence: float


def _prepare(text: str) -> str:
    return fold_key(expand(text).text)


def training_examples() -> list[tuple[str, str]]:
    data = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8")) or {}
    rows = [(str(t), c) for c in ("procedure", "conduct", "regulation", "other") for t in data.get(c) or []]
    if FROZEN.exists():  # the tune half only: the test half stays for reporting
        items = [json.loads(l) for l in FROZEN.read_text(encoding="utf-8").splitlines() if l.strip()]
        rows += [(i["text"], i["category"]) for i in select(items, "tune")]
    return rows


class CategoryModel:
    def __init__(self, rows: list[tuple[str, str]]):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        self.pipeline = make_pipeline(features, LogisticRegression(C=5.0, max_iter=2000, class_weight="balanced"))
        self.pipeline.fit([_prepare(t) for t, _c in rows], [c for _t, c in rows])

    def classify(self, text: str) -> Category:
        probabilities = self.pipeline.predict_proba([_prepare(text)])[0]
        classes = list(self.pipeline.classes_)
        best = int(probabilities.argmax())
        return Category(classes[best], float(probabilities[best]))


@lru_cache(maxsize=1)
def default_model() -> CategoryModel:
    with _lock:
        return CategoryModel(training_examples())


def classify(text: str) -> Category:
    return default_model().classify(text)
