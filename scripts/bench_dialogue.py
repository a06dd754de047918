"""Per-turn latency of the conversation engine (warm, one turn at a time) on the sample
knowledge base with SQLite: scripted conversations mixing questions, a feedback form and
small talk. A benchmark, not a test. Writes bench-results/dialogue.json."""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = [
    ("text", "xin chào"),
    ("text", "đăng ký khai sinh cần giấy tờ gì"),
    ("text", "le phi dang ky thuong tru bao nhieu"),
    ("payload", "/file_feedback"),
    ("text", "Hồ sơ đăng ký tạm trú của tôi nộp hai tuần vẫn chưa có kết quả, cán bộ không giải thích"),
    ("payload", "/deny"),
    ("text", "dk ket hon mat may ngay?"),
    ("text", "Nguyễn Văn An"),
    ("text", "Thôn 3, xã Mẫu Sơn"),
    ("text", "0912345678"),
    ("payload", "/affirm"),
    ("text", "kế hoạch 15 giao ai chủ trì số hóa hồ sơ"),
    ("text", "cảm ơn"),
]


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="civic-bench-dialogue-"))
    os.environ["CIVIC_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("CIVIC_MODEL_CACHE", str(ROOT / ".cache" / "models"))
    from dialogue.engine import Engine
    from knowledge.service import default_knowledge_base
    from nlu.parser import load_or_train

    default_knowledge_base().ingest([ROOT / "knowledge" / "sample"])
    load_or_train()
    engine = Engine()
    engine.handle("web", "warmup", text="xin chào")
    latencies = []
    for round_ in range(8):
        user = f"bench-{round_}"
        for kind, value in SCRIPT:
            t = time.perf_counter()
            engine.handle("web", user, text=value if kind == "text" else None, payload=value if kind == "payload" else None)
            latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"dialogue turns: {len(latencies)}, p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "dialogue.json").write_text(json.dumps({"turns": len(latencies), "p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
