"""The query adapter (knowledge/rank/adapter.py): learns to move question vectors toward the rows
people mean, stays with the embedding model it was fitted for, and is what the search uses."""
import numpy as np

from knowledge.rank.adapter import DEFAULT_PATH, QueryAdapter, fit


def _hit_at_1(questions: np.ndarray, rows: np.ndarray, gold: list[int]) -> float:
    return float(np.mean(np.argmax(questions @ rows.T, axis=1) == np.array(gold)))


def _normalise(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_fitted_adapter_finds_the_meant_rows_for_questions_it_never_saw():
    rng = np.random.default_rng(0)
    dim, n_rows = 32, 60
    rows = _normalise(rng.normal(size=(n_rows, dim)))
    # citizens' wording is the official one seen through a fixed distortion, plus noise
    distortion = np.eye(dim) + 2.5 * rng.normal(size=(dim, dim)) / np.sqrt(dim)

    def asked(n: int) -> tuple[np.ndarray, list[int]]:
        gold = rng.integers(0, n_rows, size=n).tolist()
        return _normalise(rows[gold] @ distortion + 0.3 * rng.normal(size=(n, dim))), gold

    train_q, train_gold = asked(600)
    test_q, test_gold = asked(300)
    adapter = fit(train_q, [[g] for g in train_gold], [1.0] * len(train_gold), rows, model="toy", epochs=40)
    before, after = _hit_at_1(test_q, rows, test_gold), _hit_at_1(adapter.apply(test_q), rows, test_gold)
    assert after > before + 0.1, (before, after)
    moved = adapter.apply(test_q)
    assert np.allclose(np.linalg.norm(moved, axis=1), 1.0, atol=1e-5)


def test_adapter_is_used_only_with_the_model_it_was_fitted_for(tmp_path):
    path = tmp_path / "adapter.npz"
    QueryAdapter(np.eye(4) * 0.5, "model-a", "toy").save(path)
    loaded = QueryAdapter.load("model-a", 4, path)
    assert loaded is not None and loaded.provenance == "toy"
    assert np.allclose(loaded.matrix, np.eye(4) * 0.5)
    assert QueryAdapter.load("model-b", 4, path) is None
    assert QueryAdapter.load("model-a", 8, path) is None
    assert QueryAdapter.load("model-a", 4, tmp_path / "missing.npz") is None


def test_shipped_adapter_belongs_to_the_default_model_and_moves_only_large_index_searches(sample_kb, embedder):
    assert DEFAULT_PATH.exists(), "civic eval train-ranker writes knowledge/data/query_adapter.npz"
    searcher = sample_kb.searcher
    assert searcher.adapter is not None and searcher.adapter.model == embedder.name
    question = "bố mất rồi muốn sang tên mảnh đất cho con thì làm sao"
    cosines = lambda: [round(h.dense, 4) for h in searcher.search(question, mode="dense", rerank=False).hits]  # noqa: E731
    small = cosines()  # the sample is a small index: plain cosines, as its answering rule expects
    settings = searcher.settings
    searcher.settings = settings.model_copy(update={"small_index_units": 0})
    try:
        large = cosines()
        searcher.adapter = None
        plain = cosines()
    finally:
        searcher.settings = settings
        searcher.adapter = QueryAdapter.load(embedder.name, embedder.dimension)
    assert small == plain and large != plain
