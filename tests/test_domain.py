"""The domain model: a learned signal that a question is about something the data holds."""
import numpy as np

from knowledge.answer.domain import DomainModel, out_of_fold
from knowledge.answer.hashed import tfidf as _tfidf


def test_one_question_scores_as_the_matrix_does(tmp_path):
    texts = ["làm giấy khai sinh cần gì", "đăng ký thường trú ở đâu", "cấp lại bằng tốt nghiệp", "xin giấy phép phòng khám",
             "cà vẹt xe mất làm lại", "trợ cấp thất nghiệp bao lâu"]
    model = DomainModel.fit(texts, [1, 1, 0, 0, 1, 0], "test")
    model.save(tmp_path / "d.npz")
    loaded = DomainModel.load(tmp_path / "d.npz")
    x, _ = _tfidf(["lam giay khai sinh o dau"], loaded.model.idf)
    expected = 1 / (1 + np.exp(-((x @ loaded.model.coef[0])[0] + loaded.model.bias[0])))
    assert abs(loaded.probability("lam giay khai sinh o dau") - expected) < 1e-6
    assert loaded.provenance == "test"


def test_out_of_fold_values_come_from_models_that_did_not_see_the_text():
    texts = [f"hỏi thủ tục số {i} khai sinh" for i in range(10)] + [f"xin bằng tốt nghiệp lần {i}" for i in range(10)]
    values = out_of_fold(texts, [1] * 10 + [0] * 10, extra=["đăng ký khai sinh cho con"])
    assert len(values) == 20 and all(0.0 <= v <= 1.0 for v in values)
    assert np.mean(values[:10]) > np.mean(values[10:])


def test_the_shipped_model_knows_where_the_data_ends():
    model = DomainModel.load()
    assert model is not None, "knowledge/data/domain.npz is fitted by `civic eval train-ranker`"
    # written anew here: subjects the procedures hold, beside ones no record covers
    inside = ["mat can cuoc lam lai o dau", "sang tên sổ đỏ cần giấy tờ gì", "đăng ký kết hôn mất bao lâu"]
    outside = ["xin cấp lại bằng tốt nghiệp đại học bị mất", "mở phòng khám nha khoa tư nhân xin giấy phép ở đâu",
               "hưởng trợ cấp thất nghiệp cần gì"]
    assert min(model.probability(q) for q in inside) > max(model.probability(q) for q in outside)
