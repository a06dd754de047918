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
