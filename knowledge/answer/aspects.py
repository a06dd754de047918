"""Which part of a procedure a question asks about: documents, time, fee, place, steps, ...

Rules on folded text, so "can giay to gi", "cần giấy tờ gì" and "can j" all mean documents; and
a learned model (logistic regression over hashed n-grams, hashed.py) fitted by
`civic eval train-ranker` on the aspect labels of the written question sets, whose confident
choice comes first: "kết quả tôi nhận được gồm những gì" asks for the result, though "gồm những
gì" is how people ask for documents. Rules and model disagree most on such wordings; held out by
source, the model chose the labelled aspect more often (0.88 and 0.79 against 0.83 and 0.69).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge.answer.hashed import LinearText
from vietnamese.abbreviations import expand
from vietnamese.text import fold_key

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "aspects.npz"
# the question sets' labels -> aspects here ("general": no particular aspect)
LABELS = {"place": "where", "legal_basis": "legal"}
CONFIDENT = 0.5
# aspects that answer the same question differently: the one chosen first drops the other
RIVALS = {frozenset({"time", "deadline"}), frozenset({"form", "documents"}), frozenset({"result", "documents"})}

# Order matters: the first aspects listed win when a question mentions several.
ASPECT_PATTERNS: dict[str, tuple[str, ...]] = {
    # a time limit the citizen must keep ("trong bao lâu phải đi khai sinh"), not the processing time
    "deadline": (
        r"trong (thoi han |vong )?bao lau (thi |ke tu .{0,30})?(phai|can|bat buoc)", r"(phai|can) .{0,40}trong (thoi han |vong )?bao lau",
        r"han chot", r"han (cuoi|nop)\b", r"cham nhat (la )?(bao gio|khi nao|ngay nao|may)", r"truoc (may|bao nhieu) (ngay|gio)",
        r"qua han (thi|co)", r"thoi han bao lau ke tu", r"phai (bao|khai bao|thong bao) truoc",
        r"(may|bao nhieu) (ngay|thang|tuan) (thi |la )?(phai|bat buoc)\b",
    ),
    "form": (r"mau (nao|gi|so|to khai|don)", r"to khai (nao|gi|mau|theo)", r"(dien|dung|viet|lam) (to khai|mau|don)", r"don (theo )?mau", r"mau.{0,20}(nao|gi)"),
    "documents": (
        r"giay to", r"ho so (gi|gom|nhu|can)", r"thanh phan", r"can (nhung )?gi\b", r"mang (theo )?gi",
        r"chuan bi (gi|nhung)", r"can (nhung )?giay", r"giay gi", r"gom nhung gi", r"nop nhung gi", r"can mang",
        r"(can|phai) nop (gi|nhung|giay|cai)", r"\bnop (gi|cai gi)\b", r"(may|bao nhieu) (anh|tam anh|ban)\b", r"anh (co|kich thuoc) (nao|bao nhieu)",
        r"(can|phai) (xuat trinh|kem theo|co) (gi|nhung)", r"(can|phai nop|nop) (don|ban ve|chung cu|chung tu|bang chung)\b.{0,20}\bgi\b",
        r"(khai|ghi|dien) (nhung )?(thong tin|noi dung) (gi|nao)",
    ),
    "fee": (r"le phi", r"\bphi\b", r"bao nhieu tien", r"het bao nhieu", r"ton bao nhieu", r"mien phi", r"(bao nhieu|het|mat|ton|nop|dong|tra) tien", r"mat phi"),
    "time": (
        r"bao lau", r"bao nhieu lau", r"may ngay", r"bao nhieu ngay", r"thoi gian", r"thoi han", r"khi nao (co|xong|nhan|duoc)",
        r"bao gio (co|xong|nhan)", r"mat (may|bao)(?! nhieu tien)", r"trong ngay", r"lau (khong|ko|k)\b",
        r"co (lien|ngay|luon) (khong|ko|k)\b", r"(lay|nhan|duoc) (lien|ngay|luon)\b",
    ),
    "online": (r"online", r"truc tuyen", r"qua mang", r"vneid", r"tren (app|ung dung|mang|cong)", r"dich vu cong", r"toan trinh"),
    "where": (
        r"o dau", r"nop (o )?dau", r"noi nop", r"co quan nao", r"lam o dau", r"buu dien", r"buu chinh", r"ra dau",
        r"den dau", r"xin o dau", r"cho nao", r"nop cho ai", r"tai dau", r"(nop|lam|gui) (tai|o) (co quan|noi) nao", r"nop (tai|o) (xa|huyen|tinh|dau)",
    ),
    "who": (r"\bai (duoc|co the|phai|di|lam)\b", r"uy quyen", r"(lam|di|nop) (ho so )?(thay|ho)\b(?! (so|chieu|khau|tich|kinh doanh|ngheo|gia dinh))", r"nguoi (khac|than)"),
    "conditions": (r"dieu kien", r"co duoc (khong|ko)", r"duoc (khong|ko)\b", r"yeu cau gi", r"bat buoc", r"co can .{0,30}(khong|ko|k)\b",
                   r"\bco phai\b .{0,40}\b(khong|ko|k|hong)\b"),
    "legal": (r"can cu\b", r"phap ly", r"luat nao", r"van ban nao", r"nghi dinh nao", r"thong tu nao", r"quy dinh nao"),
    "result": (
        r"ket qua (la|nhan|gi)", r"nhan (duoc|dc) (gi|giay|cai|van ban)", r"(duoc|dc) cap (gi|giay|cai)", r"nhan lai (gi|giay)",
        r"(duoc|dc) nhan (giay|gi|cai|van ban)", r"nhan (duoc |dc |lai )?(nhung )?(gi|quyet dinh gi|giay gi)\b", r"ra (van ban|giay|quyet dinh) gi", r"cap cho (minh|toi|em) (giay|cai|van ban) gi",
    ),
    "steps": (
        r"cac buoc", r"trinh tu", r"lam sao", r"lam the nao", r"nhu the nao", r"the nao", r"quy trinh",
        r"cach (lam|thuc)", r"huong dan", r"ra sao", r"thu tuc (ra sao|the nao)", r"\bbuoc\b",
    ),
}
_COMPILED = {aspect: [re.compile(p) for p in patterns] for aspect, patterns in ASPECT_PATTERNS.items()}


@dataclass
class AspectModel:
    model: LinearText  # one row of coefficients per aspect

    @property
    def classes(self) -> list[str]:
        return self.model.classes

    def predict(self, question: str) -> tuple[str, float]:
        z = self.model.scores(fold_key(expand(question).text))
        p = np.exp(z - z.max())
        p /= p.sum()
        best = int(np.argmax(p))
        return self.classes[best], float(p[best])

    @classmethod
    def fit(cls, questions: list[str], labels: list[str], provenance: str = "", c: float = 10.0) -> "AspectModel":
        return cls(LinearText.fit([fold_key(expand(q).text) for q in questions], [LABELS.get(label, label) for label in labels], provenance, c=c))

    def save(self, path: Path = MODEL_PATH) -> None:
        self.model.save(path)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "AspectModel | None":
        model = LinearText.load(path)
        return cls(model) if model is not None else None


@lru_cache(maxsize=1)
def _model() -> AspectModel | None:
    return AspectModel.load()


def detect_aspects(question: str) -> list[str]:
    """Aspects the question asks for, most specific first; [] means an overview."""
    found = _rule_aspects(question)
    model = _model()
    if model is None:
        return found
    chosen, probability = model.predict(question)
    if probability < CONFIDENT or chosen == "general" or chosen not in ASPECT_PATTERNS:
        return found
    return [chosen] + [a for a in found if a != chosen and frozenset({a, chosen}) not in RIVALS and a != "steps"]


# A question that opens on the dossier and asks nothing else ("Hồ sơ thực hiện thủ tục X?",
# "Đề nghị cho biết hồ sơ đề nghị cấp mới giấy chứng nhận Y?", "ho so lam giay khai sinh")
# asks which papers make it up.
_DOSSIER_OPENING = re.compile(
    r"^(?:(?:xin |cho (?:toi |em |minh )?)?hoi |(?:de nghi |xin |vui long )?cho (?:toi |em |minh )?biet )?(?:ve )?"
    r"(?:thanh phan )?ho so\b(?! (?:cua (?:toi|em|minh)|da|bi|dang|den))"
)


def _rule_aspects(question: str) -> list[str]:
    text = fold_key(expand(question).text)
    found = [aspect for aspect, patterns in _COMPILED.items() if any(p.search(text) for p in patterns)]
    if not found and _DOSSIER_OPENING.search(text):
        return ["documents"]
    if "steps" in found and len(found) > 1:
        found.remove("steps")  # "làm sao để ... cần giấy tờ gì": the specific part wins
    if "deadline" in found and "time" in found:
        found.remove("time")  # "trong bao lâu phải ...": the citizen's own time limit
    if "form" in found and "documents" in found:
        found.remove("documents")
    if "result" in found and "documents" in found:
        found.remove("documents")  # "được nhận giấy tờ gì": what comes out, not what goes in
    return found
