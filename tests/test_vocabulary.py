"""The citizen vocabulary (knowledge/data/citizen_vocabulary.yml): shape, matching rules, and
that every official phrase is really the wording of a published procedure."""
import gzip
import json
from collections import Counter

import pytest

from knowledge.asked import asked_text, chat_style, names, short_name
from knowledge.query import prepare_query
from knowledge.vocabulary import Vocabulary
from tests.conftest import PROCEDURES, needs_shared
from vietnamese.text import folded_words

FAMILIES = ("hộ tịch", "cư trú", "căn cước", "đất đai", "xây dựng", "hộ kinh doanh", "thuế", "bảo hiểm xã hội",
            "bảo hiểm y tế", "đăng ký xe", "giấy phép lái xe", "hộ chiếu", "lý lịch tư pháp", "chứng thực")


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary.load()


def test_several_hundred_reviewed_entries_over_the_families_people_use_most(vocabulary):
    phrases = [p for e in vocabulary.entries for p in e.everyday]
    assert len(phrases) >= 500
    duplicates = [p for p, n in Counter(p.lower() for p in phrases).items() if n > 1]
    assert duplicates == []  # one meaning per everyday phrase
    present = {e.family for e in vocabulary.entries}
    assert set(FAMILIES) <= present
    for family in FAMILIES:
        assert sum(len(e.everyday) for e in vocabulary.entries if e.family == family) >= 5, family


@pytest.mark.parametrize(
    "question,official",
    [
        ("nhap ho khau cho con can gi", "đăng ký thường trú"),
        ("lm lai cccd bi mat", "cấp lại thẻ căn cước"),
        ("mất cà vẹt xe máy", "cấp lại chứng nhận đăng ký xe, biển số xe"),
        ("mat cavet", "cấp lại chứng nhận đăng ký xe, biển số xe"),
        ("sửa sai giấy khai sinh cho con", "thay đổi, cải chính, bổ sung thông tin hộ tịch"),
        ("rút bhxh 1 lần", "giải quyết hưởng bảo hiểm xã hội một lần"),
        ("mở quán tạp hóa", "đăng ký thành lập hộ kinh doanh"),
        ("báo tử cho bố", "đăng ký khai tử"),
        ("SANG TÊN SỔ ĐỎ", "chuyển nhượng, thừa kế, tặng cho quyền sử dụng đất"),
        ("mat so do thi lam sao", "cấp lại giấy chứng nhận do bị mất"),
        ("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"),
        # everyday names from the nineteenth set's tune half (written anew here)
        ("ban den ngu nho nha toi", "thông báo lưu trú"),
        ("chia lô đất cho 2 đứa con", "tách thửa hoặc hợp thửa đất"),
        ("bằng lái bị trừ hết điểm thì sao", "đăng ký kiểm tra kiến thức pháp luật về trật tự, an toàn giao thông đường bộ"),
        ("tem đăng kiểm in sai", "tem kiểm định"),
        ("tim thay ho chieu da bao mat", "khôi phục giá trị sử dụng hộ chiếu phổ thông"),
    ],
)
def test_everyday_wording_adds_the_official_one(question, official):
    assert official in prepare_query(question, None).additions


def test_a_word_typed_with_other_diacritics_is_another_word(vocabulary):
    assert vocabulary.matches("số đo nhà") == []
    assert vocabulary.matches("so do nha")  # unaccented: could be sổ đỏ
    assert vocabulary.matches("tôi muốn nhập khẩu ô tô") == []  # customs import, not residence


@pytest.mark.parametrize("question", [
    "toi muon lam lai giay do duoc khong",  # "giấy đó", not "giấy đỏ"
    "vo toi moi de lai giay to o nha",  # "mới để", not "mới đẻ"
    "khai bao kiem dich heo xuat tinh",  # "khai báo kiểm dịch", not a sword
])
def test_unaccented_phrases_that_are_mostly_other_words_add_nothing(vocabulary, question):
    assert vocabulary.matches(question) == []


def test_opening_a_company_does_not_pick_the_company_type(vocabulary):
    assert prepare_query("3 người bạn góp vốn mở công ty", None).additions == ["đăng ký thành lập doanh nghiệp"]


def test_procedures_are_indexed_with_how_people_ask_for_them():
    assert short_name("Thủ tục cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)") == "cấp lại thẻ căn cước"
    called = names("Đăng ký thường trú")
    assert called[0] == "đăng ký thường trú" and "nhập hộ khẩu" in called
    text = asked_text("Đăng ký thường trú")
    assert "nhập hộ khẩu cần giấy tờ gì" in text and "mat bao lau" in text.lower()
    assert chat_style("làm gì không được") == "lm j ko dc"


@needs_shared
def test_every_official_phrase_is_the_wording_of_a_real_procedure(vocabulary):
    titles = [" " + " ".join(folded_words(json.loads(l)["ten_thu_tuc"])) + " " for l in gzip.open(PROCEDURES, "rt", encoding="utf-8")]
    missing = [o for e in vocabulary.entries for o in e.official if not any(f" {' '.join(folded_words(o))} " in t for t in titles)]
    assert missing == []
