"""Closed-loop load benchmark of POST /api/chat on `civic serve` (PostgreSQL, the real procedures).

Phases (numbers printed and written to bench-results/load.json):
  1. 1, 10, 50 concurrent citizens, each in a closed loop (send, wait for the reply, send the next):
     messages/s, p50/p95/p99 latency, non-200 answers by status code.
  2. 10 citizens while one identity floods (20 concurrent requests in a tight loop).
  3. Two `civic serve` instances (separate CIVIC_HOME, same database and secret key, rate-limit
     storage in Redis), citizens spread round-robin across the two ports: 10 and 50 citizens again.
  4. cProfile of ~200 procedure-question turns in-process, grouped by component.

A simulated citizen slot changes identity (new cookie jar, new user_id) every few messages, like a
stream of citizens each asking a few questions; one identity in a tight loop would trip the per-user
rate limit (5/second) by itself. The client runs on the same 2-core machine as the servers: its CPU
time is reported next to each level. Usage: scripts/bench_load.py [--quick] [--seconds 60] ...
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".cache" / "bench-load"
OUT = ROOT / "bench-results" / "load.json"
DB_NAME = "civic_bench"
DB_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS = "redis://127.0.0.1:6379/0"
CIVIC = str(Path(sys.executable).parent / "civic")
QUESTIONS = ROOT / "tests" / "data" / "eval" / "procedures" / "questions.jsonl"
GREETINGS = ["xin chào", "chào bạn", "cảm ơn bạn", "Chào anh chị, cho tôi hỏi chút việc"]
ERROR_MARK = "hệ thống vừa gặp sự cố"  # the engine's own error reply (still HTTP 200)
TICKS = os.sysconf("SC_CLK_TCK")


def environment(home: Path, secret: str, redis: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", DATABASE_URL=DB_URL, CIVIC_HOME=str(home),
               CIVIC_SECRET_KEY=secret, CIVIC_LIMITS__CHAT_PER_ADDRESS="1000000/minute")
    if redis:
        env["CIVIC_LIMITS__STORAGE"] = REDIS
    return env


# ---------------------------------------------------------------------------------------- setup
def prepare_data(env: dict[str, str]) -> None:
    """Create the benchmark database and ingest the real procedures unless already done."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone():
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            print(f"created database {DB_NAME}")
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={DB_NAME}") as conn:
        try:
            documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            documents = 0
    if documents and (Path(env["CIVIC_HOME"]) / "index" / "CURRENT").exists():
        print(f"database {DB_NAME}: {documents} documents, index present; no ingest")
        return
    print("ingesting ../shared/data/procedures ../shared/seeds (2-4 minutes the first time) ...", flush=True)
    with open(WORK / "ingest.log", "w") as log:
        rc = subprocess.call([CIVIC, "ingest", "../shared/data/procedures", "../shared/seeds"],
                             cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if rc:
        raise SystemExit(f"civic ingest failed ({rc}); see {WORK / 'ingest.log'}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, name: str, env: dict[str, str]):
        self.name, self.env, self.port = name, env, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = open(WORK / f"{self.name}.log", "a")
        self.proc = subprocess.Popen([CIVIC, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.url + "/healthz", timeout=2).json().get("status") == "ok":
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(1)
        raise SystemExit(f"{self.name} not ready after {timeout:.0f} s; see {self.log.name}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (uvicorn runs in it with one worker)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError):
            return 0.0

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()


def machine_busy() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine: servers, PostgreSQL, Redis and this client."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def postgres_ticks() -> dict[int, int]:
    """CPU ticks of each PostgreSQL process alive now."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if head.endswith("(postgres"):
            fields = tail.split()
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return ticks


def postgres_seconds(before: dict[int, int]) -> float:
    """CPU seconds PostgreSQL spent since ``before`` (backends that exited meanwhile are missed)."""
    return sum(t - before.get(pid, 0) for pid, t in postgres_ticks().items()) / TICKS


def background_cpu(seconds: float = 3) -> float:
    """Cores busy while the benchmark sends nothing: other work on the machine skews the numbers."""
    before = machine_busy()
    time.sleep(seconds)
    after = machine_busy()
    return round((after[0] - before[0]) / max(1, after[1] - before[1]) * os.cpu_count(), 2)


def start_all(servers: list[Server]) -> None:
    for s in servers:
        s.start()
    for s in servers:
        s.wait_ready()
        with httpx.Client(base_url=s.url, timeout=120) as c:  # loads the index and models lazily used
            for i, text in enumerate(messages()[:12]):
                if i % 4 == 0:
                    c.cookies.clear()
                c.post("/api/chat", json={"user_id": f"warmup-{secrets.token_hex(4)}", "text": text})
        print(f"  {s.name} ready on port {s.port} (pid {s.proc.pid})", flush=True)


# ------------------------------------------------------------------------------------------ load
def messages() -> list[str]:
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows] + GREETINGS * 5


def post(client: httpx.Client, user: str, text: str) -> tuple[object, float]:
    started = time.perf_counter()
    try:
        r = client.post("/api/chat", json={"user_id": user, "text": text})
        code: object = "200-error-reply" if r.status_code == 200 and ERROR_MARK in r.text else r.status_code
    except httpx.HTTPError as exc:
        code = type(exc).__name__
    return code, time.perf_counter() - started


def citizen(slot: int, url: str, until: float, texts: list[str], turns: int, tag: str, out: list) -> None:
    rng = random.Random(slot)
    order = texts[:]
    rng.shuffle(order)
    with httpx.Client(base_url=url, timeout=60) as client:
        i = 0
        while time.perf_counter() < until:
            if i % turns == 0:  # the next citizen on this slot: fresh cookie jar and user_id
                client.cookies.clear()
                user = f"load-{tag}-{slot}-{i // turns}"
            code, seconds = post(client, user, order[i % len(order)])
            out.append((code, seconds))
            i += 1
            if code != 200:
                time.sleep(0.5)  # a person retries after a moment


def flooder(url: str, until: float, width: int, tag: str, out: Counter) -> list[threading.Thread]:
    """One identity (one cookie, one user_id) sending `width` concurrent requests in a tight loop."""
    user = f"flood-{tag}"
    with httpx.Client(base_url=url, timeout=60) as first:
        post(first, user, "xin chào")  # the server's identity cookie, shared by all flood threads
        cookies = httpx.Cookies(first.cookies)
    lock = threading.Lock()

    def loop() -> None:
        with httpx.Client(base_url=url, timeout=60, cookies=cookies) as client:
            while time.perf_counter() < until:
                code, _ = post(client, user, "đăng ký thường trú cần giấy tờ gì")
                with lock:
                    out[code] += 1

    return [threading.Thread(target=loop, daemon=True) for _ in range(width)]


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def run_level(servers: list[Server], users: int, seconds: float, texts: list[str], args, flood: int = 0) -> dict:
    tag = secrets.token_hex(3)
    out: list = []
    flood_codes: Counter = Counter()
    idle = background_cpu()
    cpu0, client0, pg0 = [s.cpu_seconds() for s in servers], time.process_time(), postgres_ticks()
    busy0, t0 = machine_busy(), time.perf_counter()
    until = t0 + seconds
    threads = [threading.Thread(target=citizen, daemon=True, args=(slot, servers[slot % len(servers)].url, until, texts,
                                                                    args.turns_per_citizen, tag, out))
               for slot in range(users)]
    if flood:
        threads += flooder(servers[0].url, until, flood, tag, flood_codes)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    busy1, pg = machine_busy(), postgres_seconds(pg0)
    ok = sorted(s for code, s in out if code == 200)
    codes = Counter(str(code) for code, _ in out if code != 200)
    result = {
        "users": users, "servers": len(servers), "seconds": round(wall, 1), "requests": len(out), "ok": len(ok),
        "msgs_per_s": round(len(ok) / wall, 2),
        "p50_ms": round(percentile(ok, 0.50) * 1000), "p95_ms": round(percentile(ok, 0.95) * 1000),
        "p99_ms": round(percentile(ok, 0.99) * 1000), "non_200": dict(codes),
        "server_cpu_cores": [round((s.cpu_seconds() - c) / wall, 2) for s, c in zip(servers, cpu0)],
        "client_cpu_cores": round((time.process_time() - client0) / wall, 2),
        "postgres_cpu_cores": round(pg / wall, 2),
        "machine_busy_cores": round((busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]) * os.cpu_count(), 2),
        "background_cores_before": idle,
    }
    result["other_cpu_cores"] = round(result["machine_busy_cores"] - sum(result["server_cpu_cores"])
                                      - result["client_cpu_cores"] - result["postgres_cpu_cores"], 2)
    if flood:
        result["flood"] = {"width": flood, "requests": sum(flood_codes.values()),
                           **{str(k): v for k, v in sorted(flood_codes.items(), key=str)}}
    line = (f"  {users:>3} users x {len(servers)} server(s): {result['msgs_per_s']:7.2f} msg/s  "
            f"p50 {result['p50_ms']:>6} ms  p95 {result['p95_ms']:>6} ms  p99 {result['p99_ms']:>6} ms  "
            f"non-200 {dict(codes) or 0}\n      CPU cores of {os.cpu_count()}: server {result['server_cpu_cores']}, "
            f"PostgreSQL {result['postgres_cpu_cores']}, client {result['client_cpu_cores']}, "
            f"other processes {result['other_cpu_cores']} (busy before the level: {idle})")
    print(line, flush=True)
    if flood:
        print(f"      flooder ({flood} concurrent, one identity): {result['flood']}", flush=True)
    return result


# --------------------------------------------------------------------------------------- profile
GROUPS = [  # (label, fragments of "file:function"); the first match wins
    ("NLU (intent model)", ("/nlu/",)),
    ("embedding (ONNX encoder)", ("/core/embedder.py", "/core/onnx_runtime.py", "onnxruntime", "/tokenizers/")),
    ("ranking (learned ranker)", ("/knowledge/rank/",)),
    ("retrieval (index search)", ("/knowledge/index/", "/knowledge/query.py", "/knowledge/vocabulary.py",
                                  "/knowledge/asked.py", "/knowledge/service.py")),
    ("answer rendering", ("/knowledge/answer/",)),
    ("Vietnamese text (diacritics, folding)", ("/vietnamese/",)),
    ("database (SQLAlchemy, psycopg)", ("/storage/", "/dialogue/store.py", "/sqlalchemy/", "/psycopg", "psycopg")),
    ("dialogue logic", ("/dialogue/", "/actions/", "/tasks/", "/feedback/", "/survey/", "/agencies/")),
    ("metrics, logging", ("/bot/", "prometheus_client", "/core/logs.py", "/core/privacy.py", "/logging/")),
]


def group_of(func: tuple) -> str | None:
    name = f"{func[0]}:{func[2]}"
    return next((label for label, parts in GROUPS if any(p in name for p in parts)), None)


def grouped(stats: dict) -> Counter:
    """Self time of every function, charged to its group; time of unclassified code (numpy,
    builtins, stdlib) is passed up to its callers in proportion to what each caller spent in it."""
    memo: dict = {}

    def shares(func: tuple, depth: int) -> Counter:
        if func in memo:
            return memo[func]
        label = group_of(func)
        callers = stats.get(func, (0, 0, 0, 0, {}))[4]
        if label or not callers or depth > 40:
            result = Counter({label or "other": 1.0})
        else:
            memo[func] = Counter({"other": 1.0})  # cycle guard
            total = sum(edge[3] for edge in callers.values())
            result = Counter()
            for caller, edge in callers.items():
                weight = edge[3] / total if total else 1 / len(callers)
                for k, v in shares(caller, depth + 1).items():
                    result[k] += weight * v
        memo[func] = result
        return result

    totals: Counter = Counter()
    for func, (_, _, tottime, _, _) in stats.items():
        for k, v in shares(func, 0).items():
            totals[k] += tottime * v
    return totals


def profile(turns: int, env: dict[str, str]) -> dict:
    os.environ.update({k: v for k, v in env.items() if k.startswith(("CIVIC", "DATABASE", "HF_", "TRANSFORMERS"))})
    sys.path.insert(0, str(ROOT))
    from bot.channels.common import Incoming, run_turn
    from dialogue.engine import Engine

    engine = Engine()
    engine.nlu  # noqa: B018 - load the models before profiling
    questions = [q for q in messages() if q not in GREETINGS]
    random.Random(7).shuffle(questions)
    tag = secrets.token_hex(3)
    for i, q in enumerate(questions[:5]):  # warm: index, ranker, confidence model
        run_turn(engine, Incoming("web", f"prof-warm-{tag}-{i}", f"prof-warm-{tag}-{i}", text=q))
    idle = background_cpu()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(turns):
        user = f"prof-{tag}-{i // 4}"
        run_turn(engine, Incoming("web", user, user, text=questions[i % len(questions)]))
    profiler.disable()
    wall = time.perf_counter() - started
    profiler.dump_stats(str(WORK / "profile.pstats"))
    stats = pstats.Stats(profiler).stats
    total = sum(v[2] for v in stats.values()) or 1.0
    print(f"\n{turns} procedure-question turns in-process: {wall:.1f} s, {wall / turns * 1000:.0f} ms per turn "
          f"under cProfile (its overhead inflates Python-heavy code); other processes kept {idle} cores busy "
          f"just before; pstats in {WORK / 'profile.pstats'}")
    print(f"  top functions by cumulative time (wall clock, so DB includes waiting for PostgreSQL; "
          f"asyncio and rasa_sdk wrappers left out):\n  {'cumtime':>8} {'%':>5} {'calls':>8}  function")
    stdlib = os.path.dirname(os.__file__)
    top = [kv for kv in sorted(stats.items(), key=lambda kv: kv[1][3], reverse=True)
           if kv[0][0] != "~" and not kv[0][0].startswith(stdlib) and "rasa_sdk" not in kv[0][0]][:16]
    for func, (_, ncalls, _, cumtime, _) in top:
        where = f"{Path(func[0]).parent.name}/{Path(func[0]).name}:{func[1]}"
        print(f"  {cumtime:8.2f} {cumtime / total * 100:5.1f} {ncalls:8}  {func[2]}  {where}")
    for func, (_, _, _, _, callers) in stats.items():
        if func[0].endswith(os.path.join("core", "embedder.py")) and func[2] == "encode_queries":
            by = "; ".join(f"{c[2]} ({Path(c[0]).parent.name}/{Path(c[0]).name}) {e[1] / turns:.2f}x {e[3] / turns * 1000:.0f} ms"
                           for c, e in callers.items())
            print(f"  query encodings per turn, by caller: {by}")
    groups = grouped(stats)
    print("  time by component (self time, unclassified library time charged to its callers):")
    for label, seconds in groups.most_common():
        print(f"    {label:<40} {seconds:7.2f} s  {seconds / total * 100:5.1f}%")
    summary = ", ".join(f"{label.split(' (')[0]} {seconds / total * 100:.0f}%" for label, seconds in groups.most_common(6))
    print(f"  summary: {summary}")
    return {"turns": turns, "background_cores_before": idle, "seconds": round(wall, 1), "ms_per_turn": round(wall / turns * 1000),
            "groups_pct": {k: round(v / total * 100, 1) for k, v in groups.most_common()}, "summary": summary,
            "top_cumulative": [{"function": f"{f[0]}:{f[1]}({f[2]})", "cumtime": round(v[3], 2)} for f, v in top]}


# ------------------------------------------------------------------------------------------ main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="duration of each load level (default 60)")
    parser.add_argument("--levels", default="1,10,50", help="concurrent citizens per level (default 1,10,50)")
    parser.add_argument("--flood-width", type=int, default=20, help="concurrent requests of the flooder")
    parser.add_argument("--turns-per-citizen", type=int, default=4, help="messages before a slot changes identity")
    parser.add_argument("--profile-turns", type=int, default=200)
    parser.add_argument("--skip-two", action="store_true", help="skip the two-instance phase")
    parser.add_argument("--skip-profile", action="store_true", help="skip the in-process profile")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 s per level, 40 profiled turns")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.profile_turns = 5, 40
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    WORK.mkdir(parents=True, exist_ok=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)  # one key for both instances: their cookies are interchangeable
    home1, home2 = WORK / "instance1", WORK / "instance2"
    env1 = environment(home1, secret)
    texts = messages()
    report: dict = {"meta": {"seconds_per_level": args.seconds, "levels": levels, "messages": len(texts),
                             "turns_per_citizen": args.turns_per_citizen, "cpus": os.cpu_count(),
                             "database": DB_NAME, "started": time.strftime("%Y-%m-%d %H:%M:%S"), "notes": []}}

    def save() -> None:
        OUT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")

    print(f"Load benchmark of POST /api/chat: {len(texts)} messages (procedure questions and greetings), "
          f"{args.seconds:g} s per level, identity change every {args.turns_per_citizen} messages.\n"
          f"The client (httpx, one thread per citizen) shares the machine's {os.cpu_count()} cores with the servers.")
    prepare_data(env1)
    servers: list[Server] = []
    try:
        print("\n1. one instance, closed loop", flush=True)
        servers = [Server("instance1", env1)]
        start_all(servers)
        report["single"] = [run_level(servers, n, args.seconds, texts, args) for n in levels]
        save()
        print(f"\n2. 10 citizens + one flooder ({args.flood_width} concurrent requests, one identity)", flush=True)
        report["flood"] = run_level(servers, 10, args.seconds, texts, args, flood=args.flood_width)
        save()
        for s in servers:
            s.stop()
        if not args.skip_two:
            print("\n3. two instances (same database and secret key, rate limits in Redis), round-robin", flush=True)
            # The search index and the intent model live on disk per CIVIC_HOME, not in the database:
            # instance2 gets a fresh copy of instance1's (19 MB) so both answer from the same build.
            for folder in ("index", "nlu"):
                if (home1 / folder).exists():
                    shutil.rmtree(home2 / folder, ignore_errors=True)
                    shutil.copytree(home1 / folder, home2 / folder, ignore=shutil.ignore_patterns("*.lock"))
            note = "instance2 runs on a copy of instance1/index and instance1/nlu (on disk per CIVIC_HOME)"
            report["meta"]["notes"].append(note)
            print(f"  note: {note}")
            servers = [Server("instance1", environment(home1, secret, redis=True)),
                       Server("instance2", environment(home2, secret, redis=True))]
            start_all(servers)
            report["two_instances"] = [run_level(servers, n, args.seconds, texts, args) for n in levels if n > 1]
            save()
            for s in servers:
                s.stop()
    finally:
        for s in servers:
            s.stop()
    if not args.skip_profile:
        report["profile"] = profile(args.profile_turns, env1)
    save()
    print(f"\nwritten {OUT.relative_to(ROOT)}; server logs in {WORK.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
