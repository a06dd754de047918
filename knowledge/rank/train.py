"""`civic eval train-ranker`: fit the query adapter, the ranker and the answer-confidence model from data.

Training questions (never a set that has not been reported yet):
  - the citizen questions of tests/data/eval/procedures, heldout4 and heldout5 (written
    independently of the code) and the plan content questions of tests/data/eval/plans,
    plans-heldout* and heldout4/plans: each joined once its numbers were reported; the sixth
    held-out set (tests/data/eval/HELDOUT6.sha256) is the untouched measure;
  - tests/data/train/near_domain.jsonl: 400 questions written to teach where the data ends
    (near-domain questions no record answers, beside answerable ones of the same areas), and
    tests/data/train/law_questions.jsonl: 300 law and policy questions no record answers, beside
    rights questions a record's field does;
  - the project's development set (tests/data/retrieval_dev.jsonl);
  - generated questions (knowledge/asked.py): a procedure's names in templates and styles,
    weighted lower than questions people wrote.

First the query adapter (adapter.py) is fitted on the written and generated questions, once on all
of them and once per fold of the written ones; each written question is then searched with the
adapter fitted without it. For every question the search's candidates are labelled (1 = a gold source, 0 = not) and a
LightGBM LambdaRank model is fitted over features.FEATURES; grouped 5-fold cross-validation on
the written questions reports hit@1 before the final fit. The confidence model is then fitted
on the ranked results (1 = the top source is right; 0 = wrong or the question is out of scope).
"""
from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from knowledge.answer.sources import matches_gold, rank_sources
from knowledge.evaluate import load_dev
from knowledge.rank.adapter import QueryAdapter
from knowledge.rank.adapter import fit as adapter_fit
from knowledge.rank.features import FEATURES
from knowledge.rank.model import Ranker

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "data" / "eval"
PARAMS = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "ndcg_eval_at": [1, 3],
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
    "seed": 7,
    "deterministic": True,
    "force_row_wise": True,
}
ROUNDS = 300
ADAPTER_GENERATED_WEIGHT = 1.0  # generated questions keep the adapter from forgetting procedures no one has asked about yet (ADR 26)
GENERATED_WEIGHT = 0.03  # chosen by grouped CV on the tune half: higher weights lowered hit@1 on written questions


@dataclass
class Group:
    question: str
    source: str  # written | generated
    rows: list[list[float]]
    labels: list[int]
    weight: float


def plan_questions(folder: Path = EVAL / "plans") -> list[dict]:
    """Plan content questions as retrieval items: gold = the plan's number and the section."""
    items = []
    for questions in sorted(folder.glob("questions_*.jsonl")):
        gold_file = folder / (questions.stem.removeprefix("questions_") + ".yml")
        number = (yaml.safe_load(gold_file.read_text(encoding="utf-8")).get("header") or {}).get("number")
        for line in questions.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item.get("type") == "content" and number:
                items.append({"id": item["id"], "question": item["question"], "style": item["style"],
                              "gold": [{"doc": number, "section": item["gold_section"]}]})
    return items


# Sets already reported (both halves may train); a held-out set trains only after its first
# scoring is in a closing note (the sixth, tests/data/eval/HELDOUT6.sha256, never has here).
REPORTED = ("plans", "plans-heldout", "plans-heldout2", "plans-heldout3", "heldout4/plans")
# the procedure question sets that train the models: the reported ones whole, the later ones by their
# tune halves only (their test halves are what the closing notes report). Every model (query adapter,
# ranker, aspects, domain, confidence, evidence) was last fitted on all of them, set 20's tune half
# included, on 2026-12-03 (ADR 26).
REPORTED_PROCEDURES = ("procedures", "heldout4/procedures", "heldout5/procedures", "heldout6/procedures", "heldout7/procedures",
                       "heldout8/procedures", "heldout10/procedures", "heldout11/procedures", "heldout14/procedures:tune",
                       "heldout17/procedures:tune", "heldout18/procedures:tune", "heldout19/procedures:tune", "heldout20/procedures:tune",
                       "heldout21/procedures:tune")
# written to teach where the data ends: near-domain questions no record answers, beside answerable
# ones; law and policy questions no record answers, beside rights questions a record's field does
TRAINING = (ROOT / "tests" / "data" / "train" / "near_domain.jsonl", ROOT / "tests" / "data" / "train" / "law_questions.jsonl")


def reported_questions() -> list[dict]:
    """The questions of REPORTED_PROCEDURES ("folder" whole, "folder:tune" by one half)."""
    from core.holdout import select

    items = []
    for entry in REPORTED_PROCEDURES:
        folder, _, which = entry.partition(":")
        path = EVAL / folder / "questions.jsonl"
        if path.exists():
            items += select(load_dev(path), which or "all")
    return items


def written_questions() -> list[dict]:
    items = reported_questions()
    for folder in REPORTED:
        if (EVAL / folder).is_dir():
            items += plan_questions(EVAL / folder)
    items += load_dev(ROOT / "tests" / "data" / "retrieval_dev.jsonl")
    for path in TRAINING:
        if path.exists():
            items += load_dev(path)
    return items


def generated_questions(searcher, per_procedure: int, seed: int = 11) -> list[dict]:
    from knowledge.asked import generate_questions

    rng = random.Random(seed)
    idx = searcher.index()
    procedures = sorted({(m.code, m.title) for m in idx.metas if m.kind == "procedure" and m.code})
    items = []
    for code, title in procedures:
        for question, style, _aspect in generate_questions(title, rng, per_procedure):
            items.append({"id": f"gen-{code}", "question": question, "style": style, "gold": [{"code": code}]})
    return items


def _group(searcher, item: dict, source: str, weight: float) -> Group:
    result = searcher.search(item["question"], top_k=10_000, rerank=False)
    rows, labels = [], []
    for hit in result.hits:
        source_json = rank_sources([hit], 1)[0].to_json()
        rows.append(hit.features)
        labels.append(int(any(matches_gold(source_json, g) for g in item["gold"])))
    return Group(item["question"], source, rows, labels, weight)


def _gold_rows(idx, gold: list[dict], by_code: dict[str, list[int]]) -> list[int]:
    """The index rows of a question's gold records (a procedure's record and asked rows, a plan section's rows)."""
    rows = [row for g in gold if "code" in g for row in by_code.get(g["code"], [])]
    plans = [g for g in gold if "code" not in g]
    for unit_rows in idx.unit_rows if plans else ():
        m = idx.metas[unit_rows[0]]
        if m.kind == "plan" and any(matches_gold({"doc_number": m.doc_number, "id": m.key, "section": m.section}, g) for g in plans):
            rows.extend(unit_rows)
    return rows


def _question_vectors(searcher, questions: list[str]) -> np.ndarray:
    idx = searcher.index()
    texts = [searcher.forms(q, idx).dense_text for q in questions]
    return np.concatenate([searcher.embedder.encode_queries(texts[i:i + 64]) for i in range(0, len(texts), 64)])


def fit_adapters(searcher, written: list[dict], generated: list[dict], folds: int = 5) -> tuple[QueryAdapter, list[QueryAdapter]]:
    """The query adapter (adapter.py) on every written and generated question, and for each written
    question one fitted without its fold: the ranker and the confidence model must learn from dense
    scores as an unseen question gets them, not from questions the adapter was fitted on."""
    idx = searcher.index()
    rows = idx.dense.reconstruct_n(0, idx.dense.ntotal)
    items = written + generated
    vectors = _question_vectors(searcher, [item["question"] for item in items])
    by_code: dict[str, list[int]] = {}
    for row, m in enumerate(idx.metas):
        if m.code:
            by_code.setdefault(m.code, []).append(row)
    positives = [_gold_rows(idx, item["gold"], by_code) for item in items]
    weights = [1.0] * len(written) + [ADAPTER_GENERATED_WEIGHT] * len(generated)
    model = searcher.embedder.name
    fold_of = [n % folds for n in random.Random(5).sample(range(len(written)), len(written))]
    per_item: list[QueryAdapter | None] = [None] * len(written)
    for k in range(folds):
        keep = [i for i in range(len(items)) if i >= len(written) or fold_of[i] != k]
        adapter = adapter_fit(vectors[keep], [positives[i] for i in keep], [weights[i] for i in keep], rows, model)
        for i in range(len(written)):
            if fold_of[i] == k:
                per_item[i] = adapter
    final = adapter_fit(vectors, positives, weights, rows, model,
                        provenance=f"fitted on {sum(1 for p in positives[:len(written)] if p)} written and {len(generated)} generated questions")
    return final, per_item


def _fit(groups: list[Group], rounds: int = ROUNDS):
    import lightgbm

    usable = [g for g in groups if any(g.labels) and len(g.rows) > 1]
    x = np.array([r for g in usable for r in g.rows], dtype=np.float64)
    y = np.array([l for g in usable for l in g.labels])
    weights = np.array([g.weight for g in usable])  # LambdaRank weights are per group
    data = lightgbm.Dataset(x, y, group=[len(g.rows) for g in usable], weight=None, feature_name=list(FEATURES))
    data.set_weight(np.repeat(weights, [len(g.rows) for g in usable]))
    return lightgbm.train(PARAMS, data, num_boost_round=rounds)


def _hit_at_1(booster, groups: list[Group]) -> float:
    hits = 0
    for g in groups:
        if not g.rows:
            continue
        scores = booster.predict(np.array(g.rows), num_threads=1)
        hits += g.labels[int(np.argmax(scores))] == 1
    return hits / len(groups) if groups else 0.0


def cross_validate(written: list[Group], generated: list[Group], folds: int = 5) -> dict:
    answerable = [g for g in written if any(g.labels)]
    rng = random.Random(3)
    order = list(range(len(answerable)))
    rng.shuffle(order)
    scores, baseline = [], []
    for k in range(folds):
        test = [answerable[i] for n, i in enumerate(order) if n % folds == k]
        train = [answerable[i] for n, i in enumerate(order) if n % folds != k] + generated
        booster = _fit(train)
        scores.append(_hit_at_1(booster, test))
        baseline.append(sum(g.labels[0] == 1 for g in test) / len(test))  # candidates arrive in fused order
    return {"folds": folds, "hit@1": round(float(np.mean(scores)), 3), "fused_hit@1": round(float(np.mean(baseline)), 3)}


def train(kb, per_procedure: int = 1, cross_validation: bool = True) -> dict:
    searcher = kb.searcher
    written_items = written_questions()
    generated_items = generated_questions(searcher, max(per_procedure, 1))
    adapter, out_of_fold = fit_adapters(searcher, written_items, generated_items)
    written = []
    for item, fold_adapter in zip(written_items, out_of_fold):
        searcher.adapter = fold_adapter
        written.append(_group(searcher, item, "written", 1.0))
    searcher.adapter = adapter
    generated = [_group(searcher, item, "generated", GENERATED_WEIGHT) for item in generated_items] if per_procedure else []
    report: dict = {
        "written": len(written),
        "written_with_gold_in_candidates": sum(1 for g in written if any(g.labels)),
        "generated": len(generated),
    }
    if cross_validation:
        report["cv"] = cross_validate(written, generated)
    booster = _fit([g for g in written if any(g.labels)] + generated)
    ranker = Ranker(booster)
    ranker.save()
    adapter.save()
    searcher.ranker = ranker
    importance = dict(zip(FEATURES, booster.feature_importance("gain").round(1).tolist()))
    report["importance"] = dict(sorted(importance.items(), key=lambda kv: -kv[1]))
    report["aspects"] = fit_aspects()
    report["confidence"] = fit_confidence(kb, written_items, out_of_fold)
    searcher.adapter = adapter
    report["evidence"] = fit_evidence(kb)
    return report


def fit_aspects() -> dict:
    """The aspect model (knowledge/answer/aspects.py) on the aspect labels of the reported question sets."""
    from knowledge.answer.aspects import AspectModel, _model

    questions, labels = [], []
    for item in reported_questions():
        if item.get("aspect") and item["aspect"] != "none":
            questions.append(item["question"])
            labels.append(item["aspect"])
    model = AspectModel.fit(questions, labels, provenance=f"fitted on {len(questions)} labelled questions of the reported sets")
    model.save()
    _model.cache_clear()
    return {"questions": len(questions), "classes": model.classes}


def fit_confidence(kb, items: list[dict], adapters: list | None = None) -> dict:
    """The domain model (knowledge/answer/domain.py) on the written questions and questions
    generated from every procedure's names, then the logistic confidence model over the top
    result's signals (1 when the top source is right), fitted on out-of-fold domain values."""
    from knowledge.answer.confidence import features, fit
    from knowledge.answer.domain import DomainModel, out_of_fold
    from knowledge.evaluate import first_hit_rank

    texts = [item["question"] for item in items]
    labels = [int(bool(item["gold"])) for item in items]
    generated = [item["question"] for item in generated_questions(kb.searcher, 2, seed=17)]
    domain_values = out_of_fold(texts, labels, generated)
    domain = DomainModel.fit(texts + generated, labels + [1] * len(generated),
                             provenance=f"fitted on {len(texts)} written questions ({labels.count(0)} out of scope) and {len(generated)} generated ones")
    domain.save()
    rows = []
    answerer = kb.answerer
    for n, (item, in_domain) in enumerate(zip(items, domain_values)):
        if adapters is not None:
            kb.searcher.adapter = adapters[n]  # as an unseen question gets it
        result = kb.search(item["question"], top_k=30)
        sources = [s.to_json() for s in rank_sources(result.hits, 10)]
        correct = bool(item["gold"]) and first_hit_rank(sources, item["gold"]) == 1
        rows.append((features(result.hits, *answerer.coverage(result), in_domain), int(correct), bool(item["gold"])))
    model, info = fit(rows, provenance=f"fitted on {len(items)} written training questions ({labels.count(0)} out of scope)")
    model.save()
    kb.reset_answerer()
    return info


def evidence_examples(kb) -> list[tuple[str, list[str], "Procedure", str]]:
    """(question, aspects, gold procedure, gold quote) from the reported frozen sets (both halves)."""
    from knowledge.answer.aspects import detect_aspects
    from knowledge.ingest.procedures import Procedure

    examples = []
    questions = [(i["question"], i["gold"], i.get("gold_quote")) for i in reported_questions()]
    for line in (EVAL / "procedures" / "followups.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        questions.append((item["turns"][1], [{"code": c} for c in item["gold"]], item.get("gold_quote_2")))
    for question, gold, quote in questions:
        if not gold or not quote or "code" not in gold[0]:
            continue
        found = kb.procedure_document(gold[0]["code"])
        if found:
            examples.append((question, detect_aspects(question), Procedure.from_meta(found[1]), quote))
    return examples


# More of the question in a sentence, or the kind of fact asked for, never lowers its score: the
# trees may not learn the opposite from a few examples (a deadline question has few of them).
_RISING = ("overlap", "overlap_words", "bigrams", "preferred", "chars", "chars_relative", "chars_best")


def _evidence_params() -> dict:
    from knowledge.answer.evidence import FEATURES as SENTENCE_FEATURES

    rising = [1 if f.startswith("cue_") or f in _RISING else 0 for f in SENTENCE_FEATURES]
    return {**PARAMS, "ndcg_eval_at": [1], "monotone_constraints": rising, "monotone_constraints_method": "advanced"}
EVIDENCE_ROUNDS = 200


def _fit_sentences(x, y, g):
    """LambdaRank over the sentences of each question (rows of one question are contiguous)."""
    import lightgbm

    sizes = [int((g == q).sum()) for q in dict.fromkeys(g.tolist())]
    return lightgbm.train(_evidence_params(), lightgbm.Dataset(x, y, group=sizes), num_boost_round=EVIDENCE_ROUNDS)


def _top_out_of_fold(x, y, g, fit_score) -> tuple[list[int], list[float]]:
    """Grouped 5-fold CV: per held-out question, whether its top sentence states the gold quote
    and that sentence's score."""
    order = np.random.RandomState(5).permutation(g.max() + 1)
    fold_of = {q: i % 5 for i, q in enumerate(order)}
    folds = np.array([fold_of[q] for q in g])
    hits, scores = [], []
    for k in range(5):
        values = fit_score(x[folds != k], y[folds != k], g[folds != k], x[folds == k])
        for q in np.unique(g[folds == k]):
            mask = g[folds == k] == q
            best = int(np.argmax(values[mask]))
            hits.append(int(y[folds == k][mask][best]))
            scores.append(float(values[mask][best]))
    return hits, scores


def _threshold(hits: list[int], scores: list[float]) -> float:
    """Quote only when the top sentence is likely right: the score that maximises
    (right quotes - wrong quotes / 2) out of fold."""
    candidates = sorted(set(round(p, 2) for p in scores))
    return max(candidates, key=lambda t: sum(h - (1 - h) / 2 for h, p in zip(hits, scores) if p >= t)) if candidates else 0.0


def fit_evidence(kb) -> dict:
    """The sentence models (knowledge/answer/evidence.py): logistic weights and LambdaRank trees,
    1 for the sentences that state the gold quote."""
    from sklearn.linear_model import LogisticRegression

    from knowledge.answer.evidence import EvidenceModel, Prepared, char_features, features, is_gold, question_words, sentences

    rows, labels, groups = [], [], []
    for n, (question, aspects, proc, quote) in enumerate(evidence_examples(kb)):
        prepared = Prepared.of(sentences(proc))
        topic = question_words(question, proc.name)
        for s, chars in zip(prepared.items, char_features(prepared.char_similarity(question))):
            rows.append(features(topic, aspects, s, prepared.idf, chars))
            labels.append(int(is_gold(s, quote)))
            groups.append(n)
    x, y, g = np.array(rows), np.array(labels), np.array(groups)

    def logistic():
        return LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")

    linear_hits, linear_scores = _top_out_of_fold(x, y, g, lambda xt, yt, gt, xe: logistic().fit(xt, yt).predict_proba(xe)[:, 1])
    tree_hits, tree_scores = _top_out_of_fold(x, y, g, lambda xt, yt, gt, xe: _fit_sentences(xt, yt, gt).predict(xe))
    linear = logistic().fit(x, y)
    fitted = EvidenceModel([round(float(w), 6) for w in linear.coef_[0]], round(float(linear.intercept_[0]), 6),
                           float(_threshold(linear_hits, linear_scores)),
                           provenance=f"logistic model and LambdaRank trees fitted on {len(np.unique(g))} gold quotes (reported sets, both halves)",
                           booster=_fit_sentences(x, y, g), booster_threshold=float(_threshold(tree_hits, tree_scores)))
    fitted.save()
    kb.reset_answerer()
    return {"questions": int(len(np.unique(g))), "sentences": int(len(y)),
            "cv_top_sentence_right": {"logistic": round(float(np.mean(linear_hits)), 3), "trees": round(float(np.mean(tree_hits)), 3),
                                      "either": round(float(np.mean([max(a, b) for a, b in zip(linear_hits, tree_hits)])), 3)},
            "thresholds": {"logistic": fitted.threshold, "trees": fitted.booster_threshold}}
