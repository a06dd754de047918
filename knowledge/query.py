"""A question in the several forms search needs.

    "cho e hoi lam so do mat bao lau"
      expanded  -> "cho em hoi lam sổ đỏ mat bao lau" (+ "cấp giấy chứng nhận quyền sử dụng đất lần đầu")
      dense     -> "cho em hỏi làm sổ đỏ mất bao lâu cấp giấy chứng nhận ..."   (diacritics restored)
      sparse    -> folded syllables + bigrams of the expanded text
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.qualifiers import implied_qualifiers
from knowledge.vocabulary import Vocabulary, default_vocabulary
from vietnamese.abbreviations import expand
from vietnamese.diacritics import DiacriticRestorer
from vietnamese.text import accent_ratio, clean_spaces, fold, folded_words, nfc

# Words that say what kind of answer is wanted, or are chat filler — never what it is about.
_NOT_TOPIC = set(
    """
    thu tuc hanh chinh cho em toi minh anh chi ban hoi xin vui long giup voi a ah a oi nhe nha
    can gi nhung nhu the nao lam sao bao nhieu lau o dau khi nao bao gio may ngay gio
    giay to ho so thanh phan le phi phi tien mat het ton thoi gian nop lam o dau tai
    va cua la co khong duoc cac mot de thi ma tu den trong ve nay do kia vay the thi
    cach buoc trinh tu dieu kien yeu cau can cu phap ly ket qua nhan
    muon biet thong tin ve viec
    roi h mun vua xong sap luon nhi dum ad ak ha hen ko k hong chua da dang se bi ai hom luat
    """.split()
)


@dataclass
class QueryForms:
    original: str
    normalized: str  # NFC, spaces cleaned
    expanded: str  # chat abbreviations replaced
    additions: list[str] = field(default_factory=list)  # official names for everyday terms
    restored: str = ""  # expanded text with diacritics restored (lower case)
    accent_ratio: float = 0.0
    vocab_entries: frozenset[int] = frozenset()  # citizen-vocabulary entries the question used

    @property
    def dense_text(self) -> str:
        return " ".join([self.restored or self.expanded, *self.additions]).strip()

    @property
    def sparse_text(self) -> str:
        return " ".join([self.expanded, *self.additions]).strip()


def prepare_query(question: str, restorer: DiacriticRestorer | None, vocabulary: Vocabulary | None = None) -> QueryForms:
    normalized = clean_spaces(nfc(question))
    expansion = expand(normalized, units=True)
    matches = (vocabulary or default_vocabulary()).matches(expansion.text)
    additions = list(expansion.additions)
    for _phrase, entry in matches:
        additions.extend(o for o in entry.official if o not in additions)
    additions.extend(q for q in implied_qualifiers(expansion.text) if q not in additions)
    ratio = accent_ratio(normalized)
    restored = expansion.text.lower()
    if restorer is not None and ratio < 0.8:
        restored = restorer.restore(expansion.text)
    return QueryForms(
        original=question,
        normalized=normalized,
        expanded=expansion.text,
        additions=additions,
        restored=restored,
        accent_ratio=ratio,
        vocab_entries=frozenset(entry.id for _phrase, entry in matches),
    )


def content_words(text: str) -> list[str]:
    """Folded words that carry the topic of a question."""
    return [w for w in folded_words(text) if w not in _NOT_TOPIC and not w.isdigit()]


def exact_words(text: str) -> frozenset[str]:
    """Topic words as written, diacritics kept ("lại" is not "lái"): titles, and questions typed
    with diacritics."""
    words = re.findall(r"\w+", nfc(text).lower())
    return frozenset(w for w in words if fold(w) not in _NOT_TOPIC and not w.isdigit())
