"""The sentences of a procedure record that answer the question asked.

A procedure's long fields (trình tự, thành phần hồ sơ, điều kiện, kết quả, the channel
descriptions) are split into items and sentences; each is scored for the question by a
logistic model over a few signals (the question's own words in the sentence, weighted by
rarity; whether the sentence has the kind of fact asked for — a duration, an amount, a place,
a form; whether it sits in the field that usually holds it) and the best ones are quoted:

    "sinh con xong trong bao lâu phải đi làm giấy khai sinh"
      -> “Trong thời hạn 60 ngày kể từ ngày sinh con, cha hoặc mẹ có trách nhiệm đăng ký
          khai sinh cho con” (Trình tự thực hiện)

The model, LightGBM LambdaRank trees over these signals, rising with the question's words and
the asked kind of fact (grouped cross-validation on the tune half: the top sentence states the
gold quote 0.64 of the time, against 0.53 for a logistic model over the same signals), is fitted by `civic eval train-ranker` on the gold quotes of the
tune half of the frozen question set and shipped as data (knowledge/data/evidence.json and
evidence_ranker.txt).
"""
from __future__ import annotations

import json
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from knowledge.answer.chargrams import CharGrams
from knowledge.ingest.procedures import NO_INFO, Procedure
from knowledge.query import content_words
from vietnamese.abbreviations import expand
from vietnamese.text import fold_key, folded_words

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "evidence.json"
RANKER_PATH = DEFAULT_PATH.with_name("evidence_ranker.txt")  # LightGBM LambdaRank, text format
LABELS = {
    "steps": "Trình tự thực hiện",
    "channels": "Cách thức thực hiện",
    "documents": "Thành phần hồ sơ",
    "conditions": "Yêu cầu, điều kiện",
    "result": "Kết quả",
    "audience": "Đối tượng thực hiện",
    "agency": "Cơ quan thực hiện",
}
# Which kind of fact each aspect asks for (on folded text) ...
CUES = {
    "time": r"\b\d+\s*(ngay|gio|thang|tuan|phut)\b|trong ngay|ngay lam viec|ngay lap tuc",
    "deadline": r"(thoi han|trong vong|cham nhat|truoc)\b.{0,60}\b(co trach nhiem|phai|bat buoc)\b|(co trach nhiem|phai)\b.{0,60}\b(trong thoi han|cham nhat|truoc ngay|truoc \d)"
                r"|\btrong (thoi han|vong) \d+\s*(ngay|thang|nam|gio)\b.{0,40}\bke tu\b",
    "fee": r"\bphi\b|le phi|\bdong\b|\bvnd\b|mien",
    "where": r"(nop|gui|den|truy cap|dang nhap)\b.{0,80}\b(tai|den|cho|ve|vao)\b",
    "form": r"\bmau\b|to khai|don de nghi|mau so",
    "conditions": r"dieu kien|truong hop|\bphai\b|khong duoc|tu du|\btren\b|\bduoi\b|\bchi\b",
    "result": r"\bcap\b|giay|trich luc|quyet dinh|ket qua|the\b",
    "online": r"truc tuyen|cong dich vu cong|vneid|dinh danh|dien tu|toan trinh|qua mang|buu chinh",
    "who": r"nguoi|uy quyen|ca nhan|to chuc|than thich|dai dien",
    "documents": r"ban chinh|ban sao|giay|to khai|van ban",
    "steps": r"\bbuoc\b|\bnop\b|tiep nhan|tra ket qua|kiem tra|thu ly",
    "legal": r"nghi dinh|thong tu|luat|quyet dinh",
}
# ... and the fields that usually hold it.
PREFERRED = {
    "time": {"channels", "steps"},
    "deadline": {"steps", "conditions"},
    "fee": {"channels"},
    "where": {"steps", "agency"},
    "form": {"documents"},
    "conditions": {"conditions", "documents"},
    "result": {"result"},
    "online": {"steps", "channels"},
    "who": {"audience", "steps", "documents"},
    "documents": {"documents"},
    "steps": {"steps"},
    "legal": set(),
}
_CUE = {aspect: re.compile(pattern) for aspect, pattern in CUES.items()}
# A fact stated so plainly that a record holding it never "does not say": a deadline the citizen
# must meet is a number of days (months …) counted from an event, not from the file's receipt
# (that is the office's processing time).
_PLAIN_FACT = {
    "deadline": re.compile(r"\b(trong (thoi han|vong)|cham nhat|truoc)\b.{0,20}\b\d+\s*(ngay|thang|nam|gio)\b"),
}
_OFFICE_CLOCK = re.compile(r"\bke tu (ngay |thoi diem )?(nhan|tiep nhan|co ket qua|thu ly)|\bnhan du ho so\b|\bho so hop le\b")
# sentence ends: ". X", "; X", and ": X" unless a number follows ("trong hình: 350.000 đồng")
_SPLIT = re.compile(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ0-9\-+•(])|(?<=:)\s+(?=[A-ZĐÀ-Ỹ\-+•(])")
# A cue feature per group of aspects, so that each kind of fact gets its own weight.
CUE_GROUPS = {"where": ("where",), "time": ("time",), "deadline": ("deadline",), "fee": ("fee",), "form": ("form", "documents"),
              "other": ("conditions", "result", "online", "who", "steps", "legal")}
_AGENCY = re.compile(r"\b(cong an|uy ban|ubnd|trung tam|van phong|bo phan|cuc|phong|so|co quan|chi nhanh|bao hiem xa hoi|cong dich vu cong|ung dung)\b")
_OFFICIAL_ACTS = re.compile(r"\b(can bo|cong chuc|co quan .{0,30}(tiep nhan|kiem tra|tham dinh|xem xet)|tham dinh|thu ly)\b")
ASKED = ("time", "deadline", "fee", "where", "form", "documents", "conditions", "who", "steps", "result", "online", "legal")
# the sentence's signals, then which aspects the question asks (so that the trees can tell a
# deadline question's sentence from a place question's) and which field the sentence is in
FEATURES = ("overlap", "overlap_words", "bigrams", *(f"cue_{g}" for g in CUE_GROUPS), "preferred", "has_number", "length",
            "position", "general_steps", "agency_named", "officials_act", "chars", "chars_relative", "chars_best",
            *(f"asks_{a}" for a in ASKED), *(f"in_{f}" for f in LABELS))


@dataclass
class Sentence:
    field: str
    text: str
    position: int  # order within its field
    words: list[str] = dataclass_field(default_factory=list)  # folded
    folded: str = ""

    def __post_init__(self) -> None:
        if not self.words:
            self.words = folded_words(self.text)
            self.folded = " " + " ".join(self.words) + " "

    @property
    def label(self) -> str:
        return LABELS.get(self.field, self.field)


def _pieces(text: str) -> list[str]:
    out = []
    for line in re.split(r"\n+", text or ""):
        line = re.sub(r"\s+", " ", line).strip(" -+•*")
        if not line or line == NO_INFO:
            continue
        if len(line.split()) > 45:
            out.extend(p.strip() for p in _SPLIT.split(line) if p.strip())
        else:
            out.append(line)
    return out


def sentences(proc: Procedure) -> list[Sentence]:
    """Every item and sentence of the record's long fields, labelled with its field."""
    raw = proc.original or {}
    found: list[Sentence] = []

    def add(field: str, texts: list[str]) -> None:
        for i, text in enumerate(t for t in texts if t and len(t) > 3):
            found.append(Sentence(field, text, i))

    add("steps", _pieces(raw.get("trinh_tu_thuc_hien", "")) or proc.steps)
    channel_texts = []  # the time and fee cells are shown as such; their notes and descriptions are sentences
    for c in proc.channels:
        channel_texts.extend(_pieces(c.fee.note or ""))
        channel_texts.extend(_pieces(c.description))
    add("channels", list(dict.fromkeys(channel_texts)))
    add("documents", [d.name + (f" ({d.form})" if d.form else "") for d in proc.documents])
    add("conditions", _pieces(raw.get("yeu_cau_dieu_kien", "")) or proc.conditions)
    add("result", proc.results)
    add("audience", [proc.audience] if proc.audience else [])
    add("agency", [a for a in (proc.executing_agency, proc.authority, proc.address) if a])
    return found


def question_words(question: str, title: str) -> list[str]:
    """The question's topic words that the procedure's own name does not already explain."""
    expanded = expand(question).text
    named = set(folded_words(title))
    return [w for w in content_words(expanded) if w not in named]


@dataclass
class Prepared:
    """A record's sentences, their word weights and character n-gram vectors (typos, partial
    words and abbreviations still share n-grams: "bhxh" / "bảo hiểm xã hội" do not, "dky" /
    "đăng ký" partly do)."""
    items: list[Sentence]
    idf: dict[str, float]
    grams: CharGrams | None = None

    @classmethod
    def of(cls, items: list[Sentence]) -> "Prepared":
        prepared = cls(items, _idf(items))
        texts = [s.folded for s in items]
        if any(t.strip() for t in texts):
            prepared.grams = CharGrams(texts)
        return prepared

    def char_similarity(self, question: str) -> list[float]:
        if self.grams is None:
            return [0.0] * len(self.items)
        return self.grams.similarity(" ".join(folded_words(expand(question).text)))


def char_features(similarities: list[float]) -> list[list[float]]:
    best = max(similarities, default=0.0) or 1.0
    return [[s, s / best, 1.0 if s >= best else 0.0] for s in similarities]


def features(question_topic: list[str], aspects: list[str], sentence: Sentence, idf: dict[str, float],
             chars: list[float] | None = None) -> list[float]:
    words = sentence.words
    present = set(words)
    wanted = set(question_topic)
    mass = sum(idf.get(w, 1.0) for w in wanted)
    hit = wanted & present
    q_bigrams = set(zip(question_topic, question_topic[1:]))
    s_bigrams = set(zip(words, words[1:]))
    folded = sentence.folded
    asked = aspects or ["steps"]
    return [
        sum(idf.get(w, 1.0) for w in hit) / mass if mass else 0.0,
        math.log1p(len(hit)),
        math.log1p(len(q_bigrams & s_bigrams)),
        *(1.0 if any(_CUE[a].search(folded) for a in asked if a in group) else 0.0 for group in CUE_GROUPS.values()),
        1.0 if any(sentence.field in PREFERRED.get(a, set()) for a in asked) else 0.0,
        1.0 if re.search(r"\d", sentence.text) else 0.0,
        math.log1p(len(words)),
        math.log1p(sentence.position),
        1.0 if not aspects and sentence.field == "steps" else 0.0,
        1.0 if _AGENCY.search(folded) else 0.0,
        1.0 if _OFFICIAL_ACTS.search(folded) else 0.0,
        *(chars or [0.0, 0.0, 0.0]),
        *(1.0 if a in aspects else 0.0 for a in ASKED),
        *(1.0 if sentence.field == f else 0.0 for f in LABELS),
    ]


def _idf(items: list[Sentence]) -> dict[str, float]:
    df: dict[str, int] = {}
    for s in items:
        for w in set(s.words):
            df[w] = df.get(w, 0) + 1
    n = len(items) or 1
    return {w: math.log(1 + n / c) for w, c in df.items()}


@dataclass
class EvidenceModel:
    """Scores a record's sentences for a question with two models fitted on the same gold
    quotes: logistic weights (``threshold`` on its probability) and LightGBM LambdaRank trees
    (``booster``, ``booster_threshold`` on its score). The trees' best sentence is quoted first,
    then the logistic model's best when it differs: the trees are right more often, the
    linear model keeps rarer kinds of fact (a citizen's own deadline) that a few examples do
    not teach the trees."""
    weights: list[float]
    bias: float
    threshold: float = 0.5
    provenance: str = ""
    booster: object = None
    booster_threshold: float = 0.0

    def __post_init__(self) -> None:
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()

    def _prepare(self, proc: Procedure, key: str | None) -> Prepared:
        """The record's sentences and their weights, kept for the most recently asked records."""
        if key and key in self._prepared:
            self._prepared.move_to_end(key)
            return self._prepared[key]
        prepared = Prepared.of(sentences(proc))
        if key:
            self._prepared[key] = prepared
            while len(self._prepared) > 256:
                self._prepared.popitem(last=False)
        return prepared

    def sentences_of(self, proc: Procedure, key: str | None = None) -> list[Sentence]:
        """The record's sentences, as prepared for scoring (kept for the recently asked records)."""
        return self._prepare(proc, key).items

    def score(self, question: str, aspects: list[str], proc: Procedure, key: str | None = None) -> list[tuple[float, Sentence]]:
        """``key``: identifies this version of the record (its content hash), for reuse."""
        prepared = self._prepare(proc, key)
        if not prepared.items:
            return []
        rows = self._rows(question, aspects, proc, prepared)
        return sorted(zip(self._linear(rows), prepared.items), key=lambda t: -t[0])

    def _rows(self, question: str, aspects: list[str], proc: Procedure, prepared: Prepared) -> list[list[float]]:
        topic = question_words(question, proc.name)
        chars = char_features(prepared.char_similarity(question))
        return [features(topic, aspects, s, prepared.idf, c) for s, c in zip(prepared.items, chars)]

    def _linear(self, rows: list[list[float]]) -> list[float]:
        return [1.0 / (1.0 + math.exp(-(self.bias + sum(w * x for w, x in zip(self.weights, row))))) for row in rows]

    def select(self, question: str, aspects: list[str], proc: Procedure, limit: int = 2, key: str | None = None,
               plain: bool = False) -> list[Sentence]:
        """The best sentences above the model's threshold. When none passes and ``plain`` is set, the
        best-scored sentence that plainly states an asked fact (see _PLAIN_FACT), whatever its score,
        instead of nothing ("the record does not say")."""
        prepared = self._prepare(proc, key)
        if not prepared.items:
            return []
        rows = self._rows(question, aspects, proc, prepared)
        ranked = sorted(zip(self._linear(rows), prepared.items), key=lambda t: -t[0])
        linear = [s for p, s in ranked if p >= self.threshold]
        if self.booster is None:
            return linear[:limit] or (_plain_fact(aspects, [s for _p, s in ranked]) if plain else [])
        values = [float(v) for v in self.booster.predict(rows, num_threads=1)]
        trees = [s for v, s in sorted(zip(values, prepared.items), key=lambda t: -t[0]) if v >= self.booster_threshold]
        chosen = []
        for sentence in trees[:1] + linear[:1] + trees[1:] + linear[1:]:
            if all(sentence is not other for other in chosen):
                chosen.append(sentence)
        return chosen[:limit] or (_plain_fact(aspects, [s for _p, s in ranked]) if plain else [])

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> "EvidenceModel":
        if not path.exists():
            return cls([0.0] * len(FEATURES), 0.0, threshold=1.1, provenance="unfitted: quotes nothing")
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            return cls([0.0] * len(FEATURES), 0.0, threshold=1.1, provenance="fitted on other features: quotes nothing")
        booster = None
        ranker = path.with_name(data["ranker"]) if data.get("ranker") else None
        if ranker is not None:
            if not ranker.exists():
                return cls([0.0] * len(FEATURES), 0.0, threshold=1.1, provenance=f"{ranker.name} is missing: quotes nothing")
            import lightgbm

            booster = lightgbm.Booster(model_str=ranker.read_text(encoding="utf-8"))
        return cls([float(w) for w in data["weights"]], float(data["bias"]), float(data["threshold"]), data.get("provenance", ""),
                   booster, float(data.get("booster_threshold", 0.0)))

    def save(self, path: Path = DEFAULT_PATH) -> None:
        data = {"features": list(FEATURES), "weights": self.weights, "bias": self.bias, "threshold": self.threshold,
                "provenance": self.provenance}
        if self.booster is not None:
            ranker = path.with_name(RANKER_PATH.name)
            ranker.write_text(self.booster.model_to_string(), encoding="utf-8")
            data.update(ranker=ranker.name, booster_threshold=self.booster_threshold)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _plain_fact(aspects: list[str], ranked: list[Sentence]) -> list[Sentence]:
    """The first of ``ranked`` that plainly states an asked fact, as a one-item list (or none)."""
    patterns = [_PLAIN_FACT[a] for a in aspects if a in _PLAIN_FACT]
    for sentence in ranked if patterns else []:
        if any(p.search(sentence.folded) for p in patterns) and not _OFFICE_CLOCK.search(sentence.folded):
            return [sentence]
    return []


def is_gold(sentence: Sentence, quote: str) -> bool:
    """The sentence states the gold quote (or most of it)."""
    a, b = fold_key(sentence.text), fold_key(quote)
    if not a or not b:
        return False
    if b in a or (len(a) > 20 and a in b):
        return True
    sa, sb = set(a.split()), set(b.split())
    return len(sa & sb) / max(len(sb), 1) >= 0.7
