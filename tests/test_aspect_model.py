"""The learned aspect model beside the rules (written anew here, not copied from any question set)."""
import pytest

from knowledge.answer.aspects import AspectModel, _rule_aspects, detect_aspects


@pytest.mark.parametrize("question,aspect", [
    ("làm xong đăng ký tạm trú thì tôi được cầm về giấy gì", "result"),
    ("mua xe máy mới, đăng ký xong thì nhận lại những gì vậy", "result"),
    ("bố mất rồi thì mấy ngày phải đi khai tử", "deadline"),
    ("làm hộ chiếu mất bao lâu", "time"),
    ("xin giấy độc thân hết bao nhiêu tiền", "fee"),
    ("khai thuế tncn dùng tờ khai mẫu nào", "form"),
])
def test_the_asked_aspect_comes_first(question, aspect):
    assert detect_aspects(question)[0] == aspect


def test_rules_alone_when_the_model_is_not_sure(tmp_path):
    model = AspectModel.fit(["cần giấy tờ gì", "mất bao lâu", "lệ phí bao nhiêu"], ["documents", "time", "fee"])
    model.save(tmp_path / "a.npz")
    loaded = AspectModel.load(tmp_path / "a.npz")
    chosen, probability = loaded.predict("xin chào")
    assert loaded.classes == ["documents", "fee", "time"] and 0 < probability < 1
    assert _rule_aspects("nộp ở đâu") == ["where"]


@pytest.mark.parametrize("question,aspects", [
    ("Hồ sơ thực hiện thủ tục cấp giấy xác nhận nguồn gốc gỗ?", ["documents"]),
    ("Đề nghị cho biết hồ sơ đề nghị cấp mới giấy phép hoạt động?", ["documents"]),
    ("ho so lam giay khai sinh", ["documents"]),
    ("hồ sơ nộp ở đâu", ["where"]),  # the dossier opens it, but the place is asked
    ("hồ sơ của tôi đến đâu rồi", ["where"]),  # not a documents question
    ("Người nhà có thể đi nộp hồ sơ thay tôi được không?", ["who", "conditions"]),
    ("tôi có phải về tận quê để làm không", ["conditions"]),
])
def test_a_question_that_opens_on_the_dossier_asks_for_its_papers(question, aspects):
    assert _rule_aspects(question) == aspects
