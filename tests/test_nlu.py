"""NLU: Rasa-format training data, entity extraction, the intent classifier and its commands."""
import json
from datetime import date

import pytest
import yaml

from bot.cli import main
from nlu import entities
from nlu.training_data import DATA_DIR, load_training_data, parse_example

REQUIRED_INTENTS = {
    "greet", "goodbye", "thank", "bot_capabilities", "ask_question", "ask_deadline", "file_feedback",
    "check_feedback_status", "give_rating", "subscribe_reminders", "unsubscribe_reminders", "human_handoff",
    "affirm", "deny", "cancel", "out_of_scope",
}
TODAY = date(2026, 11, 22)


def test_training_data_is_rasa_3_1_and_covers_every_intent_in_every_style():
    data = load_training_data()
    assert set(data.intents) == REQUIRED_INTENTS
    for path in DATA_DIR.glob("*.yml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["version"] == "3.1"
    for style in ("accented", "unaccented", "informal"):
        assert {e.intent for e in data.examples if e.style == style} == REQUIRED_INTENTS
    assert "agency" in data.lookups and "tracking_code" in data.regexes
    assert data.synonyms["p.nv"] == "Phòng Nội vụ"


def test_entity_annotations_parse():
    text, found = parse_example('[P.NV]{"entity": "agency", "value": "Phòng Nội vụ"} có việc gì trong [quý này](period)')
    assert text == "P.NV có việc gì trong quý này"
    assert [(e.entity, e.value, text[e.start:e.end]) for e in found] == [("agency", "Phòng Nội vụ", "P.NV"), ("period", "quý này", "quý này")]


def test_annotated_entities_are_extracted():
    data = load_training_data()
    procedures = entities.ProcedureMatcher(data.lookups["procedure"], data.synonyms)
    for example in data.examples:
        found = entities.extract_all(example.text, procedures, TODAY)
        for annotation in example.entities:
            if annotation.entity == "period":
                assert any(e.entity == "period" and e.start == annotation.start for e in found), example.text
            else:
                assert any(e.entity == annotation.entity and e.value.lower() == annotation.value.lower() for e in found), example.text


@pytest.mark.parametrize("text,code", [("PA-2026-000123", "PA-2026-000123"), ("ma pa 2026 123", "PA-2026-000123"), ("pa2026000045", "PA-2026-000045"), ("PA_2025_7", "PA-2025-000007"),
    ("ma pa-2026-7k3m9x toi dau r", "PA-2026-7K3M9X"), ("PA 2026 H4RT2W", "PA-2026-H4RT2W")])
def test_tracking_codes(text, code):
    assert entities.normalize_tracking_code(text) == code


@pytest.mark.parametrize("text,phone", [("0912 345 678", "+84912345678"), ("sdt: 0912.345.678", "+84912345678"), ("+84 912345678", "+84912345678"), ("028 3829 1234", "+842838291234"), ("091234", None), ("12345678901234", None)])
def test_phones_are_normalised(text, phone):
    assert entities.normalize_phone(text) == phone


@pytest.mark.parametrize("text,rating", [
    ("5", 5), ("4 sao", 4), ("3/5", 3), ("năm", 5), ("hai", 2), ("rất hài lòng", 5), ("rat hai long", 5),
    ("không hài lòng", 2), ("rat khong hai long", 1), ("bình thường", 3), ("😍", 5), ("😡", 1), ("🙂", None), ("👍🏻", None), ("ok", None), ("ok, rất hài lòng", 5),
    ("năm 2026", None), ("tôi muốn hỏi", None),
])
def test_ratings(text, rating):
    assert entities.parse_rating(text) == rating


@pytest.mark.parametrize("text,iso", [
    ("quý I/2024", "2024-01-01/2024-03-31"), ("quý này", "2026-10-01/2026-12-31"), ("quy nay", "2026-10-01/2026-12-31"),
    ("tháng 3", "2026-03-01/2026-03-31"), ("tuần tới", "2026-11-23/2026-11-29"), ("6 tháng đầu năm", "2026-01-01/2026-06-30"),
    ("năm nay", "2026-01-01/2026-12-31"), ("quý tới", "2027-01-01/2027-03-31"), ("tháng 12/2025", "2025-12-01/2025-12-31"),
])
def test_periods_are_date_ranges(text, iso):
    found = entities.periods(f"nhiệm vụ đến hạn {text}", TODAY)
    assert found and found[0].value == iso


def test_agencies_resolve_to_the_registry_name():
    assert [e.value for e in entities.agencies("P.NV và phong tu phap, Văn phòng HĐND&UBND huyện")] == [
        "Phòng Nội vụ", "Phòng Tư pháp", "Văn phòng HĐND và UBND huyện",
    ]


@pytest.mark.parametrize("text,intent", [
    # feedback phrased as a question
    ("sao hồ sơ nộp 3 tuần chưa có kết quả?", "file_feedback"),
    ("tại sao tôi nộp hồ sơ hai tuần rồi mà vẫn chưa có kết quả vậy", "file_feedback"),
    ("sao nop ho so lau vay ma chua tra ket qua", "file_feedback"),
    # procedure questions containing complaint words
    ("thủ tục khiếu nại cần gì", "ask_question"),
    ("thu tuc to cao can giay to gi", "ask_question"),
    # procedure time versus plan deadline
    ("đăng ký kết hôn mất mấy ngày", "ask_question"),
    ("làm giấy khai sinh mất mấy ngày", "ask_question"),
    ("hạn báo cáo quý theo kế hoạch 341", "ask_deadline"),
    ("han nop bao cao 6 thang theo kh 15 la khi nao", "ask_deadline"),
    # the rest, in chat style
    ("ad oi cho e hoi", "greet"),
    ("tra cuu PA-2026-000123", "check_feedback_status"),
    ("muốn đánh giá 5 sao", "give_rating"),
    ("cho e gap can bo", "human_handoff"),
    ("thôi hủy đi", "cancel"),
])
def test_hard_cases(nlu, text, intent):
    result = nlu.parse(text, today=TODAY)
    assert result.intent == intent, (text, result.ranking[:3])


def test_button_payloads_bypass_the_classifier(nlu):
    result = nlu.parse('/give_rating{"rating": "5"}')
    assert (result.intent, result.confidence, result.entity("rating")) == ("give_rating", 1.0, "5")


def test_cli_parse_json_and_batch(nlu, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CIVIC_NLU__MODEL_DIR", str(nlu_dir()))
    from core.config import reset_settings

    reset_settings()
    assert main(["nlu", "parse", "--json", "Phòng Nội vụ có việc gì đến hạn trong quý này?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["intent"] == "ask_deadline" and 0 < data["confidence"] <= 1
    assert {e["entity"] for e in data["entities"]} == {"agency", "period"}
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"id": 1, "text": "xin chào"}\nnot json\n{"id": "x", "text": "sdt 0912345678"}\n', encoding="utf-8")
    assert main(["nlu", "parse", "--batch", str(batch), "--json"]) == 0
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert [l.get("id") for l in lines] == [1, None, "x"]
    assert lines[0]["intent"] == "greet" and "error" in lines[1]
    assert lines[2]["entities"][0]["value"] == "+84912345678"


def nlu_dir():
    from tests.conftest import ROOT

    return ROOT / ".cache" / "nlu"


def test_held_out_macro_f1_meets_the_targets(embedder):
    from nlu.evaluate import evaluate

    report = evaluate(load_training_data(), embedder)
    styles = report["styles"]
    # the held-out split includes the boundary cases of nlu_contrast.yml and nlu_deadline_tasks.yml
    # (questions vs reports, see vs be reminded ...), written to be hard: measured 0.916 there
    assert styles["accented"]["macro_f1"] >= 0.90
    assert styles["unaccented"]["macro_f1"] >= 0.92
    assert styles["informal"]["macro_f1"] >= 0.92
    assert report["entities"]["recall"] == 1.0


def test_frozen_independent_utterances_tune_half(nlu):
    """Utterances written by someone who never saw the training data (tests/data/eval/nlu): the
    tune half guards against regressions; `make bench` reports the untouched test half."""
    import json

    from core.holdout import select
    from nlu.evaluate import evaluate_utterances
    from tests.conftest import ROOT

    path = ROOT / "tests" / "data" / "eval" / "nlu" / "utterances.jsonl"
    items = select([json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()], "tune")
    report = evaluate_utterances(nlu, items)
    assert report["all"]["macro_f1"] >= 0.95, report["errors"]
    for style in ("formal", "unaccented", "informal"):
        assert report[style]["macro_f1"] >= 0.92, (style, report["errors"])
