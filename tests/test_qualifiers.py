"""What a question implies about a procedure's variant (knowledge/qualifiers.py)."""
import pytest

from knowledge.qualifiers import implied_qualifiers


@pytest.mark.parametrize(
    "question,expected",
    [
        ("chồng em người Hàn, đăng ký kết hôn ở đâu", "có yếu tố nước ngoài"),
        ("vo toi quoc tich nhat muon nhan con", "có yếu tố nước ngoài"),
        ("đi xuất khẩu lao động Nhật Bản về", "có yếu tố nước ngoài"),
        ("làm căn cước cho bé 3 tuổi", "dưới 6 tuổi"),
        ("con 8 tuoi lam cccd", "dưới 14 tuổi"),
        ("bé 7 tháng tuổi làm thẻ bhyt", "dưới 6 tuổi"),
        ("con 15 tuổi làm căn cước", "từ đủ 14 tuổi trở lên"),
        ("cccd bi gay lam lai o dau", "cấp lại"),
        ("đánh mất bằng lái xe máy", "cấp lại"),
        ("visa sắp hết, xin gia hạn thêm được không", "gia hạn"),
        ("vợ tôi người Ba Lan, đăng ký kết hôn ở đâu", "có yếu tố nước ngoài"),
        ("chong toi nguoi an do muon nhap quoc tich", "có yếu tố nước ngoài"),
        ("con gái tôi đi du học ở Trung, muốn làm hộ chiếu", "có yếu tố nước ngoài"),
    ],
)
def test_a_situation_implies_the_variant(question, expected):
    assert any(expected in q for q in implied_qualifiers(question)), implied_qualifiers(question)


@pytest.mark.parametrize(
    "question",
    ["lao động thời vụ có được đóng bhxh không", "biện pháp bảo đảm là gì", "mỹ phẩm nhập khẩu cần giấy gì",
     "làm sổ đỏ mất bao lâu", "bố em mới mất thì báo tử ở đâu", "năm nay tôi 30 tuổi đổi cccd", "nghỉ thai sản được mấy tháng",
     "sổ hồng chung cư", "quán em nghỉ tết 1 tháng thì báo tạm ngừng kinh doanh trước mấy ngày",
     "e nộp hs khai sinh cho con ở trung tâm hcc thì lấy được trong ngày ko", "xe đăng kiểm tại trung tâm bao lâu có tem",
     "hồ sơ bị trả lại ba lần rồi", "phòng thủ dân sự ở Nghệ An do đơn vị nào tiếp nhận", "học ở trung cấp nghề có được hỗ trợ"],
)
def test_everyday_words_that_look_like_qualifiers_imply_nothing(question):
    assert implied_qualifiers(question) == []
