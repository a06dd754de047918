"""Officials' and citizens' questions on real plans (issue 13): the tune half of the questions
written for four labelled plans of ../shared/data/plans, through the chat (deadline and list
questions) and the knowledge answer (content questions: the cited section holds the answer).
The test half is reported by `scripts/eval_plan_questions.py --half test` (in the note), never
tuned on. Plus the reading of task questions on small made-up cases."""
import json
from datetime import date

import pytest

from tests.conftest import ROOT, SHARED, needs_shared

EVAL = ROOT / "tests" / "data" / "eval" / "plans"
DOCS = ["09-CT-UBND", "182-KH-UBND", "235-KH-UBND", "617-KH-UBND"]


@pytest.fixture(scope="module")
def plans_home(tmp_path_factory, embedder):
    from tests.conftest import temporary_home

    with temporary_home(tmp_path_factory.mktemp("plans-home")):
        from knowledge.service import KnowledgeBase
        from storage.db import session_factory
        from tasks import store

        kb = KnowledgeBase(embedder=embedder)
        report, _build = kb.ingest([SHARED / "data" / "plans" / f"{d}.md" for d in DOCS])
        assert not report.failed, report.failed
        store.sync(session_factory())
        yield kb


def _questions(kind: str) -> list[dict]:
    from core.holdout import select

    rows = [json.loads(line) for d in DOCS for line in (EVAL / f"questions_{d}.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [r for r in select(rows, "tune") if r["type"] == kind]


@needs_shared
def test_deadline_and_list_questions_through_the_chat(plans_home, nlu):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from eval_plan_questions import NO_DEADLINE, _lead_words, folded

    from dialogue.engine import Engine

    engine = Engine(nlu=nlu)
    right = []
    for n, row in enumerate(_questions("deadline")):
        text = "\n".join(m.text for m in engine.handle("web", f"official-{n}", text=row["question"]).messages)
        gold = row["gold"]
        if gold["answer"] == "date":
            ok = f"{date.fromisoformat(gold['due']):%d/%m/%Y}" in text
        elif gold["answer"] == "none":
            ok = bool(NO_DEADLINE.search(text))
        else:
            ok = all(_lead_words(t) in folded(text) for t in gold["tasks"])
        right.append(ok)
        if gold["answer"] == "list":  # every task with its section
            assert "Mục " in text, text
    assert sum(right) / len(right) >= 0.8, right


@needs_shared
def test_content_answers_cite_the_section_that_holds_the_answer(plans_home):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from eval_plan_questions import section_hit

    rows = _questions("content")
    hits = []
    for row in rows:
        answer = plans_home.answer(row["question"])
        top = answer.sources[0] if answer.sources and not answer.abstained else None
        text = plans_home.load_chunk_texts([top.hit.meta.chunk_id]).get(top.hit.meta.chunk_id, "") if top else ""
        hits.append(bool(top) and section_hit(top, row["gold_section"], row["gold_quote"], text))
        if top:  # a plan answer names its number, issuer, date and section
            assert top.doc_number and "số " + top.doc_number in answer.text and "mục " in answer.text.lower(), answer.text
    assert sum(hits) / len(hits) >= 0.6, hits


def test_reading_task_questions():
    from tasks.ask import Plan, _asked_unit, _unit_forms, find_plans

    plans = [Plan(1, "88/KH-UBND", "Kế hoạch tổ chức phiên chợ nông sản an toàn", "Ủy ban nhân dân xã Hòa An", "Hòa An", date(2026, 3, 5), None),
             Plan(2, "88/KH-UBND", "Kế hoạch phòng chống dịch bệnh gia súc", "Ủy ban nhân dân tỉnh Cà Mau", "Cà Mau", date(2025, 1, 2), None),
             Plan(3, "12/CT-UBND", "Chỉ thị về phòng cháy chữa cháy mùa khô", "Ủy ban nhân dân tỉnh Cà Mau", "Cà Mau", None, None)]
    assert [p.id for p in find_plans(plans, "kh 88 ca mau giao ai chu tri")] == [2]
    assert [p.id for p in find_plans(plans, "phien cho nong san an toan hop o dau")] == [1]
    assert find_plans(plans, "thủ tục đăng ký khai sinh cần gì") == []
    assert [p.id for p in find_plans(plans, "chỉ thị 12 phòng cháy mùa khô")] == [3]
    assert "so nnmt" in _unit_forms("Sở Nông nghiệp và Môi trường") and "ubnd xa phuong" in _unit_forms("UBND các xã, phường")
    names = ["Sở Nông nghiệp và Môi trường", "Sở Y tế", "UBND các xã, phường", "Công an tỉnh"]
    assert _asked_unit("ct 09 giao sở NN&MT chủ trì mấy việc", names) == "Sở Nông nghiệp và Môi trường"
    assert _asked_unit("ủy ban nhân dân xã phường phải làm gì", names) == "UBND các xã, phường"
    assert _asked_unit("cong an tinh duoc giao viec gi", names) == "Công an tỉnh"


def test_officials_shorten_unit_names():
    from tasks.ask import _asked_unit

    units = ["Ban Quản lý Khu kinh tế Đông Nam", "Sở Tài nguyên và Môi trường", "Sở Giáo dục và Đào tạo"]
    assert _asked_unit("bql kkt đông nam được giao mấy việc", units) == "Ban Quản lý Khu kinh tế Đông Nam"
    assert _asked_unit("so tnmt phai lam gi", units) == "Sở Tài nguyên và Môi trường"
    assert _asked_unit("sở gd&đt chủ trì việc gì", units) == "Sở Giáo dục và Đào tạo"
    # one kind of a list of local authorities, and an abbreviation no longer loses to a shorter full name
    local = ["UBND các xã, phường, đặc khu", "Ngân hàng Nhà nước Khu vực 12", "Bộ Chỉ huy Quân sự tỉnh", "phòng chống ma túy"]
    assert _asked_unit("ubnd phường bên em phải làm gì", local) == "UBND các xã, phường, đặc khu"
    assert _asked_unit("nhnn khu vực 12 có việc gì", local) == "Ngân hàng Nhà nước Khu vực 12"
    assert _asked_unit("bộ chqs tỉnh chủ trì việc gì trong kế hoạch phòng chống ma túy", local) == "Bộ Chỉ huy Quân sự tỉnh"


def test_a_year_in_the_plans_title_names_the_plan_not_a_period():
    from tasks.ask import Plan, _names_the_plan

    plan = Plan(1, "235/KH-UBND", "Kế hoạch quan trắc môi trường nuôi trồng thủy sản năm 2026", "UBND tỉnh Thanh Hóa",
                "Thanh Hóa", date(2025, 11, 18), None)
    year = (date(2026, 1, 1), date(2026, 12, 31))
    question = "Sở NN&MT phải làm những việc gì trong kế hoạch quan trắc năm 2026?"
    assert _names_the_plan(question, {"start": question.index("năm 2026")}, year, [plan])
    asked = "Sở NN&MT có những việc gì phải xong trong năm 2026?"
    assert not _names_the_plan(asked, {"start": asked.index("năm 2026")}, year, [plan])  # "trong năm 2026": a period
    other = Plan(2, "12/KH-UBND", "Kế hoạch phòng chống dịch", "UBND tỉnh Cà Mau", "Cà Mau", date(2025, 1, 2), None)
    assert not _names_the_plan(question, {"start": question.index("năm 2026")}, year, [other])
