"""Is a feedback message something a desk officer can act on, or only the wish to report?

    "tôi muốn phản ánh hồ sơ bị chậm"             -> vague: what happened, where and when?
    "Đường vào thôn Bắc bị ngập nước cả tuần nay" -> concrete: keep these words as the content

After the wish to report ("tôi muốn phản ánh về ...") is set aside, a message is concrete when
it says where (a thôn, tổ, đường, office ... with its name or number) or when (a day, a date,
"cả tuần nay", "từ hôm ...") and has a few words besides, or is a long description.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vietnamese.text import fold_key, fold_word, words

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_NAMES = r"phan anh|kien nghi|pakn|pa"  # what people call a feedback
_WISH = re.compile(
    r"^(?:(?:toi|em|e|minh|mk|chung toi|gia dinh toi|anh|chi|ad oi|cho)\s+)*(?:(?:muon|mun|can|xin|co|dang|gui|mu?on gui)\s+)*"
    rf"(?:{_NAMES}|gop y|khieu nai|to cao|de xuat|y kien|bao cao)(?:\s+kien nghi)?"
    r"(?:\s+(?:ve|voi|len|xa))?(?:\s+(?:viec|van de|tinh trang|chuyen|cach))?\b\s*"
)
_PLACE_WORD = re.compile(r"^(thon|xom|to|khu|ap|ban|doi|duong|ngo|hem|kiet|phuong|xa|cho|truong|cau|kenh|song|nga|quoc|tinh|so|bo|trung|cong|uy|ubnd|tram|benh)$")
_TIME = re.compile(
    r"\b(hom nay|hom qua|hom kia|sang nay|toi qua|dem qua|tuan nay|tuan truoc|thang truoc|thang nay|nam nay|ca tuan|ca thang|"
    r"may hom|may ngay|nhieu ngay|lau roi|tu hom|tu ngay|tu thang|tu dau|ngay \d+|thang \d+|\d+ (ngay|tuan|thang|nam|lan|gio)|"
    r"\d{1,2}/\d{1,2}|\d+ gio|nua dem|buoi sang|buoi toi|ban dem|sang som)\b"
)
_FILLER = set("toi em e minh anh chi a ah nhe nha voi di ad oi la thi ma cua cho cac nhung mot duoc dc co khong ko k va de ve o".split())


_HANDLING = re.compile(rf"\b({_NAMES}|viec xu ly|ket qua xu ly|cach xu ly)\b")


def names_a_feedback(text: str) -> bool:
    """Does a request to rate name a feedback's handling ("đánh giá việc xử lý phản ánh"), not a service?"""
    return bool(_HANDLING.search(fold_key(text or "")))


@dataclass(frozen=True)
class Intake:
    vague: bool
    topic: str  # what is left once the wish to report is set aside ("hồ sơ bị chậm")


def _named_place(original: list[str], folded: list[str]) -> bool:
    """A place word followed by a name (capitalised) or a number: "thôn Bắc", "tổ 5", "đường Lê Lợi"."""
    for i, w in enumerate(folded[:-1]):
        if _PLACE_WORD.match(w):
            nxt = original[i + 1]
            if nxt[:1].isupper() or nxt.isdigit() or (folded[i + 1] in ("dan", "mot", "xa") and i + 2 < len(original) and original[i + 2][:1].isupper()):
                return True
    return False


def read(text: str) -> Intake:
    original = words(text or "")
    folded = [fold_word(w) for w in original]
    joined = " ".join(folded)
    m = _WISH.match(joined)
    consumed = len(m.group(0).split()) if m else 0
    rest_original, rest_folded = original[consumed:], folded[consumed:]
    topic_words = [w for w in rest_folded if w not in _FILLER]
    place = _named_place(rest_original, rest_folded)
    time = bool(_TIME.search(" ".join(rest_folded)))
    concrete = ((place or time) and len(topic_words) >= 4) or len(topic_words) >= 12
    spans = list(_WORD.finditer(text or ""))
    topic = (text or "")[spans[consumed].start():].strip(" .!?") if consumed < len(spans) else ""
    return Intake(vague=not concrete, topic=" ".join(topic.split()))


# "sửa số điện thoại", "nhầm địa chỉ rồi": which field of a feedback draft the citizen corrects.
_FIX_WORDS = re.compile(r"\b(sua|doi|nham|sai|lai)\b")
_FIX_TARGETS = [
    # "số" alone names the phone field; "số 14 thôn Đông" is a house number, not that field
    ("reporter_phone", re.compile(r"\b(so dien thoai|sdt|so dt|dien thoai)\b|\bso\b(?!\s*\d)")),
    ("reporter_address", re.compile(r"\b(dia chi)\b")),
    ("reporter_name", re.compile(r"\b(ho ten|ten)\b")),
    ("feedback_content", re.compile(r"\b(noi dung)\b")),
    ("feedback_subject", re.compile(r"\b(thu tuc|co quan)\b")),
]


def correction_target(text: str, fixing: bool = False) -> str | None:
    """The field a short message asks to correct; ``fixing``: the citizen already said "Sửa lại",
    so naming the field is enough ("số điện thoại")."""
    folded = fold_key(text or "")
    if (not fixing and not _FIX_WORDS.search(folded)) or len(folded.split()) > 14:
        return None
    return next((slot for slot, pattern in _FIX_TARGETS if pattern.search(folded)), None)


def wants_fix(text: str) -> bool:
    """ "sửa lại", "sửa", "chỉnh lại": the citizen wants to correct the draft (which field comes next)."""
    folded = fold_key(text or "").strip(" .!?")
    return 0 < len(folded.split()) <= 6 and bool(re.search(r"\b(sua|chinh)\b", folded))
