"""Issue 11 behaviour on the bundled sample and on small generated procedure sets: the sample
retires when real data arrives; follow-ups use the conversation's topic; buttons open a
procedure by its code; variants get a clarifying question; answers quote the sentence asked."""
import json

import pytest
from sqlalchemy import func, select

from actions.common import button_title
from tests.conftest import SAMPLE


def record(code: str, name: str, documents: list[str] | None = None, conditions: str = "Không có thông tin") -> dict:
    docs = "".join(f"{d}1 bản chính" for d in (documents or ["Tờ khai theo mẫu"]))
    return {
        "ma_thu_tuc": code, "ten_thu_tuc": name, "cap_thuc_hien": "Cấp xã", "linh_vuc": "Thử nghiệm",
        "trinh_tu_thuc_hien": f"Bước 1: Người yêu cầu nộp hồ sơ {name.lower()} tại Ủy ban nhân dân cấp xã.\nBước 2: Trả kết quả.",
        "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việc50,000 VNĐNộp tại Ủy ban nhân dân xã",
        "thanh_phan_ho_so": "Tên giấy tờMẫu đơn, tờ khaiSố lượng" + docs,
        "yeu_cau_dieu_kien": conditions, "ket_qua_xu_ly": "Giấy phép", "co_quan_thuc_hien": "Ủy ban nhân dân cấp xã",
    }


def write_records(path, records) -> None:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")


def test_sample_is_retired_when_real_data_arrives(civic_db, embedder, tmp_path):
    from knowledge.service import KnowledgeBase
    from storage.models import Document, PlanTask
    from tasks import store

    kb = KnowledgeBase(embedder=embedder)
    report, _build = kb.ingest([SAMPLE])
    store.sync(kb.sessions)
    with kb.sessions() as session:
        assert session.scalar(select(func.count(Document.id)).where(Document.is_sample.is_(True))) == 13
        assert session.scalar(select(func.count(PlanTask.id))) > 0
    assert kb.answer("đăng ký khai sinh cần gì").sources[0].code == "9.000101"

    real = tmp_path / "real.jsonl"
    write_records(real, [record("1.234567", "Đăng ký khai sinh cho trẻ em", ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])])
    report, build = kb.ingest([real])
    assert report.retired == 13 and build is not None and "gỡ 13 tài liệu mẫu" in report.summary()
    with kb.sessions() as session:
        assert session.scalar(select(func.count(Document.id)).where(Document.is_sample.is_(True))) == 0
        assert session.scalar(select(func.count(Document.id))) == 1
        assert session.scalar(select(func.count(PlanTask.id))) == 0  # the sample plan's tasks went with it
    answer = kb.answer("lam giay khai sinh can gi")
    assert [s.code for s in answer.sources] == ["1.234567"]
    # ingesting the sample again later does not bring it back next to real data
    report, _ = kb.ingest([SAMPLE])
    assert report.retired == 13
    with kb.sessions() as session:
        assert session.scalar(select(func.count(Document.id))) == 1


def test_while_real_data_is_indexed_the_assistant_says_so(civic_db, embedder, tmp_path):
    """Between the sample's retirement and the new index (a long `civic ingest`), a question is
    told the data is being prepared, not "not found" (and is not counted as unanswered)."""
    from knowledge.ingest.pipeline import Ingestor
    from knowledge.service import KnowledgeBase

    kb = KnowledgeBase(embedder=embedder)
    kb.ingest([SAMPLE])
    real = tmp_path / "real.jsonl"
    write_records(real, [record("1.234567", "Đăng ký khai sinh cho trẻ em", ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"])])
    assert Ingestor(kb.sessions).ingest([real]).retired == 13  # the index is not rebuilt yet
    waiting = kb.answer("lam giay khai sinh can gi")
    assert waiting.status.value == "index_not_ready" and "đang được chuẩn bị dữ liệu" in waiting.text
    kb.rebuild()
    assert [s.code for s in kb.answer("lam giay khai sinh can gi").sources] == ["1.234567"]


def test_follow_ups_are_about_the_procedure_just_discussed(chat):
    c = chat()
    c.say("đăng ký kết hôn cần giấy tờ gì")
    assert "Đăng ký kết hôn (mã 9.000102)" in c.last
    c.say("còn lệ phí thì sao")
    assert "Đăng ký kết hôn (mã 9.000102)" in c.last and "Phí, lệ phí" in c.last
    c.say("nop o dau")
    assert "Đăng ký kết hôn (mã 9.000102)" in c.last and "Cơ quan thực hiện" in c.last
    c.say("mat bao lau")
    assert "Đăng ký kết hôn (mã 9.000102)" in c.last and "Thời hạn giải quyết" in c.last
    # words the record lacks, and no answer of their own: still about the procedure discussed
    c.say("bao lâu thì được duyệt")
    assert "Đăng ký kết hôn (mã 9.000102)" in c.last and "Thời hạn giải quyết" in c.last
    c.say("giá vàng hôm nay bao nhiêu")  # ... but not a question about something else entirely
    assert "9.000102" not in c.last
    # a new topic replaces the old one
    c.say("dang ky tam tru het bao nhieu tien")
    assert "(mã 9.000104)" in c.last
    c.say("nộp ở đâu")
    assert "(mã 9.000104)" in c.last


def test_a_suggestion_button_opens_the_procedure_by_its_code_and_answers_the_aspect(chat):
    c = chat()
    c.say(payload='/ask_question{"procedure":"9.000103","aspect":"fee"}')
    assert "Đăng ký thường trú (mã 9.000103)" in c.last and "10.000 đồng" in c.last
    c.say("mất bao lâu")  # the opened procedure is now the topic
    assert "(mã 9.000103)" in c.last and "7 ngày làm việc" in c.last
    c.say(payload='/ask_question{"procedure":"0.000000","aspect":"fee"}')
    assert "Không tìm thấy thủ tục này" in c.last


def test_answers_quote_the_sentence_that_holds_the_asked_fact(sample_kb):
    answer = sample_kb.answer("sinh con xong thì trong bao lâu phải đi làm giấy khai sinh")
    assert answer.sources[0].code == "9.000101" and "deadline" in answer.aspects
    assert "“" in answer.text and "60 ngày" in answer.text and "(Yêu cầu, điều kiện)" in answer.text


def test_variant_buttons_read_differently_when_one_label_is_cut():
    from actions.common import distinct_titles

    province, centre = distinct_titles(["Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)",
                                        "Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp trung ương)"])
    assert province.endswith("cấp tỉnh)") and centre.endswith("cấp trung ương)"), (province, centre)


def test_button_titles_are_cut_at_word_boundaries():
    assert button_title("Đăng ký khai sinh") == "Đăng ký khai sinh"
    title = button_title("Thủ tục đăng ký khai sinh có yếu tố nước ngoài cho người đã có hồ sơ, giấy tờ cá nhân", 40)
    assert title.endswith("…") and len(title) <= 40 and title[:-1] == title[:-1].rstrip()
    assert "Thủ tục đăng ký khai sinh có yếu tố nước ngoài cho người đã có hồ sơ".startswith(title[:-1])


@pytest.fixture
def variant_kb(civic_home, embedder, tmp_path):
    from knowledge.service import KnowledgeBase

    path = tmp_path / "variants.jsonl"
    long_list = [f"Giấy tờ số {i} về nguồn gốc tàu thuyền" for i in range(1, 10)]
    write_records(path, [
        record("5.000001", "Cấp giấy phép khai thác cát sỏi lòng sông cho hộ gia đình", long_list),
        record("5.000002", "Cấp giấy phép khai thác cát sỏi lòng sông cho doanh nghiệp", long_list),
        record("5.000003", "Đăng ký nuôi ong mật trong khu dân cư"),
        record("5.000004", "Cấp phép biểu diễn nghệ thuật quần chúng"),
    ])
    kb = KnowledgeBase(embedder=embedder)
    kb.ingest([path])
    return kb


def test_variants_the_question_does_not_decide_get_a_clarifying_question(variant_kb):
    answer = variant_kb.answer("xin giấy phép khai thác cát sỏi lòng sông cần giấy tờ gì")
    assert answer.status.value == "clarification", answer.text
    assert {s.code for s in answer.options} == {"5.000001", "5.000002"}
    decided = variant_kb.answer("doanh nghiệp xin giấy phép khai thác cát sỏi lòng sông cần giấy tờ gì")
    assert decided.status.value == "answered" and decided.sources[0].code == "5.000002"
    # a bare follow-up to the clarifying question is not about the procedure discussed before it:
    # the same choice again, for the new aspect (found on a walk: "nộp ở đâu" answered about sổ đỏ)
    assert answer.topic == "choice:5.000001,5.000002" or answer.topic == "choice:5.000002,5.000001"
    again = variant_kb.answer("nộp ở đâu", context=answer.topic)
    assert again.status.value == "clarification" and again.aspects == ["where"]
    assert {s.code for s in again.options} == {"5.000001", "5.000002"}
    other = variant_kb.answer("đăng ký nuôi ong mật cần gì", context=answer.topic)
    assert other.status.value == "answered" and other.sources[0].code == "5.000003"
    # a follow-up with a word of its own that nothing answers: still which of the two, for its aspect
    priced = variant_kb.answer("hết bao nhiêu tiền 1 bộ vậy", context=answer.topic)
    assert priced.status.value == "clarification" and priced.aspects[0] == "fee", priced.text
    assert {s.code for s in priced.options} == {"5.000001", "5.000002"}


def test_a_clarifying_question_states_the_short_fact_asked_of_each_variant(variant_kb):
    answer = variant_kb.answer("xin giấy phép khai thác cát sỏi lòng sông mất bao lâu")
    assert answer.status.value == "clarification", answer.text
    # both variants take the same time: said once, and the choice stays open with buttons
    assert "Thời hạn giải quyết (như nhau ở mọi trường hợp): Trực tiếp: 5 ngày làm việc" in answer.text or \
        "Thời hạn giải quyết (như nhau ở mọi trường hợp): 5 ngày làm việc" in answer.text, answer.text
    assert {s.code for s in answer.options} == {"5.000001", "5.000002"}
    fee = variant_kb.answer("phí", context=answer.topic)
    assert fee.status.value == "clarification" and "50.000 đồng" in fee.text, fee.text


def test_long_lists_come_compact_with_the_rest_behind_a_button(variant_kb):
    compact = variant_kb.answer_procedure("5.000001", ["documents"])
    assert compact.truncated and "… và 4 giấy tờ khác" in compact.text
    full = variant_kb.answer_procedure("5.000001", ["documents"], full=True)
    assert not full.truncated and "Giấy tờ số 9" in full.text
    assert "0 bản chính" not in compact.text + full.text


def test_a_record_without_conditions_is_not_said_to_have_none(variant_kb):
    """The portal's silence is reported as silence: general legal conditions may still apply."""
    text = variant_kb.answer_procedure("5.000003", ["conditions"]).text
    assert "không ghi yêu cầu, điều kiện riêng" in text and "không có yêu cầu" not in text, text
