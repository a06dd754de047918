"""Plan documents: metadata, section tree by the document's own numbering, footnotes,
layout repair; real seeds plus .md/.docx/.pdf fixtures made for these tests."""
from datetime import date
from pathlib import Path

import pytest

from knowledge.chunks import plan_chunks
from knowledge.ingest.plan_text import assemble_paragraphs, render_footnotes
from knowledge.ingest.plans import PlanParseError, parse_plan
from knowledge.ingest.readers import UnreadableFile, read_plan_text
from tests.conftest import SAMPLE, SEEDS, needs_shared
from tests.docs_fixtures import FOOTNOTE, LONG_TASK, SECTIONS, SIGNER, build_docx, build_pdf


def seed(name: str):
    path = next(SEEDS.glob(f"{name}_*.txt"))
    return parse_plan(path.read_text(encoding="utf-8"), fallback_title=path.stem)


def text_of(plan, path):
    section = plan.section(path)
    return render_footnotes(" ".join([section.heading, *section.paragraphs]), plan.footnotes)


@needs_shared
def test_cho_moi_plan_metadata():
    plan = seed("003")
    assert plan.doc_number == "341/KH-UBND"
    assert plan.place == "Chợ Mới" and plan.issued_date == date(2023, 2, 22)
    assert plan.issuer == "Ủy ban nhân dân huyện Chợ Mới"
    assert plan.title == "Kế hoạch nâng cao chất lượng hiệu quả công tác cải cách hành chính trên địa bàn huyện Chợ Mới"
    assert plan.signer == "Cù Minh Trọng" and "CHỦ TỊCH" in plan.signer_title
    assert "Phòng Nội vụ;" in plan.recipients


@needs_shared
def test_cho_moi_section_tree_follows_the_numbering():
    plan = seed("003")
    paths = [s.path for s in plan.sections]
    assert paths[:4] == ["I", "I.1", "I.2", "II"]
    assert {"II.4", "II.4.a", "II.4.b", "II.10", "III", "IV", "V"} <= set(paths)
    a = plan.section("II.4.a")
    assert a.title == "Đối với công tác kiểm tra CCHC, kiểm tra công vụ"
    assert plan.sections[a.parent].path == "II.4"
    # emphasis markers are gone
    assert "*" not in text_of(plan, "II.1")
    assert "- Cơ quan thực hiện: Phòng Nội vụ; các ngành liên quan, UBND xã - thị trấn." in plan.section("II.1").paragraphs


@needs_shared
def test_cho_moi_footnotes_attach_where_referenced_and_page_breaks_are_repaired():
    plan = seed("003")
    labels = {s.path: [plan.footnotes[i].label for i in s.footnotes] for s in plan.sections}
    assert labels["I.1"] == ["1"] and labels["II.2"] == ["3", "4"] and labels["II.4.a"] == ["5", "6"]
    # the second "⁽¹⁾" of the document belongs to section IV, not to I.1
    iv = [plan.footnotes[i] for i in plan.section("IV").footnotes]
    assert iv[0].label == "1" and iv[0].text.startswith("Chế độ thông tin báo cáo")
    # a paragraph cut by a page break (footnotes in between) is one paragraph again
    assert "với tinh thần câu thị, lắng nghe" in text_of(plan, "II.4.a")
    assert "tuyên truyền, vận động và đẩy mạnh thực hiện việc giám sát" in text_of(plan, "II.10")


@needs_shared
def test_other_seeds():
    ninh_son = seed("000")
    assert ninh_son.title == "Kế hoạch nâng cao kết quả cải cách hành chính của huyện (PAR INDEX)"
    assert ninh_son.issuer == "Ủy ban nhân dân huyện Ninh Sơn" and ninh_son.signer == "Kiều Tấn Thịnh"
    assert "19/10/2022 của Ủy ban nhân dân huyện Ninh Sơn" in text_of(ninh_son, "III.2")  # "ngày" + page break + date
    assert "đơn vị sự nghiệp để tham mưu kiện toàn" in text_of(ninh_son, "IV.3")
    dong_son = seed("001")
    assert dong_son.doc_number is None and dong_son.date_text == "ngày tháng 01 năm 2024"
    assert dong_son.issuer == "Ủy ban nhân dân xã Đông Sơn"
    assert {"II.1.1", "II.1.2", "II.6.1"} <= {s.path for s in dong_son.sections}
    nam_tra_my = seed("002")
    assert nam_tra_my.title_derived and "SIPAS" in nam_tra_my.title
    assert nam_tra_my.issuer == "Ủy ban nhân dân huyện Nam Trà My"
    untitled = seed("004")
    assert [s.path for s in untitled.sections] == ["1", "2", "3", "4", "5", "6", "7"]
    term = [untitled.footnotes[i] for i in untitled.section("3").footnotes]
    assert term and "SIPAS: Chỉ số hài lòng" in term[0].text


def test_sample_markdown_plan_with_heading_table():
    plan = parse_plan(read_plan_text(SAMPLE / "ke-hoach-15-KH-UBND-xa-mau-son-2026.md"), "x")
    assert (plan.doc_number, plan.place, plan.issued_date) == ("15/KH-UBND", "Mẫu Sơn", date(2026, 1, 12))
    assert plan.issuer == "Ủy ban nhân dân xã Mẫu Sơn" and plan.signer == "Trần Văn Mẫu"
    assert plan.title == "Kế hoạch cải cách hành chính và nâng cao chỉ số hài lòng của người dân năm 2026"
    assert {"III.4.a", "III.4.b", "IV"} <= {s.path for s in plan.sections}


@pytest.mark.parametrize("builder", [build_docx, build_pdf], ids=["docx", "pdf"])
def test_docx_and_pdf_plans(tmp_path, builder):
    path = builder(tmp_path / f"plan.{builder.__name__.split('_')[1]}")
    plan = parse_plan(read_plan_text(path), fallback_title=path.stem)
    assert plan.doc_number == "27/KH-UBND" and plan.issued_date == date(2026, 3, 5)
    assert plan.issuer == "Ủy ban nhân dân xã Hòa Bình" and plan.signer == SIGNER
    assert plan.title == "Kế hoạch tăng cường kỷ luật, kỷ cương hành chính năm 2026"
    assert [s.path for s in plan.sections] == SECTIONS  # docx: "1.", "2." come from Word's list numbering
    task = plan.section("II.1.a")
    assert render_footnotes(task.paragraphs[0], plan.footnotes) == "- " + LONG_TASK.replace("⁽¹⁾", "[1]")
    assert [plan.footnotes[i].text for i in task.footnotes] == [FOOTNOTE]
    assert "Cơ quan chủ trì: Văn phòng HĐND và UBND xã." in task.paragraphs[1]


def test_hard_wraps_are_joined_but_headings_and_bullets_stay():
    text = "II. NHIỆM VỤ\n1. Kiểm tra\n- Tổ chức kiểm tra việc chấp hành\ngiờ giấc làm việc.\n- Báo cáo kết quả."
    paragraphs, _ = assemble_paragraphs(text)
    assert paragraphs == ["II. NHIỆM VỤ", "1. Kiểm tra", "- Tổ chức kiểm tra việc chấp hành giờ giấc làm việc.", "- Báo cáo kết quả."]


def test_numbers_like_amounts_are_not_headings():
    paragraphs, _ = assemble_paragraphs("Mức thu:\n1.000 đồng mỗi trang.")
    assert paragraphs == ["Mức thu:", "1.000 đồng mỗi trang."]


def test_chunks_carry_citation_metadata():
    plan = parse_plan(read_plan_text(SAMPLE / "ke-hoach-15-KH-UBND-xa-mau-son-2026.md"), "x")
    chunks = plan_chunks(plan)
    by_section = {c.section: c for c in chunks}
    assert by_section[None].section_title == "Phần mở đầu"
    assert by_section["III.4.a"].section_title == "III. NHIỆM VỤ, GIẢI PHÁP › 4. Chuyển đổi số › a) Nâng tỷ lệ hồ sơ nộp trực tuyến"
    assert "15/KH-UBND" in by_section["III.4.a"].search_text
    # the footnote explaining SIPAS travels with the section that uses it
    assert "[1] SIPAS: Chỉ số hài lòng" in by_section["I.1"].text


def test_unreadable_and_empty_files(tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(UnreadableFile, match="hong.docx"):
        read_plan_text(broken)
    with pytest.raises(UnreadableFile, match="không được hỗ trợ"):
        read_plan_text(tmp_path / "a.xlsx")
    with pytest.raises(PlanParseError):
        parse_plan("   \n\n  ", "x")
