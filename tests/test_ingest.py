"""`civic ingest`: idempotent, updates in place, reports bad files by name — SQLite and PostgreSQL."""
import gzip
import json
import shutil

from sqlalchemy import func, select

from knowledge.ingest.pipeline import Ingestor
from storage.db import session_factory
from storage.models import Chunk, Document
from tests.conftest import PROCEDURES, SAMPLE, SEEDS, needs_shared


def counts(sessions):
    with sessions() as s:
        return s.scalar(select(func.count(Document.id))), s.scalar(select(func.count(Chunk.id)))


def test_ingest_is_idempotent_and_replaces_changed_documents(civic_db, tmp_path):
    sessions = session_factory()
    kb_dir = tmp_path / "kb"
    shutil.copytree(SAMPLE, kb_dir)
    first = Ingestor(sessions).ingest([kb_dir])
    assert (first.added, first.updated, first.unchanged, first.failed) == (13, 0, 0, [])
    docs, chunks = counts(sessions)
    assert docs == 13 and chunks > 13

    again = Ingestor(sessions).ingest([kb_dir])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 13)
    assert counts(sessions) == (docs, chunks)

    # change one procedure record and the plan's text
    records = [json.loads(l) for l in (kb_dir / "procedures.jsonl").read_text(encoding="utf-8").splitlines()]
    records[2]["cach_thuc_thuc_hien"] = records[2]["cach_thuc_thuc_hien"].replace("7 Ngày làm việc", "5 Ngày làm việc")
    (kb_dir / "procedures.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    plan = next(kb_dir.glob("*.md"))
    plan.write_text(plan.read_text(encoding="utf-8").replace("Quý I/2026.", "Quý II/2026."), encoding="utf-8")
    changed = Ingestor(sessions).ingest([kb_dir])
    assert (changed.added, changed.updated, changed.unchanged) == (0, 2, 11)
    assert counts(sessions)[0] == 13
    with sessions() as s:
        doc = s.scalar(select(Document).where(Document.code == records[2]["ma_thu_tuc"]))
        assert {c["time"]["value"] for c in doc.meta["channels"]} == {5}
        plan_doc = s.scalar(select(Document).where(Document.doc_number == "15/KH-UBND"))
        assert "Quý II/2026" in " ".join(c.text for c in plan_doc.chunks)


def test_bad_files_and_records_are_named_and_the_rest_goes_in(civic_db, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = json.loads((SAMPLE / "procedures.jsonl").read_text(encoding="utf-8").splitlines()[0])
    lines = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"ten_thu_tuc": "Không có mã"}, ensure_ascii=False), "[1, 2]"]
    (folder / "procs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (folder / "empty.md").write_text("   \n", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")  # not a knowledge file: ignored in folders
    shutil.copy(SAMPLE / "ke-hoach-15-KH-UBND-xa-mau-son-2026.md", folder / "plan.md")
    report = Ingestor(session_factory()).ingest([folder, tmp_path / "missing.pdf"])
    assert report.added == 2
    where = {w for w, _ in report.failed}
    assert {"procs.jsonl:2", "procs.jsonl:3", "procs.jsonl:4", "broken.docx", "empty.md"} <= where
    assert any("missing.pdf" in w for w in where)
    reasons = dict(report.failed)
    assert "JSON không hợp lệ" in reasons["procs.jsonl:2"] and "mã thủ tục" in reasons["procs.jsonl:3"]


def test_gzip_procedures_and_duplicates_within_a_file(civic_home, tmp_path):
    records = [json.loads(l) for l in (SAMPLE / "procedures.jsonl").read_text(encoding="utf-8").splitlines()]
    path = tmp_path / "p.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for r in records + records[:1]:
            handle.write(json.dumps(r, ensure_ascii=False) + "\n")
    report = Ingestor(session_factory()).ingest([path])
    assert report.added == 12
    assert any("lặp lại" in why for _w, why in report.failed)
    assert counts(session_factory())[0] == 12


@needs_shared
def test_real_data_ingests_without_errors(civic_home):
    sessions = session_factory()
    report = Ingestor(sessions).ingest([PROCEDURES, SEEDS])
    assert report.failed == [] and report.added == 2642 + 5
    with sessions() as s:
        keys = set(s.scalars(select(Document.key).where(Document.kind == "plan")))
    assert "plan:341/KH-UBND" in keys and len(keys) == 5
    again = Ingestor(sessions).ingest([PROCEDURES, SEEDS])
    assert again.unchanged == 2647 and again.added == again.updated == 0
