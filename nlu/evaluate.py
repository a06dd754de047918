"""`civic nlu test`: a held-out split of the training data, scored per style.

Every (file, intent) group keeps about one example in five for testing, chosen by a hash of the
text so the split is stable across runs. The model is trained on the rest (with its unaccented
and chat-style variants) and scored on each style's held-out examples: per-intent precision,
recall and F1, macro-F1, a confusion matrix, and entity extraction on annotated test examples.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from core.embedder import Embedder
from nlu import entities as extract
from nlu.model import IntentModel
from nlu.training_data import Example, TrainingData

STYLES = ("accented", "unaccented", "informal")


def is_held_out(example: Example) -> bool:
    return int(hashlib.sha1(f"{example.intent}|{example.text}".encode()).hexdigest()[:8], 16) % 5 == 0


def split(data: TrainingData) -> tuple[list[Example], list[Example]]:
    train = [e for e in data.examples if not is_held_out(e)]
    test = [e for e in data.examples if is_held_out(e)]
    return train, test


def _scores(gold: list[str], predicted: list[str], labels: list[str]) -> dict:
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    present = [l for l in labels if l in gold or l in predicted]
    p, r, f, n = precision_recall_fscore_support(gold, predicted, labels=present, zero_division=0)
    per_intent = {
        label: {"precision": round(float(p[i]), 3), "recall": round(float(r[i]), 3), "f1": round(float(f[i]), 3), "n": int(n[i])}
        for i, label in enumerate(present)
        if n[i] > 0
    }
    gold_labels = sorted(set(gold))
    return {
        "n": len(gold),
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / len(gold), 3) if gold else None,
        "macro_f1": round(float(f1_score(gold, predicted, labels=gold_labels, average="macro", zero_division=0)), 3),
        "per_intent": per_intent,
        "confusion": {"labels": present, "matrix": confusion_matrix(gold, predicted, labels=present).tolist()},
    }


def _entity_scores(test: list[Example], procedures: extract.ProcedureMatcher) -> dict:
    """Annotated entities found with the right value (precision over the annotated types)."""
    gold_total = found_right = predicted_total = 0
    by_type: dict[str, Counter] = defaultdict(Counter)
    for example in test:
        if not example.entities:
            continue
        # periods are normalised to dates, so they are compared by span; the rest by value
        gold = {(a.entity, a.value.lower() if a.entity != "period" else f"{a.start}") for a in example.entities}
        kinds = {a.entity for a in example.entities}
        predicted = {
            (e.entity, e.value.lower() if e.entity != "period" else f"{e.start}")
            for e in extract.extract_all(example.text, procedures)
            if e.entity in kinds
        }
        gold_total += len(gold)
        predicted_total += len(predicted)
        found_right += len(gold & predicted)
        for entity, _value in gold:
            by_type[entity]["gold"] += 1
        for entity, _value in gold & predicted:
            by_type[entity]["found"] += 1
    return {
        "annotated": gold_total,
        "recall": round(found_right / gold_total, 3) if gold_total else None,
        "precision": round(found_right / predicted_total, 3) if predicted_total else None,
        "by_type": {k: dict(v) for k, v in sorted(by_type.items())},
    }


def evaluate(data: TrainingData, embedder: Embedder, period_examples: bool = True) -> dict:
    train, test = split(data)
    model = IntentModel.train(data, embedder, examples=train)
    predictions = [ranking[0][0] for ranking in model.predict([e.text for e in test], embedder)]
    report: dict = {"train_examples": len(train), "test_examples": len(test), "styles": {}}
    labels = sorted({e.intent for e in data.examples})
    for style in STYLES:
        pairs = [(e.intent, p) for e, p in zip(test, predictions) if e.style == style]
        if pairs:
            report["styles"][style] = _scores([g for g, _ in pairs], [p for _, p in pairs], labels)
    report["all"] = _scores([e.intent for e in test], predictions, labels)
    report["errors"] = [
        {"text": e.text, "style": e.style, "gold": e.intent, "predicted": p} for e, p in zip(test, predictions) if e.intent != p
    ]
    procedures = extract.ProcedureMatcher(data.lookups.get("procedure", []), data.synonyms)
    report["entities"] = _entity_scores([e for e in data.examples], procedures)
    return report


def format_report(report: dict) -> str:
    lines = [f"Huấn luyện trên {report['train_examples']} câu, kiểm tra trên {report['test_examples']} câu giữ lại."]
    lines.append(f"{'kiểu câu':<12}{'n':>5}{'accuracy':>10}{'macro-F1':>10}")
    for style, scores in report["styles"].items():
        lines.append(f"{style:<12}{scores['n']:>5}{scores['accuracy']:>10.3f}{scores['macro_f1']:>10.3f}")
    overall = report["all"]
    lines.append(f"{'all':<12}{overall['n']:>5}{overall['accuracy']:>10.3f}{overall['macro_f1']:>10.3f}")
    lines.append("")
    lines.append(f"{'ý định':<24}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
    for intent, s in overall["per_intent"].items():
        lines.append(f"{intent:<24}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['n']:>5}")
    lines.append("")
    labels = overall["confusion"]["labels"]
    short = [l[:6] for l in labels]
    lines.append("Ma trận nhầm lẫn (hàng: đúng, cột: dự đoán)")
    lines.append(" " * 24 + "".join(f"{s:>7}" for s in short))
    for label, row in zip(labels, overall["confusion"]["matrix"]):
        lines.append(f"{label:<24}" + "".join(f"{v:>7}" for v in row))
    if report["errors"]:
        lines.append("")
        lines.append("Câu sai:")
        for e in report["errors"]:
            lines.append(f"  [{e['style']}] {e['text']!r}: {e['gold']} -> {e['predicted']}")
    ents = report["entities"]
    lines.append("")
    lines.append(f"Thực thể có chú thích: {ents['annotated']}, recall {ents['recall']}, precision {ents['precision']} {ents['by_type']}")
    return "\n".join(lines)


FROZEN_STYLES = ("formal", "unaccented", "informal")


def evaluate_utterances(nlu, items: list[dict]) -> dict:
    """Frozen utterances ({"text", "intent", "style"}) through the whole parser (commands,
    payloads, the classifier): macro-F1 overall and per style, and the rows that failed."""
    results = nlu.parse_many([i["text"] for i in items])
    labels = sorted({i["intent"] for i in items})
    report: dict = {}
    for style in (*FROZEN_STYLES, "all"):
        chosen = [(i, r) for i, r in zip(items, results) if style == "all" or i.get("style") == style]
        if not chosen:
            continue
        gold = [i["intent"] for i, _r in chosen]
        predicted = [r.intent for _i, r in chosen]
        report[style] = _scores(gold, predicted, labels)
    report["errors"] = [
        {"id": i.get("id"), "text": i["text"], "gold": i["intent"], "predicted": r.intent, "confidence": round(r.confidence, 2)}
        for i, r in zip(items, results)
        if r.intent != i["intent"]
    ]
    return report
