"""Index builds are atomic: queries during a rebuild are served by the old index."""
import shutil
import threading

from knowledge.index.build import index_store
from knowledge.service import KnowledgeBase
from tests.conftest import SAMPLE
from tests.docs_fixtures import build_docx


def test_queries_during_a_rebuild_use_the_old_index(civic_home, tmp_path, monkeypatch, embedder):
    monkeypatch.setenv("CIVIC_KNOWLEDGE__RETRIEVAL__RELOAD_CHECK_SECONDS", "0")
    from core.config import reset_settings

    reset_settings()
    kb_dir = tmp_path / "kb"
    shutil.copytree(SAMPLE, kb_dir)
    kb = KnowledgeBase(embedder=embedder)
    kb.ingest([kb_dir])
    store = index_store()
    first = store.current_id()
    assert first and kb.search("đăng ký tạm trú").hits[0].meta.code == "9.000104"

    # a build that has not finished (no manifest) is never picked up
    half = store.new_build_dir()
    assert kb.searcher.index().folder.name == first and store.current_id() == first

    # ingest a new plan while another thread keeps asking questions
    errors: list[BaseException] = []
    answered: list[str] = []
    stop = threading.Event()

    def ask_continuously() -> None:
        while not stop.is_set():
            try:
                result = kb.search("số hóa hồ sơ kết quả giải quyết")
                answered.append(result.build)
            except BaseException as exc:  # pragma: no cover - the assertion reports it
                errors.append(exc)

    worker = threading.Thread(target=ask_continuously)
    worker.start()
    build_docx(kb_dir / "ke-hoach-27.docx")
    report, build = kb.ingest([kb_dir])
    stop.set()
    worker.join()
    assert errors == [] and report.added == 1 and build is not None
    assert first in answered  # served by the old build while the new one was being made
    second = store.current_id()
    assert second != first
    hit = kb.search("kế hoạch 27 kiểm tra đột xuất giờ giấc làm việc").hits[0]
    assert hit.meta.doc_number == "27/KH-UBND" and hit.meta.section == "II.1.a"
    assert kb.searcher.index().folder.name == second
    # old builds are collected, the live one and its predecessor kept
    kb.rebuild()
    kb.rebuild()
    names = {p.name for p in store.builds.iterdir()}
    assert store.current_id() in names and first not in names and half.name in names  # fresh partial build untouched


def test_search_without_an_index_says_not_ready(civic_home):
    answer = KnowledgeBase().answer("đăng ký khai sinh")
    assert answer.abstained and answer.status.value == "index_not_ready"
    assert "thử lại" in answer.text


def test_a_query_text_is_encoded_once_per_turn(embedder, monkeypatch):
    calls = []
    real = embedder._encode
    monkeypatch.setattr(embedder, "_encode", lambda texts, batch_size, show_progress=False: calls.append(texts) or real(texts, batch_size))
    first = embedder.encode_queries(["đăng ký kết hôn mất bao lâu (bộ đếm)"])
    again = embedder.encode_queries(["đăng ký kết hôn mất bao lâu (bộ đếm)"])
    assert len(calls) == 1 and (first == again).all()
    again[0, 0] = 9.0  # callers may change what they get; the kept vector stays
    assert embedder.encode_queries(["đăng ký kết hôn mất bao lâu (bộ đếm)"])[0, 0] != 9.0
    embedder.encode_queries(["một câu khác"])
    assert len(calls) == 2
