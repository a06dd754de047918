"""What a question implies about a procedure's variant without naming it.

Procedure titles separate variants by qualifiers ("… có yếu tố nước ngoài", "… cho người dưới
14 tuổi", "Cấp lại …", "Gia hạn …"); citizens state their situation instead ("lấy chồng Đài
Loan", "con 5 tuổi", "bị mất bằng lái", "xin thêm thời hạn"). This reads the situation and
returns the official qualifier words, added to the question's search text like the citizen
vocabulary's official wording, so that retrieval and the learned ranker's variant features
(extras_asked) see them. Matching is on folded text (diacritics optional).
"""
from __future__ import annotations

import re

from vietnamese.text import fold

# Countries and nationalities people name; a name that is also a common word ("Anh", "Ý",
# "Nam", "Đức", and folded forms that are common phrases: "ba lan" = "ba lần", "an do" in "Nghệ An đó")
# counts only after "người", "quốc tịch", "nước", "chồng", "vợ" …; "ở trung tâm" is not "ở Trung (Quốc)"
_PLAIN_COUNTRIES = (
    "han quoc|nhat ban|trung quoc|dai loan|campuchia|thai lan|singapore|malaysia|canada|australia|ha lan|"
    "hong kong|philippines|indonesia|thuy dien|thuy si|na uy|dan mach|tay ban nha|bo dao nha|new zealand|"
    "mong co|trieu tien|myanmar|hy lap|tho nhi ky|ma cao|ukraina|hungary|romania|bulgaria|slovakia|cuba|brazil|"
    "mexico|israel|qatar|dubai|saudi|a rap|nam phi|chau au|chau phi|viet kieu|nuoc ngoai|ngoai quoc"
)
_WORD_COUNTRIES = "anh|y|duc|han|nhat|trung|tay|phap|nga|lao|uc|thai|my|sec|ao|bi|hong kong|ba lan|an do"
_FOREIGN = re.compile(
    rf"\b(?:(?:nguoi|quoc tich|nuoc|chong|vo|ban trai|ban gai|nguoi yeu|lay chong|lay vo|cuoi|o|ben|sang|tai|di) "
    rf"(?:{_WORD_COUNTRIES})|{_PLAIN_COUNTRIES})\b(?! (?:pham|thuat|nghe|tuoi|luat|ly|dong|san|nghiep|tam|uong|thu|cap|hoc|binh|gian|doan|tinh|ngay)\b)"
)
_AGE = re.compile(r"\b(\d{1,2})\s*(tuoi|thang tuoi)\b")  # "1 tháng" alone is a duration, not an age
_LOST = re.compile(
    r"\b(?:(?:bi|danh|lam|lo) (?:mat|that lac|hong|rach|chay)|that lac|bi (?:hong|rach|gay|uot|nhoe|chay|tuoc|thu hoi)|"
    r"mat (?:can cuoc|cccd|cmnd|the|giay|bang|so|ho chieu|ca vet|dang ky|chung minh|bien so|phu hieu)|"
    r"(?:can cuoc|cccd|cmnd|the|giay|bang lai|bang|so do|so hong|ho chieu|ca vet|bien so) (?:\w+ ){0,3}(?:bi )?(?:mat|hong|rach|gay|nhoe))\b(?! (?:bao|bn|may|het|khoang|tien|phi|thoi gian|nhieu|lau|ngay|tuan|thang))"
)
_EXTEND = re.compile(r"\b(them thoi han|keo dai thoi han|keo dai them|xin gia han|o them|lui han)\b")


def implied_qualifiers(text: str) -> list[str]:
    """Official qualifier words a question implies ("lấy chồng Đài Loan" -> "có yếu tố nước ngoài")."""
    f = " ".join(fold(text).replace("-", " ").split())
    found: list[str] = []
    if _FOREIGN.search(f):
        found.append("có yếu tố nước ngoài người nước ngoài")
    # "dưới 6 tuổi" is at most 5
    ages = [int(m.group(1)) - (f[: m.start()].endswith("duoi ")) for m in _AGE.finditer(f) if m.group(2) == "tuoi"]
    months = [m for m in _AGE.finditer(f) if m.group(2) != "tuoi"]
    # a child's age picks the child's variant; a teenager's the "từ đủ 14 tuổi" one; an adult's
    # age is incidental ("năm nay tôi 25 tuổi nên đi đổi thẻ")
    if ages and max(ages) < 14 or (not ages and months):
        found.append("dưới 14 tuổi" + (" dưới 6 tuổi" if (ages and max(ages) < 6) or months else ""))
    elif ages and 14 <= min(ages) < 18:
        found.append("từ đủ 14 tuổi trở lên")
    if _LOST.search(f):
        found.append("cấp lại")
    if _EXTEND.search(f):
        found.append("gia hạn")
    return found
