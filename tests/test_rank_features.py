"""The ranker's variant relations (knowledge/rank/features.py) found through postings give the
same answer as comparing every pair of titles."""
import random

from knowledge.rank.features import _variant_relations


def test_variant_relations_match_the_pairwise_definition():
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(12)]
    for _ in range(300):
        titles = [frozenset(rng.sample(vocab, rng.randint(1, 5))) for _ in range(rng.randint(1, 30))]
        wider, bases = _variant_relations(titles)
        for i, title in enumerate(titles):
            assert wider[i] == any(title < other for other in titles)
            assert sorted(bases[i]) == [j for j, other in enumerate(titles) if other < title]


def test_accented_titles_tell_a_reissue_from_an_issue():
    issue, reissue = frozenset({"cấp", "phép", "lái", "xe"}), frozenset({"cấp", "lại", "phép", "lái", "xe"})
    wider, bases = _variant_relations([issue, reissue])
    assert wider == [True, False] and bases == [[], [0]]
