"""`make bench`: the knowledge engine on the real data, one run.

Reports, on a fresh data directory with the 2,642 procedures, the 5 seed plans and the 25 plans
of ../shared/data/plans:
  - full index build time;
  - the test half of the twenty-first held-out set of citizen questions (tests/data/eval/heldout21:
    its rows never read, never trained on; the number to quote), its tune half (read; the query
    adapter, ranker, aspect, domain and confidence models train on it), then the same for the
    twentieth, nineteenth, eighteenth, seventeenth and fourteenth,
    then the earlier sets (heldout4 to heldout11, tests/data/eval/procedures: trained on once
    reported) and the development set (not evidence);
  - the two-turn follow-up conversations of the `test` half;
  - warm answer latency p50/p95 (one question at a time) and hit@1 of the learned ranker
    against each retriever alone and the plain fusion;
  - peak memory of a real `civic serve` process answering questions over HTTP.
Writes bench-results/knowledge.json. A benchmark, not a test: numbers depend on the machine.
"""
from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = ROOT / "tests" / "data" / "eval" / "procedures"
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_peak_rss(home: Path, questions: list[str]) -> float:
    """Start `civic serve` on the built data directory, ask over HTTP, read its peak RSS (VmHWM)."""
    import httpx

    port = _free_port()
    env = {**os.environ, "CIVIC_HOME": str(home), "CIVIC_SERVER__PORT": str(port)}
    # as `make run` does: `civic setup` (schema, model, the intent model) before the server starts
    subprocess.run([str(ROOT / ".venv" / "bin" / "civic"), "setup"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "civic"), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        for n, q in enumerate(questions):
            httpx.post(f"http://127.0.0.1:{port}/api/chat", json={"user_id": f"bench-{n % 20}", "text": q}, timeout=60)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        return int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM"))) / 1024
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> int:
    if not SHARED.exists():
        print("../shared is absent: the benchmark needs the real data beside the repository", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="civic-bench-"))
    os.environ["CIVIC_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))

    from core.embedder import get_embedder
    from core.holdout import select
    from knowledge.answer.sources import rank_sources
    from knowledge.evaluate import evaluate, fact_present, first_hit_rank, format_report, load_dev
    from knowledge.ingest.pipeline import Ingestor
    from knowledge.service import KnowledgeBase

    embedder = get_embedder()
    kb = KnowledgeBase(embedder=embedder)
    t = time.perf_counter()
    report = Ingestor(kb.sessions).ingest([SHARED / "data" / "procedures", SHARED / "seeds", SHARED / "data" / "plans"])
    ingest_s = time.perf_counter() - t
    build = kb.rebuild()
    print(f"ingest: {report.summary()} in {ingest_s:.1f}s; full index build {build.seconds:.1f}s ({build.chunks} rows, {build.documents} documents)")

    def run(question: str):
        answer = kb.answer(question)
        return [s.to_json() for s in answer.sources], answer.status.value, answer.text

    questions = load_dev(EVAL / "questions.jsonl")
    set21 = load_dev(EVAL.parent / "heldout21" / "procedures" / "questions.jsonl")
    set20 = load_dev(EVAL.parent / "heldout20" / "procedures" / "questions.jsonl")
    set19 = load_dev(EVAL.parent / "heldout19" / "procedures" / "questions.jsonl")
    set18 = load_dev(EVAL.parent / "heldout18" / "procedures" / "questions.jsonl")
    newest = load_dev(EVAL.parent / "heldout17" / "procedures" / "questions.jsonl")
    set14 = load_dev(EVAL.parent / "heldout14" / "procedures" / "questions.jsonl")
    results: dict = {"ingest_seconds": round(ingest_s, 1), "index_build_seconds": round(build.seconds, 1), "rows": build.chunks,
                     "documents": build.documents}
    for name, items in (
        ("held-out set 21, test half (rows never read, never trained on)", select(set21, "test")),
        ("held-out set 21, tune half (read, trained on)", select(set21, "tune")),
        ("held-out set 20, test half (never trained on; its tune half is)", select(set20, "test")),
        ("held-out set 20, tune half (read, trained on)", select(set20, "tune")),
        ("held-out set 19, test half (never trained on; its tune half is)", select(set19, "test")),
        ("held-out set 19, tune half (read, trained on)", select(set19, "tune")),
        ("held-out set 18, test half (never trained on; its tune half is)", select(set18, "test")),
        ("held-out set 18, tune half (trained on)", select(set18, "tune")),
        ("held-out set 17, test half (never trained on; its tune half is)", select(newest, "test")),
        ("held-out set 17, tune half (trained on)", select(newest, "tune")),
        ("held-out set 14, test half (never trained on; its tune half is)", select(set14, "test")),
        ("held-out set 14, tune half (trained on)", select(set14, "tune")),
        ("held-out set 11 (reported 2026-12-03, then trained on)", load_dev(EVAL.parent / "heldout11" / "procedures" / "questions.jsonl")),
        ("held-out set 10 (reported 2026-12-02, then trained on)", load_dev(EVAL.parent / "heldout10" / "procedures" / "questions.jsonl")),
        ("held-out set 8 (reported 2026-12-02, then trained on)", load_dev(EVAL.parent / "heldout8" / "procedures" / "questions.jsonl")),
        ("held-out set 7 (reported 2026-12-02, then trained on)", load_dev(EVAL.parent / "heldout7" / "procedures" / "questions.jsonl")),
        ("held-out set 6 (reported, then trained on)", load_dev(EVAL.parent / "heldout6" / "procedures" / "questions.jsonl")),
        ("held-out set 4 (reported, then trained on)", load_dev(EVAL.parent / "heldout4" / "procedures" / "questions.jsonl")),
        ("held-out set 5 (reported, then trained on)", load_dev(EVAL.parent / "heldout5" / "procedures" / "questions.jsonl")),
        ("test half (reported 2026-12-02, then trained on)", select(questions, "test")),
        ("tune half (trained on)", select(questions, "tune")),
        ("development set (trained on)", load_dev(ROOT / "tests" / "data" / "retrieval_dev.jsonl")),
    ):
        evaluation = evaluate(items, run)
        evaluation.pop("_rows")
        print(format_report(evaluation, f"\n{name}: {len(items)} questions"))
        results[name] = evaluation

    # two-turn conversations: a follow-up is answered about the first question's procedure (set 13:
    # "gold_2"; a topic change about the new one, or refused when it is out of scope)
    for name, path in (("follow-ups (test half)", EVAL / "followups.jsonl"),
                       ("held-out set 13, follow-ups (test half)", EVAL.parent / "heldout13" / "followups.jsonl")):
        conversations = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        held = select(conversations, "test")
        right = facts = 0
        for c in held:
            first = kb.answer(c["turns"][0])
            second = kb.answer(c["turns"][1], context=first.topic)
            gold = c.get("gold_2", c["gold"])
            offered = second.sources[:1] if second.status.value == "answered" else second.options
            right += any(s.code in gold for s in offered) if gold else second.abstained
            facts += bool(gold) and fact_present(second.text, c.get("fact_keys_2") or [])
        results[name] = {"conversations": len(held), "right_turn_2": round(right / len(held), 3), "fact": round(facts / len(held), 3)}
        print(f"\n{name}: {results[name]}")

    test_questions = [i["question"] for i in newest]
    for q in test_questions[:20]:  # warm-up
        kb.answer(q)
    latencies = []
    for q in test_questions:
        t = time.perf_counter()
        kb.answer(q)
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    p50, p95 = statistics.median(latencies), latencies[int(0.95 * (len(latencies) - 1))]
    results["latency_ms"] = {"p50": round(p50, 1), "p95": round(p95, 1), "n": len(latencies)}
    print(f"\nwarm answer latency ({len(latencies)} questions, sequential): p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    answerable = [i for i in newest if i["gold"]]

    def hit1(mode: str, rerank: bool) -> float:
        hits = 0
        for item in answerable:
            result = kb.search(item["question"], top_k=30, mode=mode, rerank=rerank)
            hits += first_hit_rank([s.to_json() for s in rank_sources(result.hits, 10)], item["gold"]) == 1
        return round(hits / len(answerable), 3)

    comparison = {"learned ranker": hit1("hybrid", True), "plain fusion": hit1("hybrid", False),
                  "BM25 only": hit1("sparse", False), "dense only": hit1("dense", False)}
    results["hit@1 held-out set 4 by ranking"] = comparison
    print("hit@1 on held-out set 4:", json.dumps(comparison, ensure_ascii=False))

    peak = server_peak_rss(home, test_questions[:60])
    results["server_peak_rss_mb"] = round(peak)
    print(f"peak RSS of `civic serve` answering over HTTP: {peak:.0f} MB")

    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "knowledge.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"written to {out / 'knowledge.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
