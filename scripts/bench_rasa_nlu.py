"""`make bench` step: the engine's intent classifier against Rasa 3.6 DIET trained on `civic rasa export`.

Both are scored on the untouched `test` half of tests/data/eval/nlu/utterances.jsonl (written by a
helper session that never saw the training data) with the same scorer (nlu.evaluate.evaluate_utterances):
macro-F1 overall and per style (formal / unaccented / informal), accuracy, the share of messages
below the low-confidence threshold, and parse latency p50/p95.

Latency: the engine in-process (NLU.parse, as the dialogue engine calls it); Rasa through
`rasa run --enable-api` POST /model/parse on 127.0.0.1, timed around the HTTP request (so it
includes a local HTTP round trip; the round trip of GET /version is reported for reference).
Rasa's prediction is its top intent before the FallbackClassifier (the first non-nlu_fallback
intent of intent_ranking), as the engine's parse is before its threshold.

The DIET model (full default epochs) is cached in .cache/rasa-models by the hash of the exported
config and NLU data, and retrained only when they change. Writes bench-results/rasa_nlu.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

EVAL = ROOT / "tests" / "data" / "eval" / "nlu" / "utterances.jsonl"
STYLES = ("formal", "unaccented", "informal", "all")


@dataclass
class Parsed:
    intent: str
    confidence: float


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50": round(statistics.median(ordered), 1), "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1)}


def utterances(half: str, path: Path = EVAL) -> list[dict]:
    from core.holdout import select

    return select([json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()], half)


# ---------------------------------------------------------------------------- the engine


def bench_engine(items: list[dict]) -> dict:
    from core.config import get_settings
    from core.embedder import get_embedder
    from nlu.evaluate import evaluate_utterances
    from nlu.parser import NLU, load_or_train

    nlu = NLU(load_or_train(ROOT / ".cache" / "nlu" / "intent_model.joblib", get_embedder()), get_embedder())
    report = evaluate_utterances(nlu, items)
    for item in items[:20]:  # warm-up
        nlu.parse(item["text"])
    latencies, low = [], 0
    threshold = get_settings().nlu.threshold
    for item in items:
        started = time.perf_counter()
        result = nlu.parse(item["text"])
        latencies.append((time.perf_counter() - started) * 1000)
        low += result.confidence < threshold and not (result.from_payload or result.from_menu)
    return _summary(report, latencies, low / len(items), "in-process NLU.parse")


# ---------------------------------------------------------------------------- Rasa


class RasaNLU:
    """parse_many over POST /model/parse, timing each request."""

    def __init__(self, url: str):
        self.url = url
        self.latencies: list[float] = []
        self.fallbacks = 0

    def parse_many(self, texts: list[str]) -> list[Parsed]:
        from rasa_check import http

        out = []
        for text in texts:
            started = time.perf_counter()
            result = http("POST", f"{self.url}/model/parse", {"text": text})
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.fallbacks += result["intent"]["name"] == "nlu_fallback"
            top = next((r for r in result.get("intent_ranking") or [] if r["name"] != "nlu_fallback"), result["intent"])
            out.append(Parsed(top["name"], float(top.get("confidence") or 0)))
        return out


def train_rasa(rasa: Path, work: Path, epochs: int) -> tuple[Path, str]:
    """The DIET model for the current export (cached by the hash of config.yml + data/nlu.yml)."""
    from dialogue import rasa_export
    from rasa_check import MODEL_CACHE, rasa_env, run

    project = work / "project"
    result = rasa_export.export(project, rasa_export.ExportOptions(epochs=epochs))
    files = {p: (project / p).read_text(encoding="utf-8") for p in ("config.yml", "data/nlu.yml")}
    key = rasa_export.digest(files)
    cached = MODEL_CACHE / f"nlu-{key}.tar.gz"
    if cached.exists():
        print(f"Rasa NLU model: reusing {cached.relative_to(ROOT)}", flush=True)
        return cached, key
    print(f"Training Rasa NLU (DIET {epochs} epochs) on {result.stats.exported} examples ...", flush=True)
    started = time.time()
    code = run([str(rasa), "train", "nlu", "--config", "config.yml", "--nlu", "data/nlu.yml", "--out", "models",
                "--fixed-model-name", "nlu"], project, rasa_env(), work / "train.log", 3600)
    if code != 0:
        print((work / "train.log").read_text()[-3000:])
        raise SystemExit("rasa train nlu failed")
    MODEL_CACHE.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "models" / "nlu.tar.gz", cached)
    print(f"  trained in {time.time() - started:.0f}s", flush=True)
    return cached, key


def bench_rasa(items: list[dict], epochs: int) -> dict:
    from nlu.evaluate import evaluate_utterances
    from rasa_check import ensure_rasa, free_port, http, rasa_env, wait_for

    rasa = ensure_rasa()
    work = Path(tempfile.mkdtemp(prefix="bench-rasa-nlu-"))
    process = None
    try:
        model, key = train_rasa(rasa, work, epochs)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with open(work / "rasa.log", "w") as log:
            process = subprocess.Popen([str(rasa), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port), "-m", str(model)],
                                       cwd=work / "project", env=rasa_env(), stdout=log, stderr=subprocess.STDOUT)
        wait_for(f"{url}/status", process, 300, lambda r: isinstance(r, dict) and bool(r.get("model_file")))
        parser = RasaNLU(url)
        parser.parse_many([i["text"] for i in items[:20]])  # warm-up
        parser.latencies, parser.fallbacks = [], 0
        report = evaluate_utterances(parser, items)
        baseline = []
        for _ in range(50):
            started = time.perf_counter()
            http("GET", f"{url}/version")
            baseline.append((time.perf_counter() - started) * 1000)
        summary = _summary(report, parser.latencies, parser.fallbacks / len(items), "POST /model/parse on 127.0.0.1 (HTTP round trip)")
        summary["http_round_trip_ms"] = percentiles(baseline)
        summary["model"] = {"epochs": epochs, "hash": key}
        return summary
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


def _summary(report: dict, latencies: list[float], low_share: float, how: str) -> dict:
    return {
        "macro_f1": {s: report[s]["macro_f1"] for s in STYLES if s in report},
        "accuracy": {s: report[s]["accuracy"] for s in STYLES if s in report},
        "n": {s: report[s]["n"] for s in STYLES if s in report},
        "below_threshold": round(low_share, 3),
        "parse_ms": percentiles(latencies),
        "latency_measured": how,
        "errors": len(report["errors"]),
        "error_rows": report["errors"],
    }


def table(engine: dict, rasa: dict) -> str:
    lines = [f"{'':<26}{'engine':>12}{'Rasa DIET':>12}"]
    for style in STYLES:
        lines.append(f"{'macro-F1 ' + style:<26}{engine['macro_f1'][style]:>12.3f}{rasa['macro_f1'][style]:>12.3f}")
    lines.append(f"{'accuracy all':<26}{engine['accuracy']['all']:>12.3f}{rasa['accuracy']['all']:>12.3f}")
    lines.append(f"{'below threshold (share)':<26}{engine['below_threshold']:>12.3f}{rasa['below_threshold']:>12.3f}")
    lines.append(f"{'parse p50 ms':<26}{engine['parse_ms']['p50']:>12.1f}{rasa['parse_ms']['p50']:>12.1f}")
    lines.append(f"{'parse p95 ms':<26}{engine['parse_ms']['p95']:>12.1f}{rasa['parse_ms']['p95']:>12.1f}")
    lines.append(f"(n = {engine['n']['all']}: formal {engine['n']['formal']}, unaccented {engine['n']['unaccented']}, "
                 f"informal {engine['n']['informal']}; Rasa latency includes a local HTTP round trip, "
                 f"GET /version p50 {rasa['http_round_trip_ms']['p50']} ms)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="engine intent classifier vs Rasa DIET on the frozen utterances")
    parser.add_argument("--half", default="test", choices=["tune", "test", "all"])
    parser.add_argument("--epochs", type=int, default=100, help="DIET epochs (default: the export's default, 100)")
    parser.add_argument("--file", type=Path, default=EVAL, help="utterances (JSON lines with text, intent, style)")
    args = parser.parse_args()
    os.environ.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))
    items = utterances(args.half, args.file)
    from rasa_check import PYTHON310, RASA_STAMP

    if not RASA_STAMP.exists() and not PYTHON310.exists():  # `make bench` goes on without Rasa
        print(f"Rasa NLU comparison skipped: no Rasa venv and no Python 3.10 at {PYTHON310}")
        return 0
    engine = bench_engine(items)
    rasa = bench_rasa(items, args.epochs)
    print(f"Intents on {args.file.name} [{args.half}], {len(items)} utterances")
    print(table(engine, rasa))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "rasa_nlu.json").write_text(json.dumps({"half": args.half, "engine": engine, "rasa": rasa}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
