"""A learned map of question vectors toward the records people mean (ADR 26).

The embedding model places "bố mất muốn đứng tên mảnh đất" far from "Đăng ký biến động quyền sử
dụng đất ... thừa kế": it never saw how citizens ask. The adapter is one matrix W fitted on the
written citizen questions (and questions generated from every procedure's names), so that

    q' = normalise(q + q W)

lies closer to the index rows of the procedure the question was about. Record vectors are not
touched (the index needs no re-embedding); only the question vector moves, before the dense
search. Fitted by `civic eval train-ranker` (knowledge/rank/train.py) and shipped as data
(knowledge/data/query_adapter.npz) with the name of the embedding model it belongs to; another
model, or no file, means no adapter.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "query_adapter.npz"
EPOCHS = 30  # chosen on questions of sets 18 and 19 left out of the fit (ADR 26)
L2 = 1e-3
SCALE = 30.0  # softmax temperature over cosines
BATCH = 256


class QueryAdapter:
    def __init__(self, matrix: np.ndarray, model: str, provenance: str = ""):
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.model = model
        self.provenance = provenance

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        moved = vectors + vectors @ self.matrix
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        return (moved / np.maximum(norms, 1e-12)).astype(np.float32)

    @classmethod
    def load(cls, model: str, dimension: int, path: Path = DEFAULT_PATH) -> "QueryAdapter | None":
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            matrix, fitted_for = data["matrix"], str(data["model"])
            provenance = str(data["provenance"]) if "provenance" in data else ""
        if fitted_for != model or matrix.shape != (dimension, dimension):
            log.warning("Query adapter %s was fitted for %s, not %s: questions are searched as embedded", path, fitted_for, model)
            return None
        return cls(matrix, model, provenance)

    def save(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            np.savez_compressed(out, matrix=self.matrix.astype(np.float16), model=np.array(self.model),
                                provenance=np.array(self.provenance))


def fit(questions: np.ndarray, positives: list[list[int]], weights: list[float], rows: np.ndarray, model: str,
        provenance: str = "", epochs: int = EPOCHS, seed: int = 0) -> QueryAdapter:
    """Fit W so that each question's softmax over all index ``rows`` (cosine x SCALE) puts its mass
    on its ``positives`` (the rows of its gold records); ``weights`` per question (generated
    questions count less than written ones); L2 keeps W near zero (near the plain model)."""
    import torch

    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    keep = [i for i, p in enumerate(positives) if p]
    x = torch.tensor(questions[keep], dtype=torch.float32)
    r = torch.tensor(rows, dtype=torch.float32)
    w = torch.tensor([weights[i] for i in keep], dtype=torch.float32)
    mask = torch.zeros(len(keep), len(rows), dtype=torch.bool)
    for n, i in enumerate(keep):
        mask[n, positives[i]] = True
    dim = x.shape[1]
    matrix = torch.zeros(dim, dim, requires_grad=True)
    optimiser = torch.optim.Adam([matrix], lr=1e-3)
    for _ in range(epochs):
        order = torch.randperm(len(keep), generator=generator)
        for start in range(0, len(keep), BATCH):
            ids = order[start:start + BATCH]
            q = torch.nn.functional.normalize(x[ids] + x[ids] @ matrix, dim=-1)
            logits = q @ r.T * SCALE
            gold = torch.logsumexp(logits.masked_fill(~mask[ids], -1e4), dim=1)
            loss = ((torch.logsumexp(logits, dim=1) - gold) * w[ids]).sum() / w[ids].sum() + L2 * (matrix ** 2).sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return QueryAdapter(matrix.detach().numpy(), model, provenance)
