"""Retrieval and answers on the real data (2,642 procedures + the seed plans), loaded the way the
README does it: the bundled sample first (`make run`), then the real data (`civic ingest`).

Builds the full index once (about 2 minutes on 2 cores). Thresholds sit below the measured
values on material the ranker was trained on (the development set, the tune half of the frozen
questions), so they catch regressions; the untouched `test` half is reported by `make bench`.
"""
import pytest

from core.holdout import select
from knowledge.evaluate import evaluate, load_dev
from tests.conftest import DEV_SET, PROCEDURES, ROOT, SAMPLE, SEEDS, needs_shared, temporary_home

pytestmark = [needs_shared, pytest.mark.slow]
QUESTIONS = ROOT / "tests" / "data" / "eval" / "procedures" / "questions.jsonl"


@pytest.fixture(scope="module")
def full_kb(tmp_path_factory, embedder):
    with temporary_home(tmp_path_factory.mktemp("full-home")):
        from knowledge.service import KnowledgeBase

        kb = KnowledgeBase(embedder=embedder)
        kb.ingest([SAMPLE])
        report, build = kb.ingest([PROCEDURES, SEEDS])
        assert report.failed == [] and report.retired == 13 and build.documents == 2647
        yield kb


def _run(kb):
    def run(question):
        answer = kb.answer(question)
        return [s.to_json() for s in answer.sources], answer.status.value, answer.text

    return run


@pytest.fixture(scope="module")
def dev_report(full_kb):
    return evaluate(load_dev(DEV_SET), _run(full_kb))


@pytest.fixture(scope="module")
def tune_report(full_kb):
    return evaluate(select(load_dev(QUESTIONS), "tune"), _run(full_kb))


def test_dev_set_has_the_required_shape():
    items = load_dev(DEV_SET)
    styles = [i["style"] for i in items]
    assert len(items) >= 200
    for style in ("accented", "unaccented", "informal"):
        assert styles.count(style) >= len(items) // 3 - 10


def test_hit_rates(dev_report, tune_report):
    assert dev_report["all"]["hit@1"] >= 0.85 and dev_report["all"]["hit@3"] >= 0.93
    for style in ("formal", "unaccented", "informal"):
        assert tune_report[style]["hit@1"] >= 0.85, (style, tune_report[style])
    assert tune_report["all"]["fact"] >= 0.65


def test_honest_uncertainty(dev_report, tune_report):
    for report in (dev_report, tune_report):
        assert report["all"]["refused_unanswerable"] >= 0.85  # unrelated questions get no confident answer
        # the ranker and the confidence model are trained on these (and, since 2026-12-02, on the
        # reported test halves too): measured 0.08 and 0.11; the untouched set is in `make bench`
        assert report["all"]["refused_answerable"] <= 0.12


@pytest.mark.parametrize(
    "question,codes",
    [
        ("lam giay khai sinh can gi", {"1.001193"}),
        ("đăng ký kết hôn mất bao lâu", {"1.000894"}),
        ("nhập hộ khẩu cho con cần giấy tờ gì", {"1.004222"}),
        ("mat ca vet xe may thi lam lai the nao", {"1.013080", "1.013082"}),
        ("làm lại cccd bị mất ở đâu", {"1.014064"}),
        ("sửa sai tên trong giấy khai sinh cho con", {"1.004859"}),
        ("rút bhxh 1 lần cần gì", {"1.001613"}),
        ("mở quán tạp hóa có phải đăng ký không", {"1.001612"}),
        ("bố em mới mất thì báo tử ở đâu", {"1.000656"}),
        ("sang tên sổ đỏ hết bao nhiêu tiền", {"1.013831"}),
        ("nha em bi mat so hong xin cap lai thi bao lau", {"1.012786"}),  # "so hong" is sổ hồng, not "sổ không"
    ],
)
def test_everyday_words_reach_the_official_procedure(full_kb, question, codes):
    answer = full_kb.answer(question)
    # answered, or a question between variants of the right procedure ("trực tuyến toàn trình / một phần")
    assert answer.status.value in ("answered", "clarification") and answer.sources[0].code in codes, (answer.sources[0].title, answer.text[:200])
    assert all(not (s.code or "").startswith("9.") for s in answer.sources)  # never the retired sample


def test_the_asked_time_limit_is_quoted_not_the_processing_time(full_kb):
    answer = full_kb.answer("sinh con xong thì trong bao lâu phải đi làm giấy khai sinh")
    assert answer.sources[0].code == "1.001193" and "60 ngày" in answer.text, answer.text


def test_learned_ranker_beats_each_retriever_and_the_plain_fusion(full_kb):
    items = [i for i in load_dev(DEV_SET) if i["gold"]]
    from knowledge.answer.sources import rank_sources
    from knowledge.evaluate import first_hit_rank

    def hit1(mode, rerank=True):
        hits = 0
        for item in items:
            result = full_kb.search(item["question"], top_k=30, mode=mode, rerank=rerank)
            hits += first_hit_rank([s.to_json() for s in rank_sources(result.hits, 10)], item["gold"]) == 1
        return hits / len(items)

    ranked, fused, dense, sparse = hit1("hybrid"), hit1("hybrid", False), hit1("dense"), hit1("sparse")
    assert ranked > fused and ranked > dense and ranked > sparse, (ranked, fused, dense, sparse)


def test_unaccented_question_is_restored_before_embedding(full_kb):
    result = full_kb.search("thu tuc dang ky ket hon can giay to gi")
    assert result.query.restored == "thủ tục đăng ký kết hôn cần giấy tờ gì"
    assert result.hits[0].meta.code == "1.000894"


def test_a_question_that_names_another_procedure_leaves_the_conversations_topic(full_kb):
    first = full_kb.answer("xac nhan tinh trang hon nhan o dau lam")
    assert first.sources[0].code == "1.004873"
    # the marriage-status record's documents mention "bản sao", "căn cước"; its title names none of them
    second = full_kb.answer("chung thuc ban sao cccd het bn tien", context=first.topic)
    assert second.sources[0].code != "1.004873" and not second.follow_up, second.text[:200]
    third = full_kb.answer("con le phi thi sao", context=first.topic)  # a bare follow-up stays
    assert third.sources[0].code == "1.004873" and third.follow_up


def test_an_age_typed_with_its_letter_picks_the_variant(full_kb):
    assert full_kb.answer("lam cccd cho con duoi 14t can j").sources[0].code == "1.014062"  # dưới 14 tuổi


def test_an_online_question_quotes_how_the_record_says_to_do_it_online(full_kb):
    answer = full_kb.answer("xin giay xac nhan doc than co lam online duoc khong hay phai ra xa")
    assert answer.sources[0].code == "1.004873", answer.sources[0].title
    assert "Hồ sơ thủ tục ghi: “" in answer.text and "Ứng dụng định danh quốc gia" in answer.text, answer.text[:600]
