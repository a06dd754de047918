"""`make bench`: the knowledge engine on the real data, one run.

Reports: ingest and index build time on the 2,642 procedures + 5 seed plans; warm
per-question latency p50/p95 (questions asked one at a time); peak RSS; hit@1 of hybrid
vs BM25-only vs dense-only on the development set (with and without the reranking stage).
Writes bench-results/knowledge.json. A benchmark, not a test: numbers depend on the machine.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def main() -> int:
    if not SHARED.exists():
        print("../shared is absent: the benchmark needs the real data beside the repository", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="civic-bench-"))
    os.environ["CIVIC_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))

    from core.embedder import get_embedder
    from knowledge.answer.sources import rank_sources
    from knowledge.evaluate import evaluate, first_hit_rank, format_report, load_dev
    from knowledge.ingest.pipeline import Ingestor
    from knowledge.service import KnowledgeBase

    embedder = get_embedder()
    kb = KnowledgeBase(embedder=embedder)
    t = time.perf_counter()
    report = Ingestor(kb.sessions).ingest([SHARED / "data" / "procedures", SHARED / "seeds"])
    ingest_s = time.perf_counter() - t
    build = kb.rebuild()
    print(f"ingest: {report.summary()} in {ingest_s:.1f}s; index build {build.seconds:.1f}s ({build.chunks} chunks)")

    items = load_dev(ROOT / "tests" / "data" / "retrieval_dev.jsonl")
    questions = [i["question"] for i in items]
    for q in questions[:20]:  # warm-up: model, index, caches
        kb.answer(q)
    latencies = []
    for q in questions:
        t = time.perf_counter()
        kb.answer(q)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"warm latency per question ({len(latencies)} questions, sequential): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    answerable = [i for i in items if i["gold"]]

    def hit1(mode: str, rerank: bool) -> float:
        hits = 0
        for item in answerable:
            result = kb.search(item["question"], top_k=30, mode=mode, rerank=rerank)
            hits += first_hit_rank([s.to_json() for s in rank_sources(result.hits, 10)], item["gold"]) == 1
        return round(hits / len(answerable), 3)

    comparison = {
        f"{mode}{'' if rerank else ' (no rerank)'}": hit1(mode, rerank)
        for rerank in (True, False)
        for mode in ("hybrid", "sparse", "dense")
    }
    print("hit@1 on the dev set:", json.dumps(comparison, ensure_ascii=False))

    def run(question: str):
        answer = kb.answer(question)
        return [s.to_json() for s in answer.sources], answer.abstained

    full = evaluate(items, run)
    full.pop("_rows")
    print(format_report(full, "end to end (hybrid + rerank + abstention):"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")

    results = {
        "ingest_seconds": round(ingest_s, 1),
        "index_build_seconds": round(build.seconds, 1),
        "chunks": build.chunks,
        "documents": build.documents,
        "latency_ms": {"p50": round(p50, 1), "p95": round(p95, 1), "n": len(latencies)},
        "peak_rss_mb": round(peak_mb),
        "hit@1": comparison,
        "evaluation": full,
    }
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "knowledge.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"written to {out / 'knowledge.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
