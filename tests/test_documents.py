"""A document is one document: a plan arriving again in another format, under another file name,
with a corrected sentence, or without a số hiệu of its own updates the stored one in place (same
id, tasks not duplicated, done marks kept); plans sharing a number but not an issuer or a date
stay apart; an old database's "plan:<số hiệu>" keys still match. `civic docs list / delete /
replace`: the tasks and the search index follow (KnowledgeBase.answer no longer cites a deleted
plan) and reminder subscriptions limited to a deleted plan stop, with a notice.

Real plans are read from ../shared/data/plans (0125-KH-UBND, 235-KH-UBND, 617-KH-UBND only);
without it those tests skip."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge.ingest.identity import Identity, fingerprint, number_key, similarity
from knowledge.ingest.pipeline import Ingestor, _hash
from storage.db import session_factory
from storage.models import Conversation, Document, OutboundMessage, PlanTask, PlanTaskEvent, ReminderSubscription
from tasks import progress, store
from tests.conftest import SHARED, needs_shared
from tests.test_dashboard import PLAN as DASHBOARD_PLAN

PLANS = SHARED / "data" / "plans"
REAL = "0125-KH-UBND"  # converts to .docx with the same header and tasks (tests/test_real_plans.py)
FIXED = ("nâng cao hiệu quả phục vụ Nhân dân", "nâng cao chất lượng phục vụ Nhân dân")  # a corrected sentence (task II.2.e)

PLAN_77 = DASHBOARD_PLAN  # the commune plan of the dashboard tests (77/KH-UBND)

# A plan text without a số hiệu (a draft, or the body pasted without its heading).
UNNUMBERED = """KẾ HOẠCH
Vệ sinh môi trường, phòng chống dịch bệnh mùa mưa lũ năm 2026 trên địa bàn xã

I. MỤC ĐÍCH, YÊU CẦU

1. Chủ động phòng, chống dịch bệnh sau mưa lũ; bảo đảm nguồn nước sinh hoạt sạch cho người dân các thôn vùng trũng.

2. Huy động các đoàn thể, trường học và hộ gia đình cùng tham gia tổng vệ sinh, thu gom rác thải, khơi thông cống rãnh.

II. NHIỆM VỤ

1. Tổ chức ra quân tổng vệ sinh môi trường tại các thôn, khu dân cư, chợ và trường học sau mỗi đợt mưa lớn.

- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.
- Thời gian thực hiện: trong tháng 9/2026.

2. Phun hóa chất khử khuẩn tại các khu vực ngập úng, hướng dẫn người dân xử lý nước giếng bằng cloramin B.

- Cơ quan chủ trì: Trạm Y tế xã.
- Thời gian thực hiện: chậm nhất ngày 30/9/2026.

3. Tuyên truyền trên hệ thống loa truyền thanh về cách phòng bệnh tiêu chảy, sốt xuất huyết, đau mắt đỏ sau lũ.

- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.
- Thời gian thực hiện: thường xuyên.
"""

OTHER_UNNUMBERED = """KẾ HOẠCH
Tổ chức giải bóng đá thiếu niên nhi đồng hè năm 2026

I. MỤC ĐÍCH

1. Tạo sân chơi lành mạnh cho thiếu niên, nhi đồng trong dịp hè, phát hiện năng khiếu thể thao.

II. NHIỆM VỤ

1. Xây dựng điều lệ giải, tổ chức bốc thăm chia bảng cho các đội bóng của các thôn.

- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.
- Thời gian thực hiện: chậm nhất ngày 15/6/2026.
"""


def ingest(*paths: Path):
    sessions = session_factory()
    report = Ingestor(sessions).ingest(list(paths))
    assert not report.failed, report.failed
    store.sync(sessions)
    return report


def plans() -> list[tuple[int, str]]:
    with session_factory()() as s:
        return s.execute(select(Document.id, Document.key).where(Document.kind == "plan").order_by(Document.id)).all()


def tasks_of(doc_id: int) -> list[PlanTask]:
    with session_factory()() as s:
        return list(s.scalars(select(PlanTask).where(PlanTask.document_id == doc_id).order_by(PlanTask.position)))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def real_docx(tmp_path_factory) -> Path:
    """The real plan as .docx, made once by LibreOffice from its text (as tests/test_real_plans.py does)."""
    if not PLANS.exists():
        pytest.skip("../shared/data/plans is absent (fresh clone)")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    from tests.test_real_plans import markdown_to_html

    folder = tmp_path_factory.mktemp("plan-docx")
    page = folder / "ke-hoach-thi-dua-bau-cu.html"  # another name than the .md
    page.write_text(markdown_to_html((PLANS / f"{REAL}.md").read_text(encoding="utf-8")), encoding="utf-8")
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'lo-profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(folder), str(page)],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(folder)})
    return folder / "ke-hoach-thi-dua-bau-cu.docx"


# ---------------------------------------------------------------------------- identity


def test_identity_normalises_number_issuer_and_survives_small_edits():
    assert number_key("0341 / KH–UBND") == number_key("341/kh-ubnd") == "341/kh-ubnd"
    a = Identity.of("341/KH-UBND", "Ủy ban nhân dân huyện Chợ Mới", date(2023, 2, 22))
    assert a == Identity.of("341/KH-UBND", "UBND HUYỆN CHỢ MỚI", date(2023, 2, 22))
    assert a.agreement(Identity.of("341/KH-UBND", None, date(2023, 2, 22))) == 1  # where it has them
    assert a.agreement(Identity.of("341/KH-UBND", "UBND huyện Chợ Gạo", date(2023, 2, 22))) is None
    assert a.agreement(Identity.of("341/KH-UBND", "UBND huyện Chợ Mới", date(2024, 2, 22))) is None
    base = fingerprint(UNNUMBERED)
    assert similarity(base, fingerprint(UNNUMBERED.replace("cloramin B", "Cloramin-B"))) >= 0.8
    assert similarity(base, fingerprint(OTHER_UNNUMBERED)) < 0.1


# ---------------------------------------------------------------------------- real plans


@needs_shared
def test_a_real_plan_in_another_format_name_and_with_a_correction_is_one_document(civic_db, tmp_path, real_docx):
    source = PLANS / f"{REAL}.md"
    assert ingest(source).added == 1
    [(doc_id, key)] = plans()
    assert key == "plan:0125/KH-UBND"
    tasks = tasks_of(doc_id)
    count = len(tasks)
    marked = next(t for t in tasks if t.section_path == "II.2.e")
    assert progress.set_done(session_factory(), marked.id, True, actor="vanphong", day=date(2026, 1, 5))
    subscription = subscribe("0125")

    assert ingest(real_docx).added == 0  # the same plan as .docx, under another file name
    renamed = tmp_path / "ban-sao-ke-hoach.md"
    shutil.copy(source, renamed)
    assert ingest(renamed).added == 0
    corrected = write(tmp_path, "ke-hoach-da-sua.md", source.read_text(encoding="utf-8").replace(*FIXED))
    assert corrected.read_text(encoding="utf-8") != source.read_text(encoding="utf-8")
    assert ingest(corrected).updated == 1
    assert ingest(corrected).unchanged == 1  # the same content again: nothing to do

    assert plans() == [(doc_id, key)]  # one document, the same id
    after = tasks_of(doc_id)
    assert len(after) == count
    kept = next(t for t in after if t.section_path == "II.2.e")
    assert "chất lượng" in kept.title and kept.id == marked.id and kept.completed_on == date(2026, 1, 5)  # the mark survives
    assert sum(1 for t in after if t.completed_on) == 1
    with session_factory()() as s:
        assert s.get(ReminderSubscription, subscription).active  # a plan updated in place keeps its subscriptions

    assert ingest(PLANS / "235-KH-UBND.md", PLANS / "617-KH-UBND.md").added == 2  # different plans: different documents
    assert len(plans()) == 3


# ---------------------------------------------------------------------------- synthetic plans


def test_a_plan_without_a_number_is_identified_by_its_content(civic_db, tmp_path):
    ingest(write(tmp_path, "ve-sinh-moi-truong.txt", UNNUMBERED))
    [(doc_id, key)] = plans()
    assert ingest(write(tmp_path, "ke-hoach-ve-sinh-ban-2.md", UNNUMBERED)).added == 0  # another name and format
    fixed = UNNUMBERED.replace("cloramin B", "Cloramin B đúng liều lượng")
    report = ingest(write(tmp_path, "ke-hoach-ve-sinh-da-sua.txt", fixed))
    assert (report.added, report.updated) == (0, 1)
    assert plans() == [(doc_id, key)] and len(tasks_of(doc_id)) == 3
    assert ingest(write(tmp_path, "bong-da.txt", OTHER_UNNUMBERED)).added == 1
    assert len(plans()) == 2


def test_same_number_other_issuer_or_date_are_other_documents(civic_db, tmp_path):
    other_commune = PLAN_77.replace("XÃ MẪU SƠN", "XÃ CAO LỘC").replace("Mẫu Sơn, ngày", "Cao Lộc, ngày")
    other_year = PLAN_77.replace("ngày 02 tháng 11 năm 2026", "ngày 05 tháng 01 năm 2027")
    ingest(write(tmp_path, "a.txt", PLAN_77), write(tmp_path, "b.txt", other_commune), write(tmp_path, "c.txt", other_year))
    keys = [key for _id, key in plans()]
    assert len(keys) == 3 and keys[0] == "plan:77/KH-UBND" and len(set(keys)) == 3
    again = ingest(write(tmp_path, "a-copy.txt", PLAN_77), write(tmp_path, "b-copy.txt", other_commune))
    assert again.unchanged == 2 and len(plans()) == 3


def test_an_old_database_key_still_matches(civic_db, tmp_path):
    """Rows written before identities and fingerprints ("plan:<số hiệu>", the raw text's hash)."""
    path = write(tmp_path, "ke-hoach-77.txt", PLAN_77)
    ingest(path)
    with session_factory()() as s, s.begin():
        doc = s.scalar(select(Document))
        doc.meta = {k: v for k, v in doc.meta.items() if k not in ("identity", "fingerprint")}
        doc.content_hash = _hash(PLAN_77.encode("utf-8"))
        doc_id = doc.id
    assert ingest(path).unchanged == 1
    assert ingest(write(tmp_path, "kh-77-sua.txt", PLAN_77.replace("nhà văn hóa", "nhà văn hóa, sân thể thao"))).updated == 1
    assert plans() == [(doc_id, "plan:77/KH-UBND")]
    unnumbered = write(tmp_path, "draft.txt", UNNUMBERED)
    ingest(unnumbered)
    with session_factory()() as s, s.begin():
        doc = s.scalar(select(Document).where(Document.doc_number.is_(None)))
        doc.meta = {k: v for k, v in doc.meta.items() if k != "fingerprint"}
    assert ingest(write(tmp_path, "draft-again.md", UNNUMBERED)).added == 0 and len(plans()) == 2


def test_a_procedure_is_replaced_by_the_record_with_its_code(civic_db, tmp_path):
    from knowledge.ingest.pipeline import ReplaceError
    from tests.conftest import SAMPLE

    records = [json.loads(line) for line in (SAMPLE / "procedures.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    Ingestor(session_factory()).ingest([SAMPLE / "procedures.jsonl"])
    with session_factory()() as s:
        doc_id, code, title = s.execute(select(Document.id, Document.code, Document.title).where(Document.kind == "procedure")
                                        .order_by(Document.id)).first()
    record = next(r for r in records if code in json.dumps(r, ensure_ascii=False))
    changed = json.loads(json.dumps(record, ensure_ascii=False).replace(title, title + " (sửa đổi)", 1))
    path = write(tmp_path, "mot-thu-tuc.jsonl", json.dumps(changed, ensure_ascii=False) + "\n")
    assert Ingestor(session_factory()).replace(doc_id, path).updated == 1
    assert Ingestor(session_factory()).replace(doc_id, path).unchanged == 1
    with session_factory()() as s:
        assert s.get(Document, doc_id).title == title + " (sửa đổi)" and s.scalar(select(func.count(Document.id))) == len(records)
    other = next(r for r in records if r is not record)
    with pytest.raises(ReplaceError, match=f"không có thủ tục mã {code}"):
        Ingestor(session_factory()).replace(doc_id, write(tmp_path, "khac.jsonl", json.dumps(other, ensure_ascii=False) + "\n"))
    with pytest.raises(ReplaceError, match="Thủ tục chỉ thay được"):
        Ingestor(session_factory()).replace(doc_id, write(tmp_path, "kh.txt", PLAN_77))


# ---------------------------------------------------------------------------- civic docs


def subscribe(plan_number: str | None, agency: str = "Công an xã") -> int:
    with session_factory()() as s:
        conversation = Conversation(channel="telegram", user_id=f"official-{plan_number}", chat_id="5001", state={})
        s.add(conversation)
        s.flush()
        sub = ReminderSubscription(conversation_id=conversation.id, agency_id="cong-an-xa", agency_name=agency, plan_number=plan_number)
        s.add(sub)
        s.commit()
        return sub.id


def cited(kb, question: str) -> set[str]:
    answer = kb.answer(question)
    return {s.get("doc_number") or s.get("id") for s in answer.to_json()["sources"]} | ({"77"} if "77/KH-UBND" in answer.text else set())


def test_cli_lists_replaces_and_deletes_documents(civic_db, tmp_path, embedder, capsys):
    from bot.cli import main
    from knowledge.service import default_knowledge_base

    kb = default_knowledge_base()
    kb._embedder = embedder
    kb.ingest([write(tmp_path, "kh77.txt", PLAN_77), write(tmp_path, "ve-sinh.txt", UNNUMBERED)])
    store.sync(session_factory())
    only_77, everything = subscribe("77"), subscribe(None)
    capsys.readouterr()

    assert main(["docs", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 2
    plan = next(i for i in listed["items"] if i["doc_number"] == "77/KH-UBND")
    assert (plan["kind"], plan["issuer"], plan["issued_date"], plan["tasks"]) == ("plan", "Ủy ban nhân dân xã Mẫu Sơn", "2026-11-02", 2)
    assert main(["docs", "list", "--kind", "plan", "--query", "ngay hoi chuyen doi so"]) == 0
    out = capsys.readouterr().out
    assert f"#{plan['id']}" in out and "77/KH-UBND" in out and "vệ sinh" not in out and "1 tài liệu" in out

    question = "ngày hội chuyển đổi số tổ chức ở đâu?"
    assert "77/KH-UBND" in cited(kb, question)
    fixed = write(tmp_path, "kh77-sua.txt", PLAN_77.replace("nhà văn hóa các thôn", "nhà văn hóa các thôn và sân Ủy ban"))
    assert main(["docs", "replace", str(plan["id"]), str(fixed)]) == 0
    assert "đã thay bằng" in capsys.readouterr().out
    with session_factory()() as s:
        doc = s.get(Document, plan["id"])
        assert "sân Ủy ban" in doc.original and s.scalar(select(func.count(Document.id))) == 2
    assert main(["docs", "replace", str(plan["id"]), str(write(tmp_path, "khac.txt", OTHER_UNNUMBERED))]) == 0  # a plan may replace a plan
    assert main(["docs", "replace", str(plan["id"]), str(fixed)]) == 0
    assert main(["docs", "replace", str(plan["id"]), str(tmp_path / "ve-sinh.txt")]) == 1  # that text is another stored document
    assert "tài liệu khác" in capsys.readouterr().err

    assert main(["docs", "delete", str(plan["id"])]) == 0
    out = capsys.readouterr().out
    assert "Đã xóa" in out and "2 nhiệm vụ" in out and "dừng 1 đăng ký" in out
    assert tasks_of(plan["id"]) == [] and len(plans()) == 1
    assert "77/KH-UBND" not in cited(kb, question)  # the index followed
    with session_factory()() as s:
        assert {sub.id: sub.active for sub in s.scalars(select(ReminderSubscription))} == {only_77: False, everything: True}
        notice = s.scalar(select(OutboundMessage).where(OutboundMessage.kind == "notice"))
    assert "77 đã được gỡ" in notice.text
    assert main(["docs", "delete", str(plan["id"])]) == 1
    assert main(["docs", "replace", "999999", str(fixed)]) == 1


def test_deleting_a_plan_keeps_the_audit_of_its_tasks(civic_db, tmp_path):
    from knowledge.service import KnowledgeBase

    ingest(write(tmp_path, "kh77.txt", PLAN_77))
    [(doc_id, _key)] = plans()
    task = tasks_of(doc_id)[0]
    progress.set_done(session_factory(), task.id, True, actor="admin", day=date(2026, 12, 1))
    gone = KnowledgeBase(session_factory()).delete_document(doc_id, rebuild=False)
    assert gone["doc_number"] == "77/KH-UBND"
    with session_factory()() as s:
        event = s.scalar(select(PlanTaskEvent))
        assert s.scalar(select(func.count(PlanTask.id))) == 0
    assert (event.task_id, event.document_id, event.plan, event.title, event.action) == (None, None, "77/KH-UBND", task.title, "done")


# ---------------------------------------------------------------------------- the dashboard

PASSWORD = "matkhau-an-toan-2026"


def wait_for_job(client, location: str) -> dict:
    import time

    job_id = int(location.rsplit("/", 1)[-1])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(f"/admin/knowledge/jobs/{job_id}/progress").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError("the background job did not finish")


def test_dashboard_lists_replaces_and_deletes_documents(civic_db, tmp_path, embedder, monkeypatch):
    import re

    from fastapi.testclient import TestClient

    from accounts import users
    from bot.admin import knowledge_views
    from bot.server import create_app
    from knowledge.service import default_knowledge_base
    from tests.conftest import RELAY

    kb = default_knowledge_base()
    kb._embedder = embedder
    kb.ingest([write(tmp_path, "kh77.txt", PLAN_77), write(tmp_path, "ve-sinh.txt", UNNUMBERED)])
    store.sync(session_factory())
    subscribe("77")
    users.create(session_factory(), "admin", PASSWORD, "admin")
    users.create(session_factory(), "congan", PASSWORD, "officer", "cong-an-xa")
    plan_id = next(i for i, key in plans() if key == "plan:77/KH-UBND")
    app = create_app()

    def signed_in(name: str) -> TestClient:
        client = TestClient(app, headers=RELAY)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin/login").text).group(1)
        client.post("/admin/login", data={"username": name, "password": PASSWORD, "csrf_token": token})
        return client

    def csrf(client, path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)

    officer = signed_in("congan")
    assert officer.get("/admin/knowledge").status_code == 403
    assert officer.get(f"/admin/knowledge/documents/{plan_id}").status_code == 403
    assert officer.post(f"/admin/knowledge/documents/{plan_id}/delete", data={"csrf_token": csrf(officer, "/admin/tasks"), "confirm": "yes"}).status_code == 403

    admin = signed_in("admin")
    listing = admin.get("/admin/knowledge").text
    row = re.search(rf'<tr id="doc-{plan_id}">(.*?)</tr>', listing, re.S).group(1)
    for shown in ("Kế hoạch", "77/KH-UBND", "Ủy ban nhân dân xã Mẫu Sơn", "02/11/2026", "Ngày hội chuyển đổi số", "<td>2</td>"):
        assert shown in row, shown
    assert "2 tài liệu" in listing
    found = admin.get("/admin/knowledge", params={"q": "ve sinh moi truong"}).text
    assert "1 tài liệu" in found and "vệ sinh môi trường" in found and f'id="doc-{plan_id}"' not in found
    assert "Chưa có tài liệu nào" in admin.get("/admin/knowledge", params={"kind": "procedure"}).text
    monkeypatch.setattr(knowledge_views, "PER_PAGE", 1)
    paged = admin.get("/admin/knowledge", params={"page": 2}).text
    assert "trang 2/2" in paged and len(re.findall(r'<tr id="doc-', paged)) == 1 and 'href="/admin/knowledge?page=1"' in paged

    detail = admin.get(f"/admin/knowledge/documents/{plan_id}").text
    assert f"/admin/knowledge/documents/{plan_id}/replace" in detail and f"/admin/knowledge/documents/{plan_id}/delete" in detail
    token = csrf(admin, f"/admin/knowledge/documents/{plan_id}")
    fixed = PLAN_77.replace("nhà văn hóa các thôn", "nhà văn hóa các thôn và sân Ủy ban").encode()
    replaced = admin.post(f"/admin/knowledge/documents/{plan_id}/replace", data={"csrf_token": token},
                          files={"file": ("ke-hoach-77-ban-sua.md", fixed, "text/markdown")}, follow_redirects=False)
    assert replaced.status_code == 303
    job = wait_for_job(admin, replaced.headers["location"])
    assert job["status"] == "done" and "đã thay" in job["message"], job
    assert plans()[0] == (plan_id, "plan:77/KH-UBND") and len(plans()) == 2 and len(tasks_of(plan_id)) == 2
    with session_factory()() as s:
        assert "sân Ủy ban" in s.get(Document, plan_id).original
    assert "sân Ủy ban" in kb.answer("ngày hội chuyển đổi số tổ chức ở đâu?").text  # the index followed

    assert admin.post(f"/admin/knowledge/documents/{plan_id}/delete", data={"confirm": "yes"}).status_code == 403  # no CSRF token
    assert admin.post(f"/admin/knowledge/documents/{plan_id}/delete", data={"csrf_token": token}).status_code == 400  # not confirmed
    deleted = admin.post(f"/admin/knowledge/documents/{plan_id}/delete", data={"csrf_token": token, "confirm": "yes"}, follow_redirects=False)
    job = wait_for_job(admin, deleted.headers["location"])
    assert job["status"] == "done" and "Đã xóa" in job["message"] and "dừng 1 đăng ký" in job["message"], job
    assert len(plans()) == 1 and tasks_of(plan_id) == []
    assert "77/KH-UBND" not in cited(kb, "ngày hội chuyển đổi số tổ chức ở đâu?")
    assert admin.get(f"/admin/knowledge/documents/{plan_id}").status_code == 404
