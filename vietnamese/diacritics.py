"""Restore the diacritics of unaccented Vietnamese from a corpus's own statistics.

"thu tuc dang ky khai sinh" -> "thủ tục đăng ký khai sinh".

A syllable bigram language model (Witten-Bell smoothing) is counted over the knowledge base;
each folded syllable of the query may become any accented syllable the corpus folds to it, and
a Viterbi pass picks the most probable sequence. Syllables the user typed with diacritics are
kept as typed; syllables the corpus never saw are kept as they are.
"""
from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable

from vietnamese.text import fold_word, has_diacritics, nfc, words

_BOS = "<s>"


class DiacriticRestorer:
    def __init__(self) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: dict[str, Counter[str]] = defaultdict(Counter)
        self.candidates: dict[str, Counter[str]] = defaultdict(Counter)
        self._total = 0
        self._context_totals: dict[str, int] = {}

    # ---- training --------------------------------------------------------
    def add_text(self, text: str) -> None:
        tokens = [w.lower() for w in words(nfc(text))]
        previous = _BOS
        for token in tokens:
            if token.isdigit():
                previous = _BOS
                continue
            self.unigrams[token] += 1
            self.bigrams[previous][token] += 1
            self.candidates[fold_word(token)][token] += 1
            previous = token

    def fit(self, texts: Iterable[str]) -> "DiacriticRestorer":
        for text in texts:
            self.add_text(text)
        self._finalize()
        return self

    def _finalize(self) -> None:
        self._total = sum(self.unigrams.values())
        self._context_totals = {prev: sum(followers.values()) for prev, followers in self.bigrams.items()}

    # ---- model -----------------------------------------------------------
    def _p_unigram(self, token: str) -> float:
        vocab = len(self.unigrams) + 1
        return (self.unigrams.get(token, 0) + 0.5) / (self._total + 0.5 * vocab)

    def _log_p(self, previous: str, token: str) -> float:
        followers = self.bigrams.get(previous)
        p_uni = self._p_unigram(token)
        if not followers:
            return math.log(p_uni)
        types_prev = len(followers)
        return math.log((followers.get(token, 0) + types_prev * p_uni) / (self._context_totals[previous] + types_prev))

    def _options(self, token: str) -> list[str]:
        lowered = token.lower()
        if has_diacritics(lowered) or token.isdigit():
            return [lowered]
        seen = self.candidates.get(fold_word(lowered))
        if not seen:
            return [lowered]
        # The 8 most frequent spellings cover practically every case and keep Viterbi cheap.
        return [t for t, _ in seen.most_common(8)]

    def restore(self, text: str) -> str:
        """Return ``text`` (lower-cased) with diacritics restored where the corpus knows better."""
        tokens = words(nfc(text))
        if not tokens or not self.unigrams:
            return " ".join(t.lower() for t in tokens)
        # Viterbi over candidate spellings.
        beams: dict[str, tuple[float, list[str]]] = {_BOS: (0.0, [])}
        for token in tokens:
            options = self._options(token)
            new_beams: dict[str, tuple[float, list[str]]] = {}
            for option in options:
                best: tuple[float, list[str]] | None = None
                for previous, (score, path) in beams.items():
                    context = previous if not previous.isdigit() else _BOS
                    candidate = score + self._log_p(context, option)
                    if best is None or candidate > best[0]:
                        best = (candidate, path)
                assert best is not None
                new_beams[option] = (best[0], best[1] + [option])
            beams = new_beams
        return " ".join(max(beams.values(), key=lambda b: b[0])[1])

    # ---- persistence -----------------------------------------------------
    def save(self, path: Path) -> None:
        data = {
            "unigrams": self.unigrams,
            "bigrams": {k: v for k, v in self.bigrams.items()},
        }
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "DiacriticRestorer":
        data = json.loads(path.read_text(encoding="utf-8"))
        restorer = cls()
        restorer.unigrams = Counter(data["unigrams"])
        for previous, followers in data["bigrams"].items():
            restorer.bigrams[previous] = Counter(followers)
        for token, count in restorer.unigrams.items():
            restorer.candidates[fold_word(token)][token] = count
        restorer._finalize()
        return restorer
