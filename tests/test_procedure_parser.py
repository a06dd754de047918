"""The portal's flattened procedure fields, parsed into structure (real records where possible)."""
import gzip
import json

import pytest

from knowledge.ingest.procedures import (
    ProcedureParseError,
    parse_channels,
    parse_documents,
    parse_legal_basis,
    parse_procedure,
    parse_results,
)
from tests.conftest import PROCEDURES, SAMPLE, needs_shared


@pytest.fixture(scope="module")
def real():
    if not PROCEDURES.exists():
        pytest.skip("../shared is absent: real procedure records not available")
    with gzip.open(PROCEDURES, "rt", encoding="utf-8") as handle:
        return {r["ma_thu_tuc"]: r for r in map(json.loads, handle)}


@needs_shared
def test_every_real_record_parses(real):
    parsed = [parse_procedure(r) for r in real.values()]
    assert len(parsed) == 2642
    with_channels = sum(1 for p in parsed if p.channels)
    assert with_channels >= 2620  # a handful of records have no usable submission table
    assert sum(1 for p in parsed if p.documents) >= 2580
    # nothing of the flattened table headers leaks into parsed values
    for p in parsed:
        for c in p.channels:
            assert "Hình thức nộp" not in c.description
        for d in p.documents:
            assert "Tên giấy tờ" not in d.name
        for r in p.results:
            assert "Từ khóa" not in r


@needs_shared
def test_birth_registration_bare_number_free_and_15h_rule(real):
    p = parse_procedure(real["1.001193"])
    assert p.name == "Thủ tục đăng ký khai sinh" and p.field_name == "Hộ tịch" and p.levels == ["Cấp xã"]
    assert [c.channel for c in p.channels] == ["Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp"]
    assert all(c.time.value == 1 and c.time.unit is None for c in p.channels)  # the portal wrote a bare "1"
    assert all(c.fee.kind == "free" for c in p.channels)
    assert p.cutoff == "15:00" and "ngày làm việc tiếp theo" in p.cutoff_note
    groups = {d.group for d in p.documents}
    assert {"Giấy tờ phải nộp", "Giấy tờ phải xuất trình"} <= groups
    assert any(d.name.startswith("Giấy chứng sinh") and d.original == 1 for d in p.documents)
    assert p.results == ["Giấy khai sinh"]
    assert p.original["ma_thu_tuc"] == "1.001193"  # the original record is kept


@needs_shared
def test_permanent_residence_fee_per_channel_with_unit(real):
    p = parse_procedure(real["1.004222"])
    fees = {c.channel: c.fee for c in p.channels}
    assert fees["Trực tuyến"].amount == 10000 and fees["Trực tuyến"].currency == "VND"
    assert fees["Trực tuyến"].per == "lần đăng ký"
    assert fees["Trực tiếp"].amount == 20000
    assert all(c.time.value == 7 and c.time.unit == "ngày làm việc" for c in p.channels)
    assert len({d.group for d in p.documents}) >= 3  # one documents table per case


@needs_shared
def test_certified_copy_two_rows_same_channel_vnd_and_usd(real):
    p = parse_procedure(real["2.000815"])
    assert [c.channel for c in p.channels] == ["Trực tiếp", "Trực tiếp"]
    assert (p.channels[0].fee.amount, p.channels[0].fee.per) == (2000, "trang")
    assert (p.channels[1].fee.amount, p.channels[1].fee.currency, p.channels[1].fee.per) == (10, "USD", "bản")
    assert p.channels[0].time.value is None and p.channels[0].time.text == "Không có thông tin"
    assert "200.000 đồng/bản" in p.channels[0].description


@needs_shared
def test_worded_time_and_missing_fee_information(real):
    p = parse_procedure(real["1.007689"])
    assert p.channels and all(c.time.text == "Không phải trả kết quả cho người nộp thuế" for c in p.channels)
    q = parse_procedure(real["1.000178"])
    assert all(c.fee.kind == "unknown" for c in q.channels)
    assert q.channels[0].time.value == 60 and "khiếu nại lần đầu" in q.channels[0].description


@needs_shared
def test_documents_with_copies_and_template_files(real):
    all_docs = [d for r in real.values() for d in parse_documents(r["thanh_phan_ho_so"])]
    assert any(d.original == 0 and d.copies == 1 for d in all_docs)
    forms = [d.form for d in all_docs if d.form]
    assert len(forms) > 1500
    assert all(f.lower().endswith((".doc", ".docx", ".pdf", ".xls", ".xlsx", ".rar", ".zip")) and len(f) > 5 for f in forms)
    # "...Nghị định số 121/2021/NĐ-CP ngày 27/12/2021;Mus08.docx1 bản chính"
    gaming = parse_documents(real["1.000823"]["thanh_phan_ho_so"])
    assert [d.form for d in gaming] == ["Mus08.docx", "Mus09.docx", None]
    assert gaming[0].name.endswith("ngày 27/12/2021") and gaming[0].original == 1


@needs_shared
def test_legal_basis_splits_glued_codes(real):
    bases = parse_legal_basis(real["1.001193"]["can_cu_phap_ly"])
    numbers = [b.number for b in bases]
    assert "60/2014/QH13" in numbers and "123/2015/NĐ-CP" in numbers and "85/2019/TT-BTC" in numbers
    assert all(not (b.number or "").endswith(("N", "T", "V")) for b in bases if b.number and "/" in b.number)


def test_channel_table_variants():
    rows = parse_channels(
        "Hình thức nộpThời gianPhí, lệ phíMô tả"
        "Trực tiếp15 NgàyMiễn phíTrực tuyến8 Giờ50,000 Việt Nam Đồng(50.000 đồng/hồ sơ)Nộp qua cổng."
        "Dịch vụ bưu chính2 Tháng1,500,000 VNĐ"
    )
    assert [(r.channel, r.time.value, r.time.unit) for r in rows] == [
        ("Trực tiếp", 15, "ngày"), ("Trực tuyến", 8, "giờ"), ("Dịch vụ bưu chính", 2, "tháng"),
    ]
    assert rows[1].fee.amount == 50000 and rows[1].fee.per == "hồ sơ" and rows[1].description == "Nộp qua cổng."
    assert rows[2].fee.render() == "1.500.000 đồng"


def test_description_mentioning_a_channel_does_not_start_a_row():
    rows = parse_channels("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việcMiễn phíTrực tuyến: nộp qua cổng.")
    assert len(rows) == 1 and rows[0].description == "Trực tuyến: nộp qua cổng."


def test_results_split_on_codes():
    assert parse_results("Giấy phépMã: KQ.G15.000168Văn bản từ chốiMã: KQ.G15.000169Từ khóaKhông có thông tinMô tảKhông có thông tin") == [
        "Giấy phép", "Văn bản từ chối",
    ]


def test_record_without_code_is_rejected_with_a_clear_reason():
    with pytest.raises(ProcedureParseError, match="mã thủ tục"):
        parse_procedure({"ten_thu_tuc": "X"})
    with pytest.raises(ProcedureParseError, match="không hợp lệ"):
        parse_procedure({"ma_thu_tuc": "abc", "ten_thu_tuc": "X"})


def test_sample_records_parse_fully():
    records = [json.loads(l) for l in (SAMPLE / "procedures.jsonl").read_text(encoding="utf-8").splitlines()]
    for record in records:
        p = parse_procedure(record)
        assert p.channels and p.documents and p.steps and p.results and p.legal_basis
    residence = parse_procedure(next(r for r in records if r["ma_thu_tuc"] == "9.000103"))
    assert {c.channel: c.fee.amount for c in residence.channels} == {"Trực tuyến": 10000, "Trực tiếp": 20000}
    assert any(d.form == "CT01.docx" for d in residence.documents)


def test_a_free_fee_cell_never_stands_next_to_the_amount_its_note_names():
    """Found by a newcomer: "• Miễn phí (- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần…)"."""
    from knowledge.answer.procedure import _fee_line
    from knowledge.ingest.procedures import ChannelOption, Duration, Fee

    def line(note):
        return _fee_line(ChannelOption("Trực tiếp", Duration(None, None, ""), Fee("free", note=note, text="Miễn phí")))

    assert line("- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.").startswith("Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.")
    assert "ô phí của Cổng Dịch vụ công ghi “Miễn phí”" in line("Theo quy định của Luật phí và lệ phí.")
    assert line("Không thu phí đối với trẻ em.") == "Miễn phí"
    assert line(None) == "Miễn phí"


def test_a_record_cut_at_its_own_section_name_is_cut_again_from_the_page():
    """The scraper cut some records where the steps say "(Thành phần hồ sơ)": the steps ended at
    "(" and the documents field held the rest of the steps (12 real BHXH records)."""
    page = ("Tên thủ tụcXTrình Tự Thực HiệnBước 1. Lập hồ sơ theo mục 3 (Thành phần hồ sơ) và nộp cho cơ quan BHXH.\n"
            "Bước 2. Nhận kết quả.Cách Thức Thực HiệnHình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí"
            "Thành phần hồ sơTên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị (Mẫu số 99-X)1 bản chínhSổ BHXH1 bản chính"
            "Căn cứ pháp lýTên văn bản pháp lýMã văn bản")
    record = {"ma_thu_tuc": "9.999999", "ten_thu_tuc": "X", "trinh_tu_thuc_hien": "Bước 1. Lập hồ sơ theo mục 3 (",
              "thanh_phan_ho_so": ") và nộp cho cơ quan BHXH.\nBước 2. Nhận kết quả.", "raw_text": page,
              "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phí"}
    proc = parse_procedure(record)
    assert proc.steps[0] == "Bước 1. Lập hồ sơ theo mục 3 (Thành phần hồ sơ) và nộp cho cơ quan BHXH."
    assert [d.name for d in proc.documents] == ["Đơn đề nghị (Mẫu số 99-X)", "Sổ BHXH"]
    full_steps = "Bước 1. Lập hồ sơ theo mục 3 (Thành phần hồ sơ) và nộp cho cơ quan BHXH.\nBước 2. Nhận kết quả."
    whole = dict(record, trinh_tu_thuc_hien=full_steps, thanh_phan_ho_so="Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn1 bản chính")
    assert parse_procedure(whole).original is not None and [d.name for d in parse_procedure(whole).documents] == ["Đơn"]  # not cut: left as it is


@needs_shared
def test_real_records_cut_by_the_scraper_get_their_documents_back(real):
    lump_sum = parse_procedure(real["1.001613"])
    assert lump_sum.steps[0].endswith("(Thành phần hồ sơ) và nộp cho cơ quan BHXH.")
    assert any("14-HSB" in d.name for d in lump_sum.documents)


def test_answers_quote_the_fact_and_put_special_cases_last():
    from knowledge.answer.procedure import documents, focus, submission_place
    from knowledge.ingest.procedures import Procedure, RequiredDocument

    long = ("Cá nhân thuộc diện quyết toán chuẩn bị hồ sơ khai thuế theo quy định, gửi đến cơ quan thuế quản lý trực tiếp "
            "nơi cư trú hoặc nơi làm việc, kèm các chứng từ khấu trừ thuế và các giấy tờ chứng minh người phụ thuộc nếu có; "
            "thời hạn nộp hồ sơ khai quyết toán chậm nhất là ngày cuối cùng của tháng thứ 4 kể từ ngày kết thúc năm dương lịch.")
    cut = focus(long, ["deadline"], limit=160)
    assert cut.startswith("…") and "chậm nhất là ngày cuối cùng của tháng thứ 4" in cut and len(cut) <= 160
    assert focus("Ngắn gọn.", ["time"]) == "Ngắn gọn."

    papers = [RequiredDocument(name="Văn bản ủy quyền trong trường hợp ủy quyền đăng ký khai tử", original=1),
              RequiredDocument(name="Tờ khai đăng ký khai tử theo mẫu", original=1),
              RequiredDocument(name="Giấy báo tử hoặc giấy tờ thay Giấy báo tử", original=1)]
    proc = Procedure(code="1.000656", name="Thủ tục đăng ký khai tử", documents=papers,
                     steps=["Người đi đăng ký nộp hồ sơ tại Trung tâm Phục vụ hành chính công cấp xã nơi cư trú cuối cùng."])
    shown = documents(proc, question="bố tôi mất, đi làm giấy báo tử cần giấy tờ gì").text.splitlines()
    assert "Giấy báo tử" in shown[1] and "trường hợp ủy quyền" in shown[-1]
    assert "Trung tâm Phục vụ hành chính công" in submission_place(proc)


def test_a_name_word_beside_a_little_word_names_no_paper():
    from knowledge.answer.procedure import documents
    from knowledge.ingest.procedures import Procedure, RequiredDocument

    papers = [RequiredDocument(name="Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có văn bản xác nhận", original=1),
              RequiredDocument(name="Tờ khai đăng ký khai sinh theo mẫu", original=1),
              RequiredDocument(name="Giấy chứng sinh", original=1)]
    proc = Procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", documents=papers)
    first = documents(proc, question="lam giay khai sinh cho con can giay to gi").text.splitlines()[1]
    assert first.startswith("• Tờ khai đăng ký khai sinh")
    asked = documents(proc, question="khai sinh cho con nhờ mang thai hộ cần giấy gì").text.splitlines()[1]
    assert "mang thai hộ" in asked


@needs_shared
def test_the_full_document_list_keeps_each_case_together(real):
    from knowledge.answer.procedure import documents

    text = documents(parse_procedure(real["1.004222"]), full=True, question="nhập hộ khẩu vào nhà thuê cần giấy gì").text
    headings = [line for line in text.splitlines() if line.endswith(":") and not line.startswith(("Thành phần", "Lưu ý"))]
    assert len(headings) >= 3 and len(headings) == len(set(headings)), headings


@needs_shared
def test_the_full_view_keeps_notes_readable(real):
    """Khai sinh's record carries ~30 notes: introductions whose list sits elsewhere ("…:") are
    left out and at most FULL_NOTES are shown, the rest pointed to at the source."""
    from knowledge.answer.procedure import FULL_NOTES, documents

    lines = documents(parse_procedure(real["1.001193"]), full=True, question="làm giấy khai sinh cần gì").text.splitlines()
    notes = [line for line in lines if line.startswith("– ")]
    assert 0 < len(notes) <= FULL_NOTES
    assert not any(line.rstrip().endswith(":") for line in notes)
    assert any(line.startswith("… và ") and "lưu ý khác" in line for line in lines)


def test_steps_shown_for_an_unanswered_aspect_come_with_the_full_view():
    """A deadline the record does not state: the steps stand in, and when they are cut ("… (N ý
    khác)") the answer is marked truncated, so "Xem đầy đủ" is offered; the full view lists them all."""
    from knowledge.answer.procedure import compose
    from knowledge.ingest.procedures import Procedure

    proc = Procedure(code="9.000001", name="Thủ tục thử", steps=[f"Bước {i}. Việc thứ {i}." for i in range(1, 8)])
    short = compose(proc, ["deadline"])
    assert "không nêu rõ điều bạn hỏi" in short.text and "ý khác" in short.text and short.truncated
    whole = compose(proc, ["deadline"], full=True)
    assert "Bước 7." in whole.text and "ý khác" not in whole.text and not whole.truncated


@needs_shared
def test_a_deadline_the_record_states_is_quoted_wherever_it_sits(real):
    """Khai tử's 15 days from the death sit among the documents' notes, where the evidence model
    rarely looks for a deadline: the answer quotes it rather than saying the record is silent; a
    processing time ("kể từ ngày nhận đủ hồ sơ") is not a deadline the citizen must meet."""
    from knowledge.answer.evidence import EvidenceModel, _plain_fact
    from knowledge.answer.procedure import compose
    from knowledge.ingest.procedures import Procedure

    evidence = EvidenceModel.load()
    question = "Bố tôi vừa mất tại nhà hôm qua, gia đình phải làm giấy báo tử trong vòng bao nhiêu ngày?"
    text = compose(parse_procedure(real["1.000656"]), ["deadline"], question, evidence).text
    assert "15 ngày kể từ ngày có người chết" in text and "không nêu rõ" not in text
    office = Procedure(code="9.000002", name="Thủ tục thử", steps=[
        "Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, cơ quan có thẩm quyền trả kết quả."])
    assert _plain_fact(["deadline"], evidence.sentences_of(office)) == []
