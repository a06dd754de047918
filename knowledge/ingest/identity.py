"""What makes two plan texts one document.

A plan is identified by its số hiệu, issuer and issued date where it has them: the number with
case, spacing, dashes, leading zeros and Unicode forms normalised, the issuer case-folded without
diacritics ("UBND" spelled out). Two plans with the same number are one document unless their
issuers or dates, where both have one, differ.

Otherwise a plan is identified by its content: a fingerprint of its body that survives format
conversions (.md, .docx, .pdf give the same parsed words) and small corrections. The fingerprint
is a bottom-k MinHash sketch (Broder 1997; Cohen & Kaplan 2007) of the word 4-shingles of the
folded body: the SKETCH smallest 48-bit shingle hashes. Two sketches estimate the Jaccard
similarity of the two shingle sets (exactly, for texts shorter than SKETCH shingles). It is
written here in a few lines rather than taken from datasketch, which is not a dependency.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Callable

from knowledge.ingest.plans import PlanDocument
from vietnamese.text import fold_key, folded_words

SHINGLE = 4  # words per shingle: one corrected word changes at most four shingles
SKETCH = 256  # hashes kept: the estimate's standard error is about 0.02 near 0.9
SAME_CONTENT = 0.8  # estimated Jaccard similarity from which two bodies are one document
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_ISSUER_WORDS = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho"}


def number_key(doc_number: str | None) -> str | None:
    """"0341 / KH–UBND" -> "341/kh-ubnd"."""
    if not doc_number:
        return None
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", doc_number))
    text = re.sub(r"\s+", "", fold_key(text))
    text = re.sub(r"^0+(?=\d)", "", text)
    return text or None


def issuer_key(issuer: str | None) -> str | None:
    """"Ủy ban nhân dân tỉnh Nghệ An", "UBND TỈNH NGHỆ AN" -> "uy ban nhan dan tinh nghe an"."""
    if not issuer:
        return None
    words = re.findall(r"[a-z0-9]+", fold_key(unicodedata.normalize("NFKC", issuer)))
    return " ".join(_ISSUER_WORDS.get(w, w) for w in words) or None


@dataclass(frozen=True)
class Identity:
    number: str | None
    issuer: str | None
    issued: date | None

    @classmethod
    def of(cls, doc_number: str | None, issuer: str | None, issued: date | None) -> "Identity":
        return cls(number_key(doc_number), issuer_key(issuer), issued)

    @property
    def key(self) -> str | None:
        """The normalised identity, "341/kh-ubnd|uy ban nhan dan xa mau son|2026-11-02"."""
        if not self.number:
            return None
        return "|".join([self.number, self.issuer or "", self.issued.isoformat() if self.issued else ""])

    def agreement(self, other: "Identity") -> int | None:
        """None when these are different documents (or one has no number); otherwise how many of
        issuer and date both have and agree on (0-2)."""
        if not self.number or self.number != other.number:
            return None
        agreed = 0
        for mine, theirs in ((self.issuer, other.issuer), (self.issued, other.issued)):
            if mine and theirs:
                if mine != theirs:
                    return None
                agreed += 1
        return agreed


def plan_identity(plan: PlanDocument) -> Identity:
    return Identity.of(plan.doc_number, plan.issuer, plan.issued_date)


def body_text(plan: PlanDocument) -> str:
    """The plan's own text: title, preamble and sections, without the appendices after the
    signature (their tables read differently from one format to another)."""
    own = [s for s in plan.sections if not s.path.startswith("Phụ lục")]
    parts = [*([] if plan.title_derived else [plan.title]), *plan.preamble]  # an inferred title follows the file name
    for section in own if own or plan.preamble else plan.sections:  # a text that is all appendix keeps it
        parts.append(section.heading)
        parts.extend(section.paragraphs)
    return "\n".join(parts)


def fingerprint(text: str) -> list[int]:
    """The bottom-k sketch of the text's word shingles, ascending."""
    words = folded_words(text)
    if len(words) < SHINGLE:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = {int.from_bytes(hashlib.blake2b(s.encode(), digest_size=6).digest(), "big") for s in shingles}
    return sorted(hashes)[:SKETCH]


def similarity(a: list[int] | None, b: list[int] | None) -> float:
    """Estimated Jaccard similarity of the two shingle sets behind the sketches."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:SKETCH]
    return sum(1 for h in union if h in sa and h in sb) / len(union)


@dataclass
class Stored:
    """A stored plan as matching sees it."""

    id: int
    identity: Identity
    sketch: list[int] | None
    names: tuple[str, ...] = ()  # the file names it came from
    load: Callable[[], list[int]] | None = None  # reads the sketch of a plan stored without one

    def fingerprint(self) -> list[int] | None:
        if self.sketch is None and self.load is not None:
            self.sketch = self.load()
        return self.sketch


def match(stored: list[Stored], identity: Identity, sketch: list[int], name: str) -> int | None:
    """The stored plan this text is a version of, or None for a new document.

    With a số hiệu: the stored plan with that number whose issuer and date do not contradict it
    (the one agreeing on most, then the closest in content). Without one, or when no stored
    plan has the number: the stored plan closest in content, from SAME_CONTENT on (a numbered
    text only looks among plans without a number: two numbered plans are never merged by
    content). Last, a text without a number that came from the same file name as a stored plan
    without one is that plan (re-ingesting an edited file, as before)."""
    if identity.number:
        agreeing = [(a, similarity(sketch, s.fingerprint()), s.id) for s in stored if (a := identity.agreement(s.identity)) is not None]
        if agreeing:
            return max(agreeing)[2]
    pool = [s for s in stored if not (identity.number and s.identity.number)]
    score, best = max(((similarity(sketch, s.fingerprint()), s.id) for s in pool), default=(0.0, None))
    if best is not None and score >= SAME_CONTENT:
        return best
    if not identity.number:
        return next((s.id for s in pool if not s.identity.number and name in s.names), None)
    return None
