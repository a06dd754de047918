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


# ---------------------------------------------------------------------------- shapes of published plans
# Short documents written for these tests in the shapes real plans take (../shared/data/plans).

CRAWLED = """|
Bản dịch này thuộc quyền sở hữu của **
THƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép là vi phạm.
Đang tải văn bản...
**Số hiệu:**
|
41/KH-UBND
|
**Ngày ban hành:**
|
02/03/2026
|
**Tình trạng:**
|
Đã biết
|
|
**ỦY BAN NHÂN
DÂN**
**TỈNH BÌNH AN**
-------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 41/KH-UBND
|
*Bình An,
ngày 02 tháng 3 năm 2026*
|

**KẾ HOẠCH**

TRIỂN KHAI CÔNG TÁC PHÒNG CHỐNG THIÊN TAI
NĂM 2026

Căn cứ tình hình thực tế, Ủy ban nhân dân tỉnh ban hành Kế hoạch
như sau:

**I. MỤC ĐÍCH,
YÊU CẦU**

Chủ động ứng phó, giảm thiệt hại.

**II. NHIỆM VỤ,
GIẢI PHÁP**

**1. Sở Nông
nghiệp và Môi trường**

a) Rà soát phương án ứng phó thiên tai của
tỉnh, hoàn thành trước ngày 30/4/2026.

b) Tổ chức diễn tập ứng phó
bão lũ.

**2. Đề nghị: Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Hội Chữ thập đỏ tỉnh**

Vận động Nhân dân ủng hộ, giúp đỡ người dân vùng bị
thiệt hại.

**III. TỔ CHỨC THỰC HIỆN**

Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị báo cáo
về Sở Nông nghiệp và Môi trường./.


|
Nơi nhận:
- Như trên;
- Lưu: VT.
|
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Lê Văn Minh**
|


**PHỤ LỤC**

DANH MỤC NHIỆM VỤ

*(Kèm theo Kế hoạch số 41/KH-UBND ngày 02/3/2026 của Ủy ban nhân dân tỉnh)*

|
**STT**
|
**Nội dung nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn thành**
|
|
**I**
|
**CHUẨN BỊ LỰC LƯỢNG**
|
|
1
|
Kiện toàn Ban Chỉ huy phòng chống thiên tai
các cấp
|
Sở Nông nghiệp và Môi trường
|
Sở Nội vụ; UBND các xã, phường
|
Quý II/2026
|
|
2
|
Mua sắm trang thiết bị cứu hộ
|
Sở Tài chính
|
|
2026
|
Kế hoạch 41/KH-UBND năm 2026 triển khai công tác phòng chống thiên tai do tỉnh Bình An ban hành
Văn bản này chưa cập nhật nội dung Tiếng Anh
## Văn bản liên quan
Ban hành: 01/01/2026
"""


def test_a_crawled_page_with_wrapped_headings_and_an_appendix_table():
    plan = parse_plan(CRAWLED, "41-KH-UBND")
    assert (plan.doc_number, plan.place, plan.issued_date) == ("41/KH-UBND", "Bình An", date(2026, 3, 2))
    assert plan.issuer == "Ủy ban nhân dân tỉnh Bình An" and plan.signer == "Lê Văn Minh"
    assert plan.title == "Kế hoạch triển khai công tác phòng chống thiên tai năm 2026"
    # bold headings wrapped over two lines are one heading; items inherit from the unit heading
    assert plan.section("I").title == "MỤC ĐÍCH, YÊU CẦU" and plan.section("II").title == "NHIỆM VỤ, GIẢI PHÁP"
    assert plan.section("II.1").title == "Sở Nông nghiệp và Môi trường" and plan.section("II.1.b").paragraphs == ["Tổ chức diễn tập ứng phó bão lũ."]
    # the appendix: its table's group row is a section, each row one paragraph with its columns labelled
    assert plan.section("Phụ lục").kind == "appendix" and plan.section("Phụ lục").title == "Danh mục nhiệm vụ"
    rows = plan.section("Phụ lục.I").paragraphs
    assert rows[0] == ("Kiện toàn Ban Chỉ huy phòng chống thiên tai các cấp | Cơ quan chủ trì: Sở Nông nghiệp và Môi trường"
                       " | Cơ quan phối hợp: Sở Nội vụ; UBND các xã, phường | Thời gian hoàn thành: Quý II/2026")
    assert rows[1] == "Mua sắm trang thiết bị cứu hộ | Cơ quan chủ trì: Sở Tài chính | Thời gian hoàn thành: 2026"
    everything = " ".join(p for s in plan.sections for p in [s.heading, *s.paragraphs])
    assert "THƯ VIỆN" not in everything and "Văn bản liên quan" not in everything and "Tiếng Anh" not in everything


def test_markdown_table_rows_wrapped_over_two_lines():
    text = ("KẾ HOẠCH\nThử nghiệm\n\nII. NHIỆM VỤ\n\n| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |\n|---|---|---|---|\n"
            "| 1 | Rà soát danh mục thủ tục | Văn phòng HĐND và UBND xã | Quý I/2026 |\n|   | hành chính của xã |   |   |\n"
            "| 2 | Khảo sát sự hài lòng | Phòng Văn hóa - Xã hội | Tháng 6/2026 |\n")
    paragraphs, _ = assemble_paragraphs(text)
    rows = [p for p in paragraphs if p.kind == "row"]
    assert rows == ["Rà soát danh mục thủ tục hành chính của xã | Cơ quan chủ trì: Văn phòng HĐND và UBND xã | Thời gian: Quý I/2026",
                    "Khảo sát sự hài lòng | Cơ quan chủ trì: Phòng Văn hóa - Xã hội | Thời gian: Tháng 6/2026"]


def test_crawled_paragraphs_are_blank_line_blocks():
    """Crawled text wraps every paragraph; a wrap may begin with "1." or "-" and is no new item."""
    text = "\n".join(["a) Đầu đoạn"] * 3 + [""] * 0) + "\n\n" + "\n\n".join(
        ["- Ưu tiên các địa bàn cấp độ\n1. Cấp ngay nước uống cho các hộ\ndân vùng ngập.", "- Hướng dẫn người dân tổ chức chính trị\n- xã hội tại địa phương hỗ trợ."] * 5)
    paragraphs, _ = assemble_paragraphs(text)
    assert "- Ưu tiên các địa bàn cấp độ 1. Cấp ngay nước uống cho các hộ dân vùng ngập." in paragraphs
    assert "- Hướng dẫn người dân tổ chức chính trị - xã hội tại địa phương hỗ trợ." in paragraphs


def test_a_document_without_a_title_line_is_named_by_its_text_not_its_file():
    """Found on a walk: a seed plan with no heading showed as "Tài liệu 004_b335…" in the dashboard."""
    carried = parse_plan("1. Tổ chức quán triệt Chỉ thị số 07-CT/TU đến cán bộ, đảng viên.\n2. Kiểm tra, giám sát việc thực hiện.",
                         fallback_title="Tài liệu 004_x")
    assert carried.title == "Văn bản thực hiện Chỉ thị số 07-CT/TU"
    plain = parse_plan("1. Rà soát toàn bộ hồ sơ tồn đọng của xã trong tháng.\n2. Báo cáo kết quả.", fallback_title="Tài liệu 005_x")
    assert plain.title.startswith("Văn bản không có tiêu đề: “Rà soát toàn bộ hồ sơ")
