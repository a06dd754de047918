"""SIPAS survey: the questionnaire as data, the chat flow (typed answers, skip, pause and
resume, one response per period), statistics equal to a hand computation, anonymous exports."""
import csv
import io
import json
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from survey.questionnaire import current_questionnaire, load_questionnaire
from tests.conftest import ROOT

AGENCY = "agency:trung-tam-phvhcc-xa"


def test_questionnaire_file():
    q = load_questionnaire(ROOT / "survey" / "data" / "sipas.yml")
    assert [len(e.criteria) for e in q.elements] == [4, 5, 6, 3, 4]
    assert q.scale == {1: "Rất không hài lòng", 2: "Không hài lòng", 3: "Bình thường", 4: "Hài lòng", 5: "Rất hài lòng"}
    assert "Công chức có thái độ giao tiếp lịch sự." in [c.text for c in q.criteria]
    assert "c1_1" in q.unconfirmed and "c5_1" not in q.unconfirmed
    assert len(q.steps()) == 25 and len(q.steps(with_profile=False)) == 22


def test_editing_the_file_changes_the_survey(tmp_path, monkeypatch, chat):
    text = (ROOT / "survey" / "data" / "sipas.yml").read_text(encoding="utf-8")
    edited = tmp_path / "sipas.yml"
    edited.write_text(text.replace('version: "2017.1"', 'version: "2026.1"').replace("Nơi ngồi chờ giải quyết thủ tục hành chính có đủ chỗ ngồi.", "Nơi chờ có nước uống và chỗ ngồi."), encoding="utf-8")
    monkeypatch.setenv("CIVIC_SURVEY__QUESTIONNAIRE", str(edited))
    from core.config import reset_settings

    reset_settings()
    assert current_questionnaire().key == "sipas@2026.1"
    c = chat("edited")
    c.say(payload=f'/give_rating{{"subject": "{AGENCY}"}}')
    assert "Nơi chờ có nước uống và chỗ ngồi." in c.last


def answer_all(c, scores, profile=("/deny", "/deny", "/deny")):
    """scores: 22 values; None skips the question."""
    for value in scores:
        assert "Câu" in c.last, c.last
        c.say(payload="/deny") if value is None else c.say(str(value))
    for value in profile:
        assert "không bắt buộc" in c.last
        c.say(payload=value) if value.startswith("/") else c.say(value)
    assert "Cảm ơn bạn đã hoàn thành" in c.last


RESPONDENTS = {
    "r1": [3] + [5] * 4 + [None] + [5] * 16,  # c1_1 = 3, c2_2 skipped
    "r2": [4] * 8 + [2] + [4] * 13,  # c3_1 = 2
    "r3": [2] * 18 + [5] * 4,  # e5 all 5
}


def test_scripted_surveys_give_the_hand_computed_report(chat, capsys):
    typed = chat("r1")
    typed.say("tôi muốn đánh giá")
    assert "Trung tâm Phục vụ hành chính công xã" in [b.title for b in typed.buttons()]
    typed.say(payload=f'/give_rating{{"subject": "{AGENCY}"}}')
    typed.say("bình thường")  # c1_1 = 3 typed as a label
    for value in ("rat hai long", "😍", "5 sao", "5"):  # c1_2..c1_4, c2_1 = 5 typed four ways
        typed.say(value)
        if value == "😍":  # not one of the scale's own choices: shown back, stored once agreed
            assert "mức 5 – Rất hài lòng. Đúng không?" in typed.last
            typed.say("đúng")
    typed.say("xyz")
    assert "chưa rõ bạn chọn mức nào" in typed.last and "5 - Rất hài lòng" in [b.title for b in typed.buttons()]
    typed.say("dừng")  # pause...
    assert "tạm dừng" in typed.last or "Đã lưu" in typed.last
    typed.say("khảo sát")
    resume = next(b for b in typed.buttons() if b.title.startswith("Tiếp tục:"))  # the unfinished survey is offered first
    assert resume.payload == f'/give_rating{{"subject": "{AGENCY}"}}' and typed.buttons()[0] is resume
    typed.say(payload=resume.payload)
    assert "đang làm dở (5/22" in typed.last  # ...and resume where it stopped, counted as the questions are
    assert "Câu 6/22" in typed.last
    answer_all(typed, RESPONDENTS["r1"][5:], profile=("Nữ", "35–49", "/deny"))
    for user in ("r2", "r3"):
        c = chat(user)
        c.say(payload="/khaosat")
        c.say("Trung tâm Phục vụ hành chính công xã")
        answer_all(c, RESPONDENTS[user])
    again = chat("r2")  # one response per person, agency and period
    again.say("khảo sát")
    again.say(payload=f'/give_rating{{"subject": "{AGENCY}"}}')
    assert "đã đánh giá" in again.last

    assert main(["sipas", "report", "--json", "--agency", "trung-tam-phvhcc-xa"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected = hand_computation(current_questionnaire())
    assert report["responses"] == 3
    assert report["overall"]["index"] == expected["overall"] and report["overall"]["n"] == expected["n"]
    for element, exp in zip(report["elements"], expected["elements"]):
        assert element["index"] == exp["index"] and element["n"] == exp["n"] and element["mean"] == exp["mean"]
        for criterion, (index, mean, n, ci) in zip(element["criteria"], exp["criteria"]):
            assert (criterion["index"], criterion["mean"], criterion["n"], criterion["ci95"]) == (index, mean, n, ci)
    assert "Chỉ số tiêu chí" in report["formula"] and "c1_1" in report["unconfirmed_criteria"]
    assert {"on_time_rate", "satisfaction_rate"} <= set(report["feedback_ratios"])


def hand_computation(q):
    by_criterion = {c.id: [s for s in (RESPONDENTS[r][i] for r in RESPONDENTS) if s is not None] for i, c in enumerate(q.criteria)}

    def wilson(k, n):
        z, p = 1.96, k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return [round(100 * (centre - half), 2), round(100 * (centre + half), 2)]

    elements = []
    for e in q.elements:
        criteria = []
        for c in e.criteria:
            scores = by_criterion[c.id]
            k = sum(1 for s in scores if s >= 4)
            criteria.append((round(100 * k / len(scores), 2), round(sum(scores) / len(scores), 3), len(scores), wilson(k, len(scores))))
        pooled = [s for c in e.criteria for s in by_criterion[c.id]]
        elements.append({"index": round(sum(x[0] for x in criteria) / len(criteria), 2), "n": len(pooled),
                         "mean": round(sum(pooled) / len(pooled), 3), "criteria": criteria})
    n = sum(e["n"] for e in elements)
    return {"overall": round(sum(e["index"] for e in elements) / len(elements), 2), "n": n, "elements": elements}


def test_exports_are_anonymous(chat, tmp_path):
    c = chat("exporter")
    c.say(payload=f'/give_rating{{"subject": "{AGENCY}"}}')
    answer_all(c, [5] * 22)
    out = tmp_path / "answers.csv"
    assert main(["sipas", "export", "--answers", "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Phiếu" and len(rows) == 2 and len(rows[0]) == 10 + 22  # one row per questionnaire
    assert rows[1][10:] == ["5"] * 22
    flat = json.dumps(rows, ensure_ascii=False)
    assert "exporter" not in flat and "web" in flat  # the channel is reported, never who answered
    xlsx = tmp_path / "sipas.xlsx"
    assert main(["sipas", "export", "--format", "xlsx", "--out", str(xlsx)]) == 0
    book = load_workbook(xlsx)
    assert book.sheetnames == ["Chỉ số", "Câu trả lời"]
    assert book["Chỉ số"]["C2"].value == "Chỉ số hài lòng chung" and book["Chỉ số"]["D2"].value == 100.0


def test_survey_offered_after_a_procedure_answer_starts_on_that_procedure(chat):
    c = chat("after-answer")
    c.say("đăng ký khai sinh mất bao lâu")
    assert any(b.payload == "/give_rating" for b in c.buttons())
    c.say(payload="/give_rating")
    assert any("Đăng ký khai sinh" in b.title for b in c.buttons())


@pytest.mark.parametrize("vague", ["cho hỏi cái này với", "5 sao", "ok"])
def test_a_vague_reply_is_not_taken_as_the_body_to_rate(chat, vague):
    c = chat(f"vague-{len(vague)}")
    c.say("tôi muốn đánh giá")
    c.say(vague)
    assert "tên cơ quan hoặc thủ tục" in c.last and "Câu 1/" not in c.last
    assert any(b.payload.startswith("/give_rating") for b in c.buttons())
    c.say("Trạm y tế phường Tân Lập")  # a body the registry does not know is kept as written
    assert "Đánh giá Trạm y tế phường Tân Lập" in c.last and "Câu 1/" in c.last


def test_typed_profile_answers_are_read_as_an_option_or_asked_again():
    """Found on a walk: "40 tuoi" and "lam ruong" were refused with "Bạn chọn một trong các lựa chọn"."""
    from datetime import date

    from survey.profile import read_profile

    age = ("Dưới 25", "25–34", "35–49", "50–60", "Trên 60")
    jobs = ("Cán bộ, công chức, viên chức", "Kinh doanh", "Nông dân", "Công nhân", "Học sinh, sinh viên", "Hưu trí", "Khác")
    today = date(2026, 12, 2)
    cases = [(age, "40 tuoi", "35–49"), (age, "sinh năm 2003", "Dưới 25"), (age, "tôi 65t", "Trên 60"), (age, "25–34", "25–34"),
             (age, "3", None), (age, "150 tuổi", None), (jobs, "lam ruong", "Nông dân"), (jobs, "bán tạp hóa, buôn bán nhỏ", "Kinh doanh"),
             (jobs, "đã nghỉ hưu", "Hưu trí"), (jobs, "2", "Kinh doanh"), (jobs, "lam ruong va buon ban", None),
             (("Nam", "Nữ", "Khác"), "con gái", "Nữ"), (("Nam", "Nữ", "Khác"), "gì vậy", None)]
    for options, text, expected in cases:
        assert read_profile(options, text, today) == expected, text


def test_typing_the_survey_command_at_the_subject_question_resumes_not_rates_a_procedure_named_so(chat):
    c = chat("resume-typed")
    c.say("tôi muốn đánh giá")
    c.say(payload=f'/give_rating{{"subject": "{AGENCY}"}}')
    c.say("bình thường")
    c.say("dừng")
    c.say("tôi muốn đánh giá")  # the subject question again, with the unfinished survey offered
    c.say("khảo sát")  # typed, as the pause message says, instead of pressing "Tiếp tục: …"
    assert "đang làm dở (1/22" in c.last and "luồng đường thủy" not in c.last, c.last
    fresh = chat("no-paused")
    fresh.say("tôi muốn đánh giá")
    fresh.say("khảo sát")  # no survey left unfinished: still asked which body or procedure
    assert "tên cơ quan hoặc thủ tục" in fresh.last and "Câu 1/" not in fresh.last


def test_a_stray_entity_does_not_replace_the_feedback_being_rated():
    """On Rasa, DIET may tag "5" as a tracking code while the rating form is open: the form keeps
    the item it is rating instead of refusing the citizen."""
    from rasa_sdk import Tracker

    from actions.survey import ValidateFeedbackRatingForm

    events = [{"event": "user", "text": "/give_rating"}, {"event": "slot", "name": "rating_feedback_code", "value": "PA-2026-ABC123"},
              {"event": "user", "text": "5"}, {"event": "slot", "name": "rating_feedback_code", "value": "5"}]
    tracker = Tracker("c1", {"rating_feedback_code": "5"}, {"text": "5"}, events, False, None, {}, "")
    said = []

    class Dispatcher:
        def utter_message(self, **kwargs):
            said.append(kwargs)

    result = ValidateFeedbackRatingForm().validate_rating_feedback_code("5", Dispatcher(), tracker, {})
    assert result == {"rating_feedback_code": "PA-2026-ABC123"} and not said
