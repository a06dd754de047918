"""Variants of one procedure: the clarifying message states each variant's asked fact (real records)."""
import gzip
import json

import pytest

from knowledge.answer.evidence import EvidenceModel
from knowledge.answer.variants import compare, label
from knowledge.ingest.procedures import parse_procedure
from tests.conftest import PROCEDURES


@pytest.fixture(scope="module")
def real():
    if not PROCEDURES.exists():
        pytest.skip("../shared is absent: real procedure records not available")
    with gzip.open(PROCEDURES, "rt", encoding="utf-8") as handle:
        return {r["ma_thu_tuc"]: parse_procedure(r) for r in map(json.loads, handle)}


def variants(real, *codes):
    return [(code, real[code].name, real[code]) for code in codes]


def test_label_is_the_part_of_the_title_that_differs():
    province = "Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp tỉnh)"
    district = "Trình báo mất hộ chiếu phổ thông (thực hiện tại cấp huyện)"
    assert label(province, [district]) == "thực hiện tại cấp tỉnh"
    assert label("Cấp mới chứng chỉ hành nghề", ["Cấp lại chứng chỉ hành nghề"]) == "Cấp mới"
    assert label("Đăng ký xe", ["Đăng ký xe tạm thời"]) == "Đăng ký xe"  # one title starts the other: whole


def test_fees_that_differ_are_stated_per_variant(real):
    text = compare(variants(real, "1.001456", "1.001471"), ["fee"], "làm hộ chiếu hết bao nhiêu tiền", EvidenceModel.load())
    assert text is not None
    assert "thực hiện tại cấp tỉnh (mã 1.001456)" in text and "thực hiện tại cấp trung ương (mã 1.001471)" in text
    assert "160.000" in text and "200.000" in text
    assert text.endswith("Bạn chọn một trường hợp để xem đầy đủ.")


def test_a_quoted_deadline_shared_by_all_variants_is_said_once(real):
    codes = ("1.010385", "1.010386")
    text = compare(variants(real, *codes), ["deadline"], "mất hộ chiếu phải báo trong mấy ngày", EvidenceModel.load())
    assert text is not None and "02 ngày làm việc" in text


def test_long_or_overview_answers_are_not_compared(real):
    both = variants(real, "1.001456", "1.001471")
    assert compare(both, [], "làm hộ chiếu", EvidenceModel.load()) is None  # an overview: just ask which
    assert compare(both, ["documents"], "làm hộ chiếu cần giấy tờ gì", EvidenceModel.load()) is None


def test_a_fee_period_that_has_ended_is_flagged(real):
    from datetime import date

    from knowledge.answer.procedure import fee

    passport = real["1.001456"]  # "320.000đ/hộ chiếu (áp dụng đến hết ngày 31/12/2023 …)"
    later = fee(passport, today=date(2026, 12, 2)).text
    assert "áp dụng “đến hết ngày 31/12/2023”; thời hạn đó đã qua" in later
    assert "thời hạn đó đã qua" not in fee(passport, today=date(2023, 6, 1)).text


def test_a_temporary_rate_in_force_leads_the_fee(real):
    from datetime import date

    from knowledge.answer.procedure import fee

    card = real["1.000757"]  # 70.000 đồng; "Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 … bằng 50% mức thu nêu trên"
    now = fee(card, today=date(2026, 12, 2)).text
    line = next(x for x in now.splitlines() if x.startswith("• Trực tiếp"))
    assert line.startswith("• Trực tiếp: 35.000 đồng/thẻ căn cước, mức đang áp dụng đến hết ngày 31/12/2026 (bằng 50% mức thu 70.000 đồng")
    assert "Thông tư số 64/2025" in line  # the record's sentence is quoted
    later = fee(card, today=date(2027, 1, 5)).text
    assert "• Trực tiếp: 70.000 đồng/thẻ căn cước" in later and "35.000" not in later


def test_rate_in_force_reads_only_a_period_that_includes_today():
    from datetime import date

    from knowledge.answer.fee_periods import rate_in_force
    from knowledge.ingest.procedures import Fee

    note = ("100.000 đồng/lần. Kể từ ngày 01/01/2026 đến hết ngày 30/6/2026 mức thu bằng 40% mức thu quy định. "
            "- Từ ngày 01/7/2026 đến hết ngày 31/12/2026 mức thu lệ phí bằng 60% mức thu quy định.")
    cell = Fee("amount", 100000, "VND", note=note)
    assert rate_in_force(cell, date(2025, 12, 31)) is None
    assert rate_in_force(cell, date(2026, 3, 1)).amount == 40000
    assert rate_in_force(cell, date(2026, 7, 1)).amount == 60000
    assert rate_in_force(cell, date(2027, 1, 1)) is None
    assert rate_in_force(Fee("free", note="Kể từ ngày 01/01/2026 đến hết ngày 31/12/2026 miễn lệ phí"), date(2026, 5, 1)).amount is None


def test_a_paper_every_case_needs_is_listed_once_in_the_short_list(real):
    from knowledge.answer.procedure import documents

    land = real["1.013978"]  # the record repeats "Đơn đăng ký đất đai, tài sản gắn liền với đất" for each case
    form = "• Đơn đăng ký đất đai, tài sản gắn liền với đất —"
    short = documents(land, question="lam so do lan dau can giay to gi")
    assert sum(line.startswith(form) for line in short.text.splitlines()) == 1 and short.truncated
    whole = documents(land, full=True).text  # the full view keeps each case's own list
    assert sum(line.startswith(form) for line in whole.splitlines()) > 1
