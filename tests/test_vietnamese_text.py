import unicodedata

import pytest

from core.privacy import mask_name, mask_pii
from vietnamese.abbreviations import expand
from vietnamese.diacritics import DiacriticRestorer
from vietnamese.text import accent_ratio, fold, fold_key, folded_words, has_diacritics, nfc


def test_fold_removes_every_mark_and_d_stroke():
    assert fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh"
    assert fold("Ủy ban nhân dân huyện Chợ Mới") == "uy ban nhan dan huyen cho moi"


def test_nfd_input_is_composed_before_folding():
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert decomposed != "Hộ tịch"
    assert nfc(decomposed) == "Hộ tịch"
    assert fold(decomposed) == "ho tich"


@pytest.mark.parametrize("a,b", [("đăng ký", "dang ki"), ("lý lịch", "li lich"), ("Quý I", "qui i"), ("mỹ thuật", "mi thuat")])
def test_i_y_spelling_variants_share_a_key(a, b):
    assert fold_key(a) == fold_key(b)


def test_i_y_unification_keeps_diphthongs():
    assert folded_words("tuy nhiên") == ["tuy", "nhien"]
    assert folded_words("y tế") == ["y", "te"]


def test_accent_ratio_tells_unaccented_text():
    assert accent_ratio("thu tuc dang ky khai sinh") == 0.0
    assert accent_ratio("thủ tục đăng ký khai sinh") > 0.5
    assert has_diacritics("hộ") and not has_diacritics("ho")


def test_chat_abbreviations_are_replaced():
    e = expand("cho e hoi lam cccd can j ko")
    assert e.text == "cho em hoi lam căn cước công dân can gì không"
    assert e.additions == []  # everyday names of procedures: knowledge/data/citizen_vocabulary.yml
    assert expand("phòng tp").additions == ["phòng tư pháp"]


def test_plan_abbreviation_for_officials():
    assert expand("kh 341 giao phong nao").text.startswith("kế hoạch 341")
    assert expand("bdh cchc").text == "ban điều hành cải cách hành chính"
    assert expand("trong kh bien dao").text.startswith("trong kế hoạch")


def test_kh_before_a_reply_word_is_the_negation():
    assert expand("kh nha").text == "không nha"
    assert expand("rat kh hl").text == "rat không hài lòng"
    assert expand("e kh biet").text == "em không biết"


def test_hong_is_the_negation_except_in_so_hong():
    assert expand("hong biet").text == "không biet"
    assert expand("nha em bi mat so hong").text == "nha em bi mat sổ hồng"  # the land certificate, not "sổ không"


def test_licence_class_and_short_place_names():
    assert expand("doi bang b2 het han").additions == ["giấy phép lái xe hạng B2"]
    assert expand("kh 5G cua HN").text == "kế hoạch 5G cua hà nội"
    assert expand("con duoi 14t", units=True).text == "con duoi 14 tuổi"


def test_restorer_uses_corpus_statistics():
    corpus = ["Thủ tục đăng ký khai sinh cho trẻ em", "Đăng ký kết hôn tại Ủy ban nhân dân xã", "Cần giấy tờ gì để đăng ký"] * 3
    restorer = DiacriticRestorer().fit(corpus)
    assert restorer.restore("thu tuc dang ky khai sinh can giay to gi") == "thủ tục đăng ký khai sinh cần giấy tờ gì"
    # words the user accented stay as typed; unknown words stay as they are
    assert restorer.restore("đăng ky zalo") == "đăng ký zalo"


def test_restorer_round_trips_through_disk(tmp_path):
    restorer = DiacriticRestorer().fit(["đăng ký kết hôn", "kết hôn ở đâu"])
    restorer.save(tmp_path / "r.json")
    again = DiacriticRestorer.load(tmp_path / "r.json")
    assert again.restore("ket hon o dau") == "kết hôn ở đâu"


def test_personal_data_is_masked():
    text = "Tôi tên An, sđt 0912 345 678, CCCD 001203004567, email an@example.com"
    masked = mask_pii(text)
    assert "0912 345 678" not in masked and "001203004567" not in masked and "an@example.com" not in masked
    assert masked.count("678") == 1 and "*****567" in masked
    assert mask_name("Nguyễn Văn An") == "N***** V** A*"


def test_dates_and_document_numbers_are_not_masked():
    assert mask_pii("Kế hoạch 341/KH-UBND ngày 22/02/2023, mã 1.001193") == "Kế hoạch 341/KH-UBND ngày 22/02/2023, mã 1.001193"


def test_a_number_typed_with_its_unit_letter():
    assert expand("trong 48h đầu dc phát gì", units=True).text == "trong 48 giờ đầu được phát gì"
    assert expand("lệ phí 50k, chờ 30p, hết 2tr", units=True).text == "lệ phí 50 nghìn chờ 30 phút hết 2 triệu"
    assert expand("h2o b2 4đ", units=True).text == "h2o b2 4đ"  # letters before digits, and "4đ" (a score as often as a price), stay
    assert expand("hát tới 12h đêm").text == "hát tới 12h đêm"  # the intent model reads the text as typed


def test_first_words_cut_at_a_word():
    from vietnamese.text import first_words

    assert first_words("Tổ chức   tập huấn cho cán bộ", 10) == "Tổ chức tập huấn cho cán bộ"
    assert first_words("Rà soát, thống kê, báo cáo kết quả", 2) == "Rà soát…"
