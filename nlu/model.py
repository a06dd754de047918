"""Intent classifier: e5 sentence embeddings + character and word n-grams, logistic regression
with calibrated (sigmoid, 3-fold) probabilities.

Every training example is also used without diacritics and in chat style. At prediction the
message is normalised the same way: NFC, chat abbreviations expanded, diacritics restored for
the embedding; n-grams see the folded text.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.embedder import Embedder
from nlu.augment import chat_style, unaccented
from nlu.training_data import Example, TrainingData
from vietnamese.abbreviations import expand
from vietnamese.diacritics import DiacriticRestorer
from vietnamese.text import accent_ratio, fold_key, nfc

log = logging.getLogger(__name__)
COMMON_PHRASES = Path(__file__).resolve().parents[1] / "vietnamese" / "data" / "common_phrases.txt"
MODEL_VERSION = 1


@dataclass
class Prepared:
    dense: str
    sparse: str


def prepare(text: str, restorer: DiacriticRestorer | None) -> Prepared:
    expansion = expand(nfc(text))
    expanded = " ".join([expansion.text, *expansion.additions])
    restored = expanded.lower()
    if restorer is not None and accent_ratio(text) < 0.8:
        restored = restorer.restore(expanded)
    return Prepared(dense=restored or text.lower(), sparse=fold_key(expanded) or fold_key(text))


def _restorer(examples: list[Example]) -> DiacriticRestorer:
    texts = [e.text for e in examples if e.style == "accented"]
    texts += [l for l in COMMON_PHRASES.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")] * 2
    return DiacriticRestorer().fit(texts)


def calibrated_proba(classifier, features) -> np.ndarray:
    """``CalibratedClassifierCV(LogisticRegression, method="sigmoid").predict_proba`` in a few
    array operations: the same numbers, without scikit-learn's input checks on each of the
    folds x classes calibrators (those checks were half of a parse). Any other shape of model
    goes through scikit-learn."""
    folds = getattr(classifier, "calibrated_classifiers_", None)
    if not folds or any(getattr(f, "method", None) != "sigmoid" or len(f.classes) < 3 for f in folds):
        return classifier.predict_proba(features)
    total = np.zeros((features.shape[0], len(classifier.classes_)))
    for fold in folds:
        estimator = fold.estimator
        if not hasattr(estimator, "coef_") or list(estimator.classes_) != list(fold.classes):
            return classifier.predict_proba(features)
        scores = np.asarray(features @ estimator.coef_.T) + estimator.intercept_
        a = np.array([c.a_ for c in fold.calibrators])
        b = np.array([c.b_ for c in fold.calibrators])
        proba = 1.0 / (1.0 + np.exp(scores * a + b))  # sigmoid calibration: expit(-(a f + b))
        denominator = proba.sum(axis=1, keepdims=True)
        proba = np.divide(proba, denominator, out=np.full_like(proba, 1 / proba.shape[1]), where=denominator != 0)
        proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
        total += proba
    return total / len(folds)


@dataclass
class IntentModel:
    labels: list[str]
    restorer: DiacriticRestorer
    char_vectorizer: object
    word_vectorizer: object
    classifier: object
    dense_weight: float = 1.0
    meta: dict = field(default_factory=dict)

    # ---- features ---------------------------------------------------------------
    def _features(self, texts: list[str], embedder: Embedder):
        from scipy.sparse import csr_matrix, hstack

        prepared = [prepare(t, self.restorer) for t in texts]
        dense = embedder.encode_queries([p.dense for p in prepared]) * self.dense_weight
        sparse_texts = [p.sparse for p in prepared]
        return hstack(
            [csr_matrix(dense), self.char_vectorizer.transform(sparse_texts), self.word_vectorizer.transform(sparse_texts)]
        ).tocsr()

    def predict(self, texts: list[str], embedder: Embedder) -> list[list[tuple[str, float]]]:
        if not texts:
            return []
        probabilities = calibrated_proba(self.classifier, self._features(texts, embedder))
        classes = list(self.classifier.classes_)
        ranked = []
        for row in probabilities:
            order = np.argsort(-row)
            ranked.append([(classes[i], float(row[i])) for i in order])
        return ranked

    # ---- training -----------------------------------------------------------------
    @classmethod
    def train(cls, data: TrainingData, embedder: Embedder, examples: list[Example] | None = None, seed: int = 7) -> "IntentModel":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        started = time.perf_counter()
        examples = examples if examples is not None else data.examples
        rng = random.Random(seed)
        texts, labels = [], []
        for example in examples:
            variants = {example.text, unaccented(example.text), chat_style(example.text, rng)}
            for variant in variants:
                texts.append(variant)
                labels.append(example.intent)
        restorer = _restorer(examples)
        model = cls(
            labels=sorted(set(labels)),
            restorer=restorer,
            char_vectorizer=TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1),
            word_vectorizer=TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"),
            classifier=CalibratedClassifierCV(
                LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced"), method="sigmoid", cv=3
            ),
        )
        sparse_texts = [prepare(t, restorer).sparse for t in texts]
        model.char_vectorizer.fit(sparse_texts)
        model.word_vectorizer.fit(sparse_texts)
        features = model._features(texts, embedder)
        model.classifier.fit(features, labels)
        model.meta.update(
            {"examples": len(examples), "training_texts": len(texts), "seconds": round(time.perf_counter() - started, 1),
             "embedder": embedder.name, "version": MODEL_VERSION}
        )
        log.info("Trained intent model on %d texts in %.1fs", len(texts), time.perf_counter() - started)
        return model

    # ---- persistence ----------------------------------------------------------------
    def save(self, path: Path) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        joblib.dump(self, tmp)
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> "IntentModel":
        import joblib

        return joblib.load(path)
