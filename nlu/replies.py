"""One reading of what a person answers: a satisfaction level (1–5) or yes / no.

Used wherever someone answers (the SIPAS survey, rating a handled feedback, confirmations,
affirm/deny), so that "ko hài lòng", "k hài lòng", "rat ko hl", "tàm tạm", "5 sao", "👎" mean
the same thing everywhere. The reading is compositional:

    number      "4", "4 sao", "4/5", "cho 4", "bốn", "★★★★"       (a number that is a duration,
                                                                  an address, a phone is not)
    words       hài lòng 4, tốt 4, tuyệt vời 5, bình thường 3, tệ 2, kinh khủng 1 ...
    intensity   rất / quá / cực kỳ / lắm / siêu: 4 -> 5, 2 -> 1
    negation    không, ko, k, kh, hk, hông, hok, chưa, chẳng, chả (+ diacritics or not):
                "không hài lòng" 2, "không hài lòng chút nào" 1, "không hài lòng lắm" 2,
                "không tệ" 3, "không tệ chút nào" 4, "không tuyệt lắm" 3
    idioms      "không chê vào đâu được" 5, "không có gì phàn nàn" 4, "không đến nỗi" 3 ...

When the signals disagree (praise next to a complaint, two numbers, a question, sarcasm), the
reading is None: the caller asks again with buttons and stores nothing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from vietnamese.text import fold

NEGATORS = r"(?:khong|ko|k|kh|khg|hk|hong|hok|hem|chua|chang|cha|dau co|khong he|chang he|cha he|chu khong)"
_NEG = re.compile(rf"\b{NEGATORS}\b")
INTENSIFIERS = r"(?:ec|k tuong|ko tuong|qua u la|qua u|cung cuc|tot do|tot cung|khong tuong|het cho che|tran tre|ghe gom|khung khiep|kinh khung|da man|vcl|dien nguoi|rat|qua|cuc k[iy]|cuc|sieu|vo cung|lam|hoan toan|thuc su|that su|het suc|qua troi|dac biet|luon|nhat|vai|vl|very|het cho noi|het nac|het muc|het say|het y|het co)"
# "không ... chút nào / tí nào / gì cả / hề" make a negation total; "không ... lắm" softens it
_TOTAL = re.compile(rf"\b(chut nao|chut xiu nao|ti xiu nao|xiu nao|ti nao|gi ca|gi het|hoan toan|{NEGATORS} he|teo nao|ti teo nao|tuyet doi|het muc|het nac)\b")
_SOFT = re.compile(r"\b(lam|qua|may)\b")
_FEELING = r"(?:(?:the\s+)?(?:noi|cam thay|thay|nghi)\s+(?:la\s+)?(?:(?:minh|toi|em|tui)\s+)?)?"

# spellings typed on phones -> the word meant (folded, whole words)
VARIANTS = {"log": "long", "lg": "long", "hlong": "hai long", "hlog": "hai long", "thg": "thuong", "qa": "qua", "wa": "qua",
            "j": "gi", "nhg": "nhung", "nhug": "nhung", "hok": "khong", "ukm": "um", "uhm": "um", "oce": "ok", "okey": "ok",
            "mun": "muon", "dk": "duoc", "đk": "duoc", "bthuong": "binh thuong", "bthg": "binh thuong", "bth": "binh thuong",
            "binhthuong": "binh thuong", "hailong": "hai long", "ua": "u", "uki": "ok", "okay": "ok"}
# phrases that hold a sentiment word by accident of spelling without diacritics ("thái độ" is not
# "dở", "cảm ơn" is not "ổn", "đáp ứng" is not "ưng"): matched first, so their letters are taken
NEUTRAL = ("dinh cho", "dinh cham", "dinh chon", "du dinh", "quyet dinh", "xac dinh", "on dinh", "dinh danh", "quy dinh",
           "dinh ky", "gia dinh", "co dinh", "nhat dinh", "moi duoc", "moi xong", "duoc tiep nhan", "thai do", "cam on", "cam ta", "tam thoi", "lau dai", "do dang", "thu tuc", "mot lan", "lan sau", "ho so", "so do", "so hong",
           "bien do", "nhiet do", "trinh do", "muc do", "che do")
# sentiment words whose letters spell other words once the diacritics are gone: typed with
# diacritics, only these spellings are the sentiment word
AMBIGUOUS = {"cham": {"chậm"}, "do": {"dở"}, "on": {"ổn"}, "te": {"tệ"}, "tam": {"tạm"}, "lau": {"lâu"},
             "chan": {"chán"}, "xin": {"xịn"}, "ung": {"ưng"}, "tot": {"tốt"}, "kem": {"kém"}, "buc": {"bực"},
             "xau": {"xấu"}, "dinh": {"đỉnh"}, "phien": {"phiền"}, "nhanh": {"nhanh"}, "tuyet": {"tuyệt"}, "thich": {"thích"}}
# a typed slip of one letter in a phrase this long is still the phrase ("hài lonh", "binh thuog")
FUZZY_MIN = 7
# word -> level, on folded text; longer phrases first
WORDS: list[tuple[str, int]] = sorted(
    [
        # very positive
        ("tuyet voi", 5), ("tuyet", 5), ("xuat sac", 5), ("hoan hao", 5), ("xin xo", 5), ("qua xin", 5), ("xin", 5),
        ("perfect", 5), ("great", 5), ("very satisfied", 5), ("ngoai mong doi", 5), ("meh", 3), ("dinh", 5), ("dinh cua chop", 5), ("dinh that su", 5), ("excellent", 5), ("dinh cao", 5), ("10 diem", 5), ("vuot mong doi", 5), ("dinh vai", 5), ("dinh vl", 5),
        ("qua dinh", 5), ("diem toi da", 5), ("so sao toi da", 5), ("cao nhat", 5), ("muc cao nhat", 5), ("tron ven", 5),
        # positive
        ("hai long", 4), ("hl", 4), ("tot", 4), ("ok", 4), ("oke", 4), ("okie", 4), ("oki", 4), ("okela", 4), ("on", 4),
        ("nhiet tinh", 4), ("nhanh gon", 4), ("chu dao", 4), ("tan tinh", 4), ("vua y", 4), ("ung y", 4), ("ung", 4),
        ("good", 4), ("nice", 4), ("satisfied", 4), ("fine", 4), ("hai long voi", 4), ("duoc viec", 4), ("dc day", 4), ("duoc day", 4), ("hoi bi ok", 4),
        ("nhanh", 4), ("gioi", 4), ("vui", 4), ("de thuong", 4), ("than thien", 4), ("lich su", 4), ("thich", 4), ("de chiu", 4), ("chuyen nghiep", 4),
        ("dap ung", 4), ("dap ung duoc", 4), ("dat yeu cau", 4), ("on ap", 4), ("khong co van de gi", 4), ("ko co van de gi", 4),
        # neutral
        ("binh thuong", 3), ("tam", 3), ("tam tam", 3), ("tam duoc", 3), ("tam on", 3), ("tam hai long", 3), ("trung binh", 3),
        ("cung duoc", 3), ("cung dc", 3), ("thuong thoi", 3), ("duoc", 3), ("dc", 3), ("so so", 3), ("tam chap nhan", 3),
        ("chap nhan duoc", 3), ("khong co gi dac biet", 3), ("nothing special", 3), ("normal", 3), ("average", 3), ("so so", 3), ("vua phai", 3), ("bt", 3), ("tam ok", 3), ("ok tam", 3),
        ("mot nua", 3), ("vua vua", 3), ("muc giua", 3), ("o giua", 3), ("muc trung binh", 3), ("thuong thuong", 3), ("cung thuong", 3),
        # negative
        ("te", 2), ("kem", 2), ("xau", 2), ("phan nan", 2), ("chan", 2), ("do", 2), ("that vong", 2), ("cham", 2), ("mat thoi gian", 2), ("buc", 2),
        ("buc minh", 2), ("buc xuc", 2), ("kho chiu", 2), ("phien", 2), ("lau", 2), ("bad", 2), ("poor", 2), ("not satisfied", 2), ("unsatisfied", 2), ("dissatisfied", 2), ("not good", 2), ("khong vui", 2), ("nhung nhieu", 2),
        ("cau tha", 2), ("bat man", 2), ("bat binh", 2), ("that hua", 2), ("qua loa", 2), ("thieu nhiet tinh", 2), ("thieu chuyen nghiep", 2), ("kem coi", 2), ("tre hen", 2), ("chua duoc nhu mong muon", 2), ("khong dung hen", 2),
        # very negative
        ("kinh khung", 1), ("do te", 1), ("khong den nua", 1), ("khong quay lai nua", 1), ("khong toi nua", 1), ("toi te", 1), ("te nhat", 1), ("nhu hach", 1), ("very bad", 1), ("terrible", 1), ("awful", 1), ("horrible", 1), ("te hai", 1), ("be boi", 1),
        ("qua te", 1), ("khong muon quay lai", 1), ("cha ra gi", 1), ("chang ra gi", 1), ("cha ra lam sao", 1),
        ("chang ra sao", 2), ("cha ra sao", 2), ("ghe tom", 1), ("kinh di", 1),
        ("thap nhat", 1), ("muc thap nhat", 1), ("diem thap nhat", 1), ("chiu khong noi", 1),
    ],
    key=lambda item: -len(item[0]),
)
# whole-meaning idioms, checked before the word rules (folded, as regular expressions)
IDIOMS: list[tuple[str, int | None]] = [
    (rf"\b{NEGATORS} khen (cung |ma cung |va )?{NEGATORS} che\b", 3),  # neither praise nor blame
    (rf"\b{NEGATORS} co (gi|j) (la )?{NEGATORS} hai long\b", 4),  # nothing I am not satisfied with
    (rf"\b{NEGATORS} (the|co the) (te|kem|do|toi te) hon\b", 1),
    (rf"\b{NEGATORS} (the )?chap nhan( (duoc|dc|noi))?\b(?! (duoc|dc))(?!.*\b(nhung|ma)\b)", 1),
    (rf"\b{NEGATORS} (chiu|chiu duoc|chiu dc) (noi|duoc|dc)\b", 1),
    (rf"\b{NEGATORS} (duoc|dc) (gi|j) (ca|het)\b", 1),
    (rf"\b{NEGATORS} (the|co the) nao (ma )?(hai long|hl|chap nhan|chiu)\b", 1),  # "không thể nào hài lòng nổi"
    (r"\bnua\b.*\bnua\b|\bmot nua\b", 3),  # "hài lòng một nửa", "50/50"
    (r"\bchua (bao gio|tung|lan nao)\b.{0,30}\b(tot|hai long|nhanh|chu dao|nhiet tinh) (nhu|bang) (the|vay|nay|lan nay)\b", 5),
    (rf"\bchua (thay|gap) (ai|noi nao|cho nao|o dau)\b.*\b(te|kem|cham|toi te)\b", 1),
    (r"\bchua (bao gio|tung|lan nao)\b.{0,30}\b(te|kem|cham|do|toi te|that vong) (nhu|bang) (the|vay|nay|lan nay)\b", 1),
    (rf"\b{NEGATORS} (the|co the) {NEGATORS} hai long\b", 5),
    (rf"\b{NEGATORS} (the|co the) (hai long|tot) hon\b", 5),
    (rf"\b{NEGATORS} co (gi|j) (de |dang )?khen (hay|hoac|va|ma cung khong|cung khong) (gi (de )?)?che\b", 3),  # nothing to praise or blame
    (rf"\b{NEGATORS} (the |co the )?(che|che duoc|che vao dau duoc|che vao dau|che dc)\b", 5),
    (rf"\b{NEGATORS} (co )?(gi|j) (de |phai )?che\b", 5),
    (rf"\b{NEGATORS} (co )?(gi|j) (de |phai |de ma |dang )?phan nan\b(?!.*\b(tuyet|xuat sac)\b)", 4),
    (rf"\b{NEGATORS} (phai |den muc |den noi |han )?(la )?(rat|qua|cuc ki) (hai long|hl)\b.*\b(chi|nhung|ma)\b.*\b(hai long|hl)\b", 4),  # not very, just satisfied
    (r"\b(hai long|hl) dau ma (hai long|hl)\b", 1),
    (r"^(hai long|hl|tot|vui|on) dau\b", 2),
    (r"\bduoi (muc )?trung binh\b", 2),
    (rf"\b{NEGATORS} (duoc|dc|nhu|dung|dat) (nhu )?.{{0,20}}(mong (doi|muon|cho|doi cua)|ky vong)\b", 2),
    (rf"\b{NEGATORS} (den noi|den noi nao|den noi te|qua te|te lam)\b(?! (la )?(rat |qua )?(xuat sac|tuyet|hoan hao|hai long|hl|tot))", 3),
    # "không phải là không hài lòng": 3 to one reader, 4 to another; words beside it decide
    (rf"\b{NEGATORS} (phai |han |the noi )?(la )?(toi |em |minh |tui )?{NEGATORS} (hai long|hl|tot|on|vui|ung)\b", None),
    (rf"\b{NEGATORS} (tot|hay) (cung|ma cung) {NEGATORS} (te|do)\b", 3),
    (rf"\b{NEGATORS} (phai )?(la )?(rat )?te\b.*\b(chi|hoi)\b", 3),
    (r"\bhai long gi ma\b", 1),
    (rf"\b(hai long|hl|tot|on|vui) (thi|la) {NEGATORS}\b(?! (chi|phai|chac)\b)", 2),  # "hài lòng thì không"
    (rf"\b{NEGATORS} (co )?(gi|j) (dac biet|noi bat)\b", 3),
    (rf"\b{NEGATORS} (co )?(gi|j) (de )?khen\b", 2),
]
_IDIOMS = [(re.compile(p), v) for p, v in IDIOMS]
NUMBER_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5}
# a score out of ten (or a hundred), in fifths: 0-2 -> 1, 3-4 -> 2, 5-6 -> 3, 7-8 -> 4, 9-10 -> 5
TEN_POINT = {0: 1, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 5, 10: 5}
# emoji -> level (sarcasm markers make a positive reading untrustworthy)
EMOJI = {"😍": 5, "🥰": 5, "❤": 5, "💯": 5, "🤩": 5, "😊": 4, "🙂": 4, "👌": 4, "😀": 4, "😄": 4, "😃": 4, "👍": 4,
         "😐": 3, "😑": 3, "🤔": None, "👎": 2, "😞": 2, "😕": 2, "🙁": 2, "😢": 2, "😠": 1, "😡": 1, "🤬": 1, "😤": 1}
SARCASM = ("🙄", "😒", "🤡", "🙃")
JOKES = ("😂", "🤣", "😜", "😝")
STARS = ("★", "⭐", "🌟")
_UNIT_AFTER = re.compile(r"^\s*(ngay|hom|tieng|gio|phut|tuan|thang|nam|tuoi|lan|nguoi|km|m|trieu|nghin|k)\b")
_CONTEXT_BEFORE = re.compile(r"\b(thon|to|xom|(?<!chon )(?<!cho )(?<!cham )so|lan thu|ngay|thang|nam|phong|ban|khu|khu pho|pho|phuong|xa|quan|huyen|kp|ap|duong|ngo|hem|nha|sdt|so dien thoai|ma|tru|bot|giam|tru di)\s*$")
_RANGE_AFTER = re.compile(r"^\s*\d+\s*(ngay|hom|tieng|gio|phut|tuan|thang|nam|lan)\b")
_RATING_NUMBER = re.compile(r"(?<![\d/.,:-])([0-9]|10)(?:\s*(sao|\*|diem|d|/\s*(5|10)))?(?![\d/.,:-])")
# "thế nào" asks; "không thể nào" does not
_HOW = r"(?<!khong )(?<!ko )(?<!chang )(?<!chua )the nao"
_QUESTION = re.compile(r"\?\s*$|\b(duoc|dc|duoc ko) (khong|ko|k|hong|kg)( a| vay| nhe| nha| ad)?$|^(.* )?co \w+( \w+)? (khong|ko|k|hong|chua)$|\b(sao lai|khong le|tai sao|la gi|la sao|" + _HOW + r"|nhu nao|bao nhieu)\b")
_ASKS_BACK = re.compile(r"\b(la gi|la sao|" + _HOW + r"|nhu nao|nghia la|hay .{1,30} vay|giua .{1,30} va)\b|\bcho (toi |em |minh |e )?hoi\b(?! (lau|cham|ngan|it|nhieu|lau qua)\b)")
_UNDECIDED = re.compile(r"\btuy (luc|lan|nguoi|hom|truong hop|cho|vao|theo|ket qua)\b|\bcon tuy\b|\b(hay|hoac)\b.*\b(gi cung duoc|cung duoc)\b|\b([1-5])\s*(hay|hoac|-)\s*([1-5])\b")
_REFUSAL = re.compile(rf"\b{NEGATORS} (muon|thich) (cham|danh gia|tra loi|cho diem)\b|\b({NEGATORS}|chua) the (danh gia|cham diem|cho diem)\b|\b(sao|gi) cung dc\b|\b(chua danh gia|chua dung|chua su dung|sao cung duoc|gi cung duoc|khong co gi de noi|ko co gi de noi|k co gi de noi|khong biet|ko biet|k biet|ko bt|khong bik|ko bik|chang biet|cha biet|chua nghi ra|(may|bao nhieu) sao cung (duoc|dc)|khong muon danh gia|ko danh gia|skip|bo qua|de sau|sau di|luc khac|khong hieu|chua hieu)\b")
# "bỏ qua" a question (survey, subject, photos); a bare "không" to "how satisfied are you?" is not a skip
SKIP_WORDS = {"bo qua", "skip", "bo", "khong tra loi", "khong muon tra loi", "qua cau khac", "cau khac", "khong co", "khong lien quan",
              "bo qua di", "bo qua cau nay", "cau sau"}
_ALL_NUMBERS = re.compile(r"^\s*1\W+2\W+3\W+4\W+5\s*$")
_NOTHING_TO_ADD = re.compile(r"\b(khong|ko|k|kh|hk) co (gi|j) (de |phai |ma )?noi( them)?\b")
_CORRECTION = re.compile(r"\bthoi (thi )?(cho |cham )?\d|\b(ma la|a nham|nham|sua lai la|thuc ra la|a thoi|a khong|a ma|nghi lai|dinh (cho|cham|chon)|tuong|luc dau|ban dau)\b"
                         r"|\b\d+ (sao |diem )?thi (hoi |qua |hoi bi |cung )?(qua|chua toi|chua den|nhieu qua|cao qua|chua xung|it|thap|it qua|thap qua)\b")
# the same in words, settled at the end: "Năm điểm thì hơi quá, tôi cho bốn"
_WORD_CORRECTION = re.compile(r"\b(?:mot|hai|ba|bon|tu|nam) (?:sao|diem) thi (?:hoi |qua |hoi bi |cung )?(?:qua|nhieu|cao|it|thap)\b.*"
                              r"\b(?:cho|cham|chon)( lai)? (mot|hai|ba|bon|tu|nam)( sao| diem)?( thoi| nhe| luon| a)*\W*$")
_NUMBER_WORD_UNIT = re.compile(r"\b(mot|hai|ba|bon|tu|nam) (sao|diem)\b")
_REASON = re.compile(r"\b(vi|boi vi|tai vi|vi la)\b")
_SATISFACTION = re.compile(r"\b(hai long|hl)\b")
_BUT = re.compile(r"\b(nhung|song)\b")
# a bare acknowledgement answers "did you read the question?" as much as "how satisfied?"
_ACKNOWLEDGED = re.compile(r"\s*((ok|oke|okie|oki|okela|okay|okey|uki|dc|duoc|d(u)?oc roi|ok roi|um|u|uh|vang|da)\s*)+(a|nhe|nha)?\s*")


@dataclass(frozen=True)
class Reading:
    level: int | None  # 1..5, or None: ask again
    why: str = ""

    def plain(self, text: str) -> bool:
        """The answer is one of the scale's own choices as typed (a digit, "4 sao", stars, a number
        word, one of the five labels in any spelling of its negator): stored as it is. Anything
        else the caller shows back as the level understood and stores once the person agrees."""
        return self.level is not None and is_plain_choice(text)


_PARTICLES = r"(?:a|ah|nhe|nha|nhen|ad|oi|thoi|di|luon|cho|toi|em|minh|tui|chon|muc|so|la|ban|cham|danh gia|dg)"
_PLAIN = re.compile(
    rf"(?:{_PARTICLES} )*(?:[1-5](?: ?(?:sao|diem|/ ?5|\*))?|(?:mot|hai|ba|bon|nam)(?: (?:sao|diem))?"
    rf"|(?:rat )?(?:{NEGATORS} )?(?:hai long|hl)|binh thuong)(?: {_PARTICLES})*")


def is_plain_choice(text: str | None) -> bool:
    raw = unicodedata.normalize("NFC", (text or "").strip())
    if raw and set(raw.replace(" ", "")) <= set(STARS) and 1 <= len(raw.replace(" ", "")) <= 5:
        return True
    return bool(_PLAIN.fullmatch(_folded(raw, sentiment=False)))


def _meant_words(text: str) -> str:
    """Words typed with diacritics that are not the sentiment word their letters spell ("chấm"
    is not "chậm", "độ" is not "dở") are kept apart from it."""
    words = re.findall(r"[^\W\d_]+", text)
    accented = sum(w != fold(w) for w in words) >= max(2, len(words) / 2)

    def keep(m: re.Match) -> str:
        word = m.group(0)
        plain = fold(word)
        meant = AMBIGUOUS.get(plain)
        # in a message typed with diacritics, a plain "do" is "do" (because) and "xin" is "xin"
        typed_plain = accented and word.lower() == plain and plain not in meant if meant else False
        return f"{plain}x" if meant and (word.lower() != plain and word.lower() not in meant or typed_plain) else word
    return re.sub(r"\w+", keep, text)


def _folded(text: str, sentiment: bool = True) -> str:
    """Folded words, numbers, '/', '*' and the thumbs; other punctuation becomes a space; a
    letter typed three times or more counts once ("lắmmm", "nooo"); phone spellings are read
    as the word meant ("hài lòg", "bình thg", "qá"). With ``sentiment``, words typed with
    diacritics that only look like a sentiment word once folded are kept apart from it."""
    text = re.sub(r"(?i)\bxỉu\b", "dã man", text)  # "tệ xỉu" (faint); "xíu" is "a little"
    text = re.sub(r"(?<![\w/.-])[-−]\s*(?=\d)", " trừ ", text)  # "-1" is below the scale, not 1
    kept = re.sub(r"[^\w\s/*%👍👎]", " ", fold(_meant_words(text) if sentiment else text).replace("*", " * "))
    kept = re.sub(r"([a-z])\1{2,}", r"\1", kept.replace("_", " "))
    words = " ".join(VARIANTS.get(w, w) for w in kept.split())
    # shares and scores said as numbers are words here: "hài lòng 100%", "50/50", "10 điểm"
    words = re.sub(r"\b100\s*%", "tron ven", words)
    words = re.sub(r"\b50\s*%|\b50\s*/\s*50\b", "mot nua", words)
    words = re.sub(r"\b(\d+) ?(diem ?)?(tren|tren tong|/|thang|he) ?(diem )?(5|10)\b", r"\1/\5", words)  # "4 trên 5", "8 điểm thang 10"
    words = re.sub(r"\bnam muoi tren mot tram\b", "50/100", words)
    words = re.sub(r"\b(\d{1,3}) ?(diem ?)?(tren|tren tong|thang|he) (thang )?(diem )?100\b", r"\1/100", words)
    words = re.sub(r"\b(\d{1,3})\s*/\s*100\b", lambda m: f"{min(10, round(int(m.group(1)) / 10))}/10", words)  # "80/100"
    words = re.sub(r"\b(100|max|muoi) diem\b|\bmax (sao|diem)\b", "diem toi da", words)
    words = re.sub(r"\b(\w+(?: \w+)?) oi la \1\b", r"rat \1", words)  # "tệ ơi là tệ"
    return re.sub(r"\b10\s*(diem|/\s*10)\b", "diem toi da", words).replace("%", " ")


def _numbers(text: str) -> list[int]:
    """Rating numbers in folded text; durations, addresses, dates and phones are not ratings."""
    found = []
    for m in _RATING_NUMBER.finditer(text):
        number, unit = int(m.group(1)), m.group(2)
        before, after = text[: m.start()], text[m.end() :]
        if re.search(r"\b(tru|tru di|bot|giam|tru them)\s*$", before) or \
                not unit and (_UNIT_AFTER.match(after) or _RANGE_AFTER.match(after) or _CONTEXT_BEFORE.search(before)):
            continue
        if unit and unit.startswith("/") and unit.replace("/", "").strip() == "10":
            if number in TEN_POINT:
                found.append(TEN_POINT[number])
            continue
        found.append(number)
    return found


def _number_word(folded: str) -> int | None:
    """'bốn', 'năm sao', 'hai điểm', 'cho ba' — a number word that is the whole answer."""
    m = re.fullmatch(r"(?:cho |cham |chon |muc |toi chon )?(mot|hai|ba|bon|tu|nam)(?: (sao|diem))?(?: (a|nhe|nha|thoi))?", folded)
    return NUMBER_WORDS[m.group(1)] if m else None


_KNOWN = set(" ".join([p for p, _ in WORDS] + list(NEUTRAL) + list(VARIANTS.values()) + list(NUMBER_WORDS)).split()) | \
    set(re.findall(r"[a-z]+", NEGATORS + " " + INTENSIFIERS))


def _slips_repaired(folded: str) -> str:
    """A phrase of the word list typed with one letter wrong, missing or extra is the phrase."""
    words = folded.split()
    for phrase, _ in WORDS:
        if len(phrase) < FUZZY_MIN or f" {phrase} " in f" {' '.join(words)} ":
            continue
        size = phrase.count(" ") + 1
        for i in range(len(words) - size + 1):
            window = " ".join(words[i : i + size])
            if window != phrase and abs(len(window) - len(phrase)) <= 1 and _one_edit(window, phrase):
                slip = [w for w, p in zip(words[i : i + size], phrase.split()) if w != p]
                # only an unknown word of four letters or more is a slip ("lonh"); "vi", "hông" are words
                if len(slip) == 1 and len(slip[0]) >= 4 and slip[0] not in _KNOWN:
                    words[i : i + size] = phrase.split()
    return " ".join(words)


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one letter changed, added or dropped."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _word_levels(folded: str, weak: list[int] | None = None, only: set[str] | None = None) -> list[int]:
    """Levels of the sentiment words, with their negation and intensity applied. Weak readings
    (a bare "được", a denied complaint such as "không chậm") go to ``weak`` when it is given:
    they support a clearer word beside them rather than stand against it."""
    levels: list[int] = []
    text = f" {folded} "
    taken = [False] * len(text)
    for phrase in NEUTRAL:
        for m in re.finditer(rf"(?<= ){re.escape(phrase)}(?= )", text):
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    for phrase, base in WORDS:
        for m in re.finditer(rf"(?<= ){re.escape(phrase)}(?= )", text):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            before = text[max(0, m.start() - 30) : m.start()]
            after = text[m.end() : m.end() + 25]
            # "không (cảm) thấy hài lòng", "không thể nói là mình hài lòng": a verb of feeling or
            # saying between the negator and the word keeps it negated
            negated = bool(re.search(rf"\b{NEGATORS}\s+{_FEELING}((duoc|dc|co|that|thuc|su|qua|rat|may|he|phai|la|gi|cho|doi|toi muc|den muc|toi|den)\s+){{0,2}}$", before))
            if negated and re.search(rf"\b{INTENSIFIERS}\s+{NEGATORS}\s+$", before):
                total_before = True  # "rất không hài lòng"
            else:
                total_before = False
            # "lắm" follows the word it strengthens; before it, "lam" is "làm" ("làm nhanh")
            intense = (bool(re.search(rf"\b{INTENSIFIERS}\s+$", before)) and not before.endswith(" lam ")) or \
                bool(re.match(rf"\s*{INTENSIFIERS}\b", after))
            total = bool(_TOTAL.search(before + after)) or total_before or (negated and bool(re.match(r"\s*(ca|het)\b", after)))
            soft = bool(re.match(r"\s*(lam|qua|may)\b", after)) or bool(re.search(r"\b(qua|rat)\s+$", before))
            level = _apply(base, negated, intense, total, soft)
            if level is None or only is not None and phrase not in only:
                continue
            if weak is not None and ((phrase in ("duoc", "dc") and not negated) or (negated and base <= 2 and level == 3) or
                                     (negated and base == 5 and not total)):  # "không xuất sắc (nhưng ổn)"
                weak.append(level)
            else:
                levels.append(level)
    return levels


def _apply(base: int, negated: bool, intense: bool, total: bool, soft: bool) -> int | None:
    if not negated:
        if base == 4 and intense:
            return 5
        if base == 2 and intense:
            return 1
        return base
    if base >= 4:  # not satisfied / not good
        if total:
            return 1
        if base == 5:
            return 3  # "không tuyệt lắm": not great
        return 2
    if base <= 2:  # "không tệ": not bad
        if total:
            return 4
        return 3
    return None  # "không bình thường": unclear


def read_rating(text: str | None) -> Reading:
    """The satisfaction level a person means, or Reading(None): ask again."""
    raw = unicodedata.normalize("NFC", (text or "").strip())
    if not raw:
        return Reading(None, "empty")
    folded = _rhetorical(_slips_repaired(_folded(raw)))
    if "?" in raw.rstrip(" ?") and re.search(r"\b(hai long|hl|danh gia|cham)\b", _folded(raw.split("?")[0])):
        return read_rating(raw.rsplit("?", 1)[1]) if re.search(r"\b(hai long|hl|\d)\b", _folded(raw.rsplit("?", 1)[1])) else \
            Reading(None, "answered its own question")  # "hài lòng á? chưa đâu": which level, then?
    stars = sum(raw.count(s) for s in STARS)
    if stars and not re.search(r"\d", folded):
        return Reading(stars, "stars") if 1 <= stars <= 5 else Reading(None, "stars")
    if _ACKNOWLEDGED.fullmatch(folded) or re.sub(r"[\U0001F3FB-\U0001F3FF\uFE0F]", "", raw) in ("👍", "👌", "🙂"):
        return Reading(None, "acknowledgement")  # "ok", "dc", "👍" alone: understood, or satisfied?
    if _praise_over_a_bad_story(folded, any(ch in raw for ch in SARCASM)):
        return Reading(1, "sarcasm")  # "tuyệt vời, hẹn 5 ngày mà 5 tuần mới xong"
    if any(ch in raw for ch in SARCASM):  # "5 sao cho việc làm mất hồ sơ 🙃"
        plain = read_rating("".join(ch for ch in raw if ch not in SARCASM)).level
        return Reading(plain, "a complaint, underlined") if plain and plain <= 2 else Reading(None, "sarcasm")
    if _ALL_NUMBERS.match(folded) or _UNDECIDED.search(folded) and not re.search(r"\bthoi (thi )?(cho |cham )?\d\W*(sao|diem)?\W*$", folded):
        return Reading(None, "undecided")
    if re.search(r"\d{6,}|pa\W?\d{4}", folded):
        return Reading(None, "not a rating")
    if re.search(r"\b(khong le|sao lai|tai sao|co phai|cho (toi|em|minh|chau|e) hoi)\b", folded) or _ASKS_BACK.search(folded) or \
            (raw.rstrip().endswith("?") and re.search(r"\bla\b", folded)):
        return Reading(None, "question")  # "mức 1 là tốt nhất hay tệ nhất vậy?", "chấm 1 là sao"
    corrected = re.search(rf"\b{NEGATORS} (phai|han) (la )?.+?\b(ma la|ma phai la|ma)\b (?P<tail>.+)$", folded)
    tail = read_rating(corrected.group("tail")).level if corrected else None
    if tail is not None:
        return Reading(tail, "corrected")  # "không phải là không hài lòng, mà là rất hài lòng"
    if _REFUSAL.search(folded) and not _numbers(folded):
        rest = _NOTHING_TO_ADD.sub(" ", folded)
        if _REFUSAL.search(rest) or not _word_levels(rest):
            return Reading(None, "refusal")
        folded = rest  # "bình thường, không có gì để nói": nothing to add to the answer given
    overall = re.search(r"\b(noi chung|nhin chung|tom lai|tong the|nhin chung lai|tinh ra|chung quy)\b (la |thi )?(?P<tail>.+)$", folded)
    if overall and read_rating(overall.group("tail")).level is not None:
        return Reading(read_rating(overall.group("tail")).level, "overall")  # "..., nói chung bình thường"
    chosen = re.fullmatch(r"(?:toi |em |minh )?(?:chon |cho |muc )?so ([1-5])(?: (?:sao|diem))?(?: (?:a|nhe|nha|thoi|di|nhe a))?", folded)
    if chosen:
        return Reading(int(chosen.group(1)), "number")  # "số 5 nhé": the whole answer names the choice
    if re.search(r"\b(thang|tren|he) (diem )?10\b", folded):  # "thang 10 thì tôi cho 2": out of ten
        folded = re.sub(r"\b(thang|tren|he) (diem )?10\b", " ", folded)
        tens = [int(n) for n in re.findall(r"\b(10|[1-9])\b", folded)]
        if len(set(tens)) == 1:
            return Reading(TEN_POINT.get(tens[0]), "out of ten")
    folded = re.sub(r"\b(lan sau|neu|hom sau|ve sau|lan toi|sau nay|mai mot|khi nao)\b.*\b(la|thi|se)( \w+){0,2}( cho)? \d+ (sao|diem)\b", " ", folded)  # "lần sau nhanh hơn là 5 sao"
    numbers = _numbers(folded)
    counted = re.sub(r"\b\d+\s*(ngay|hom|tieng|gio|phut|tuan|thang|lan)\b", " ", folded)  # durations and counts
    if re.search(r"\d", folded) and not numbers and (re.search(r"\d", counted) or not _word_levels(counted)):
        return Reading(None, "a number that is not the rating")  # "hồ sơ số 2", "đi 5 lần mới xong"
    if len(set(numbers)) == 2 and (_CORRECTION.search(folded) or re.search(rf"\b{NEGATORS} (cho |duoc |dat |den |phai )?\d.*\d\b(?!.*\d)", folded)):
        numbers = numbers[-1:]  # "không phải 3 mà là 4", "4, à không, 5", "ko cho 5 đâu, 4 thôi"
    elif numbers and re.search(rf"\b{NEGATORS} (cho |duoc |dat |den )?\d", folded):
        return Reading(None, "negated number")  # "không 5 sao được": which level, then?
    if numbers and re.search(r"\b(neu|neu nhu|mien la|voi dieu kien)\b", folded):
        return Reading(None, "a level on a condition")  # "5 sao... nếu như có kết quả"
    if numbers:
        if re.search(rf"\b{NEGATORS} (dang|phai) (duoc )?{numbers[0]}\b", folded):
            return Reading(1, "not worth the lowest") if numbers == [1] else Reading(None, "negated number")
        if len(set(numbers)) > 1:
            return Reading(None, "two numbers")
        level = numbers[0]
        said = _word_levels(" ".join(m.group(0) for m in re.finditer(rf"(?:(?:{INTENSIFIERS}|{NEGATORS}) ){{0,2}}(?:hai long|hl)\b", folded)))
        if said and (min(said) >= 4 and level <= 2 or max(said) <= 2 and level >= 4):
            return Reading(None, "number against words")  # "rất hài lòng nhưng tôi chấm 2"
        return Reading(level, "number") if 1 <= level <= 5 else Reading(None, "out of scale")
    if m := _WORD_CORRECTION.search(folded):
        return Reading(NUMBER_WORDS[m.group(2)], "number word, corrected")
    word = _number_word(folded)
    if word:
        return Reading(word, "number word")
    spoken = [NUMBER_WORDS[w] for w in re.findall(r"\b(mot|hai|ba|bon|tu|nam)\b", folded)]
    if _CORRECTION.search(folded) and spoken and re.fullmatch(r"(?:(?:mot|hai|ba|bon|tu|nam|sao|diem|a|khong|nham|ma|la|thoi|nhe)\s*)+", folded):
        return Reading(spoken[-1], "number word, corrected")  # "Ba, à không, bốn"
    with_unit = {NUMBER_WORDS[m.group(1)] for m in _NUMBER_WORD_UNIT.finditer(folded)
                 if not re.search(r"\b(tru|tru di|bot|giam)\s*$", folded[: m.start()])}  # "bốn sao, trừ một sao"
    if len(with_unit) == 1 and not re.search(rf"\b{NEGATORS} (cho |duoc |dat |den )?(mot|hai|ba|bon|tu|nam) (sao|diem)", folded):
        return Reading(with_unit.pop(), "number word")  # "Năm sao cho cán bộ phường"
    if _QUESTION.search(folded) or raw.rstrip().endswith("?"):
        return Reading(None, "question")
    top_denied = re.search(rf"\b{NEGATORS} (phai |han |den muc |den noi |toi muc )?(la )?(rat |qua |cuc ky )?(xuat sac|tuyet voi|hoan hao|rat (hai long|hl)|qua (hai long|hl)|rat tot)\b", folded)
    if top_denied:
        rest_text = folded[: top_denied.start()] + " " + folded[top_denied.end() :]
        if re.search(rf"\b{NEGATORS} (phai |han )?(la )?{NEGATORS} (hai long|hl)\b", rest_text):
            return Reading(4, "not dissatisfied, not very satisfied")  # "ko phải ko hài lòng, chỉ là chưa đến mức rất hl"
        rest = _word_levels(rest_text)
        if rest and set(rest) == {4}:
            return Reading(4, "good, not excellent")  # "tốt nhưng chưa đến mức xuất sắc"
    if re.search(rf"\b{NEGATORS} (han|han la|hoan toan|den muc|den noi qua)\b", folded):
        return Reading(None, "partly")  # "không hẳn hài lòng", "không đến mức rất hài lòng"
    if re.search(r"\bhon (han |nhieu |mot chut |chut )?(lan truoc|truoc day|lan trc|truoc|moi lan)\b", folded) and not _SATISFACTION.search(folded):
        return Reading(None, "a comparison")  # "tốt hơn lần trước": better than what?
    if _neither_nor(folded):
        return Reading(3, "neither nor")
    found_idioms = [(m.span(), value) for pattern, value in _IDIOMS for m in [pattern.search(folded)] if m]
    apart = all(a[1] <= b[0] or b[1] <= a[0] for (a, _), (b, _) in zip(found_idioms, found_idioms[1:]))
    said = {value for _, value in found_idioms if value is not None}
    if 3 in said and said - {3} and said - {3} <= {4, 5} and apart:
        return Reading(3, "no complaint, nothing special")  # "không có gì phàn nàn, cũng không có gì nổi bật"
    if said and min(said) <= 2 and max(said) >= 4 and apart and re.search(r"\bcung\b", folded):
        return Reading(3, "nothing to praise, nothing to blame")
    for pattern, value in _IDIOMS:
        found = pattern.search(folded)
        if found:
            # words beside the idiom on its side make it stronger ("không có gì phàn nàn, rất hài
            # lòng"); other words beside it are usually its own tail ("không chê vào đâu được")
            rest = _word_levels(folded[: found.start()] + " " + folded[found.end() :])
            if value and rest and value >= 4 and min(rest) >= 4:
                return Reading(max(rest + [value]), "idiom and words")
            if value and rest and value <= 2 and max(rest) <= 2:
                return Reading(min(rest + [value]), "idiom and words")
            if value is None and rest and min(rest) >= 4:
                return Reading(max(rest), "idiom and words")  # "không phải là không hài lòng, khá ổn đấy"
            return Reading(value, "idiom")  # "không phải là không hài lòng": 3, 4 or unlabelled, by reader
    emoji = [EMOJI[ch] for ch in raw if ch in EMOJI]
    if any(ch in raw for ch in SARCASM + JOKES):
        return Reading(None, "sarcasm or a joke")
    reason = _REASON.search(folded)
    weak: list[int] = []
    head = _word_levels(folded[: reason.start()], weak) if reason else []
    # "không hài lòng vì phải chờ quá lâu": the reason explains the answer, it does not change it
    if not head:
        weak = []
    levels = (head or _word_levels(folded, weak)) + [e for e in emoji if e is not None]
    if weak and levels and max(levels) <= 2 and re.search(r"\b(nhung|ma)\b", folded):
        return _contrast(folded, levels)  # "được, mà chờ lâu vl"
    if weak and (not levels or min(levels) <= 2 and 3 in weak):
        levels = levels + weak  # nothing clearer beside them, or a complaint they do not support
    if not levels:
        return Reading(None, "no rating words")
    verdict = _verdict(folded)
    if verdict and not re.search(r"\b(nhung|ma|tuy|mac du|chi la)\b", folded) and \
            (verdict <= 2 and max(levels) <= 3 or verdict >= 4 and min(levels) == 3):
        return Reading(verdict, "the verdict, with reasons")  # "k hài lòng, chờ quá lâu": the reason does not grade it
    if max(levels) >= 4 and min(levels) <= 2:
        return _contrast(folded, levels)
    if len(set(levels)) == 1:
        return Reading(levels[0], "words")
    # same side with different strengths: the strongest reading of that side ("ko hài lòng 👎👎")
    if min(levels) >= 3 and max(levels) <= 5 and 3 not in levels:
        return Reading(max(levels), "words")
    if max(levels) <= 2 and re.search(rf"^(?:\w+ )?{NEGATORS} (\w+ ){{1,2}}(lam|may|cho lam)\b", folded) and 2 in levels:
        return Reading(2, "not very, with a reason")  # "không tốt lắm, chờ lâu quá": the verdict comes first
    if max(levels) <= 2:  # the stronger reading ("không hài lòng, rất không hài lòng"; "rất không hài lòng, trễ hẹn")
        return Reading(min(levels), "words")
    if set(levels) <= {3, 4}:
        if re.search(r"\btam\b", folded):
            return Reading(3, "passable")  # "tạm ok": "tạm" takes the praise down
        if re.search(rf"\b{NEGATORS} (te|do|kem|xau)\b", folded):
            return Reading(4, "not bad, and good")  # "k tệ đâu, khá ok"
        return Reading(None, "between 3 and 4")
    if set(levels) <= {1, 2, 3}:
        if levels[0] == 3 and re.search(r"\b(nhung|ma|chi|tuy)\b", folded):
            return _contrast(folded, levels)  # "cũng được, nhưng hơi chậm"
        first = raw.split(",")[0]
        if "," in raw and read_rating(first).level == 3 and _word_levels(_folded(first)) == [3]:
            return Reading(3, "passable, with a reason")  # "Cũng tạm, chờ hơi lâu."
        return Reading(None, "between 2 and 3")
    return Reading(None, "mixed")


_NOT_WHERE = r"(?<!\bo )(?<!\btai )(?<!\bnop )(?<!\blam )(?<!\bdi )(?<!\bden )(?<!\bve )(?<!\btu )(?<!\bcho )"
_RHETORICAL = re.compile(rf"\bco ((?:\w+ ){{0,3}}?\w+) {_NOT_WHERE}dau\b(?: (ban|ad|anh|chi|em|a|nhe|nha|oi|ca)\b)*|{_NOT_WHERE}\bdau co ((?:\w+ ?){{1,3}}?)(?: dau\b|(?=\W|$| ma\b| nhung\b))")


_STORY_COUNT = r"(\d+|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi|may|vai)"
_BAD_STORY = re.compile(
    rf"\bphai (di lai |di |cho |doi |len |chay )?{_STORY_COUNT} (lan|tuan|thang|chuyen)\b|\b{_STORY_COUNT} (lan|tuan|thang|nam|chuyen)\b.{{0,25}}\b(moi|chua|van chua)\b|\b(moi|cho|doi|mat) co {_STORY_COUNT} (tuan|thang|nam)\b"
    r"|\bhen \S+ (\S+ )?ma\b|\b(lam mat|mat ho so|chua xong|chua giai quyet|chua ai|van chua|van chua co)\b"
    r"|\b(bi |duoc )?bao (quay ve|ve|quay lai|lam lai|hom sau quay lai|mai quay lai)\b")
_CONCESSION = re.compile(r"\b(nhung|tuy|mac du|du cho|du la|chi co dieu|chi la|ma hoi|ma phai)\b")


def _praise_over_a_bad_story(folded: str, marked: bool) -> bool:
    """Praise with no reservation beside a story of failure ("nhanh ghê, mới có ba tháng thôi",
    "tuyệt lắm, hẹn 3 ngày mà chờ 2 tuần"): sarcasm. "hài lòng nhưng đi 3 lần mới xong" is a
    reservation, not sarcasm."""
    story = _BAD_STORY.search(folded)
    if not story:
        return False
    before = folded[: story.start()]
    praise = _word_levels(before + " " + folded[story.end() :], [])  # a bare "được" is not praise
    return bool(praise) and min(praise) >= 4 and not _CONCESSION.search(before) and \
        (marked or not _SATISFACTION.search(folded))  # "hài lòng lắm cơ 🙄 chờ 3 tháng chưa xong"


def _rhetorical(folded: str) -> str:
    """'có hài lòng đâu', 'đâu có hài lòng (đâu)' deny what they hold: read as 'không hài lòng'.
    'ở đâu', 'nộp đâu' ask where and stay as they are."""
    if re.search(r"\b(khong|ko|k|chua|sao|chi|gi)\s*$", folded):
        return folded  # "nộp ở đâu có nhanh không": a question
    folded = re.sub(rf"\b(hai long|hl|tot|vui|on) (thi|la) {NEGATORS}\b(?! (chi|phai|chac)\b)", r"khong \1", folded)  # "hài lòng thì không"
    folded = re.sub(r"\b(hai long|hl|tot|vui|on|nhanh|ung) (gi|j) dau\b", r"khong \1", folded)  # "hài lòng gì đâu"
    folded = re.sub(r"\b(hai long|hl|tot|vui|on|nhanh|ung) (o )?(cho|diem) nao dau\b", r"khong \1", folded)  # "hài lòng chỗ nào đâu"
    return _RHETORICAL.sub(lambda m: f"khong {m.group(1) or m.group(3)}", folded)


def _verdict(folded: str) -> int | None:
    """The level of the satisfaction phrase itself ("rất không hài lòng", "hài lòng lắm"), when
    the answer says it once or says it the same way each time."""
    said = _word_levels(folded, only={"hai long", "hl", "hai long voi"})
    if not said or min(said) <= 2 < max(said) or min(said) < 4 <= max(said) or 3 in said:
        return None
    return min(said) if max(said) <= 2 else max(said)


def _neither_nor(folded: str) -> bool:
    """ "không tốt không xấu", "không hài lòng cũng không phàn nàn": two different things denied."""
    parts = re.findall(rf"\b{NEGATORS} ((?:(?!{NEGATORS}\b)\w+ ?){{1,2}})", folded)
    if len(parts) != 2 or re.search(rf"\b{INTENSIFIERS}\b", folded):
        return False
    levels = [_phrase_level(p) for p in parts]
    # one good thing and one bad thing denied, without "mà / nhưng"
    return None not in levels and min(levels) <= 2 and max(levels) >= 4 and not re.search(r"\b(ma|nhung)\b(?! cung)", folded)


def _phrase_level(words: str) -> int | None:
    """The level of the sentiment word a phrase starts with ("hài lòng cũng" -> 4)."""
    padded = f" {words} "
    return next((level for phrase, level in WORDS if padded.startswith(f" {phrase} ")), None)


def _contrast(folded: str, levels: list[int]) -> Reading:
    """Praise and complaint together: only "X nhưng <minor>" keeps X; anything else is unclear."""
    m = re.search(r"\b(nhung|ma|chi|moi toi|tuy|tuy nhien|mac du|chi co dieu|co dieu|chi tiec|du(?= (chi|anh|em|co|can bo|nhan vien|nguoi|ho|cac|thai do)\b))\b", folded)
    conceded = False
    if m and m.group(1) in ("tuy", "mac du", "du") and (but := _BUT.search(folded, m.end())):
        m, conceded = but, True  # "tuy A nhưng B": B is the main clause
    if m:
        weak: list[int] = []
        head = _word_levels(folded[: m.start()], weak) or weak
        tail = _word_levels(folded[m.end() :])
        said_after = _SATISFACTION.search(folded[m.end() :])
        # the verdict stated after a concession ("dù … nhưng không hài lòng"), or an extreme one after any "but"
        # ("nhanh nhưng rất không hài lòng"); a mild one beside a kind word stays a mix ("cũng được, nhưng chưa thật hài lòng")
        if said_after and tail and len(set(tail)) == 1 and not _SATISFACTION.search(folded[: m.start()]) and \
                (conceded or tail[0] in (1, 5)):
            return Reading(tail[0], "the verdict after a concession")  # "dù trả lời đúng hẹn nhưng tôi rất không hài lòng"
        if head and tail and len(set(head)) == 1 and head[0] >= 3 and max(tail) <= 3 and \
                (_SATISFACTION.search(folded[: m.start()]) or head[0] == 3 or re.match(r"\s*(hoi|chi hoi|co hoi|hoi bi)\b", folded[m.end() :])) \
                and not (head[0] >= 4 and said_after):
            return Reading(head[0], "an answer with a reservation")  # "hài lòng nhưng chờ lâu", "cũng được, mà chờ lâu quá"
        if head and tail and len(set(head)) == 1 and head[0] <= 2 and min(tail) >= 3 and \
                _SATISFACTION.search(folded[: m.start()]) and not said_after and m.group(1) in ("nhung", "ma", "mac du", "tuy", "du") and \
                not re.search(r"\b(hai long|hl) (voi|ve)\b", folded[: m.start()]):
            return Reading(head[0], "a complaint with a kind word")  # "không hài lòng nhưng cán bộ cũng nhiệt tình"
    return Reading(None, "praise and complaint")


YES_WORDS = r"(y|duyet|muon|muon chu|o|co|co chu|co a|u|ua|um|uh|uk|uhm|ok|oke|okie|oki|okela|dong y|vang|da|yes|yep|sure|send|submit|gui|gui di|gui luon|gui nhe|gui di a|dung|dung roi|chuan|chinh xac|phai|tat nhien|duong nhien|chac chan|nhat tri|chot|duoc|dc|duoc roi|xac nhan|go|lam luon|lam di|tien hanh|👍|✅|✔|👌)"
NO_WORDS = r"(n|ko co nhu cau|khong co nhu cau|hong co muon|khong co muon|ko co muon|thoi de lan khac|de lan khac|khong|ko|k|kg|kh|hk|khg|khog|khum|hem|nah|khong bao gio|bo qua|bo qua di|de luc khac|khi khac|luc khac|hong|hok|chua|dung gui|thoi|khoi|huy|sai|sai roi|no|nope|cancel|bo|de sau|de mai|khoan|khoan da|cho chut|tu tu|tu tu da|👎|❌|✖)"


def read_yes_no(text: str | None) -> str | None:
    """'yes', 'no' or None (unclear: ask again) for a reply to a yes/no question."""
    raw = unicodedata.normalize("NFC", (text or "").strip())
    folded = _folded(raw, sentiment=False)
    folded = re.sub(r"\b(ko|k|khong|kh|hk|co|u|um|ok|oke|gui|no|nope|nah|yes|yep|go|vang|da)( \1\b)+", r"\1", folded)  # "ko ko", "no no"
    # "không cần sửa gì nữa", "khỏi xem lại": nothing to change, so the rest of the reply decides
    folded = re.sub(rf"\b(?:{NEGATORS}|khoi) (?:can )?(?:sua|xem lai|doi|thay doi|chinh|kiem tra lai)(?: lai)?(?: (?:gi|j))?(?: (?:nua|them|ca|het))?\b", " ", folded).strip(" ,.")
    if re.search(rf"\b{NEGATORS} co (ly do|li do|gi) (gi )?(de|ma) {NEGATORS} gui\b|^{NEGATORS} gui thi .*\blam (gi|chi)\b|^chu sao\b|^sao lai (khong|ko|k)\W*$|^(chac luon|di nhien|chu con gi nua)\b|^(chang le|le nao|khong le) (lai )?{NEGATORS} gui\b", folded):
        return "yes"  # "không có lý do gì để không gửi", "không gửi thì tôi nhắn làm gì"
    if re.match(r"gui (lam gi|lam chi|de lam gi|chi)\b", folded) or re.search(r"\b(dien|dai|ngu|khung) (gi )?(moi|ma|ma di) gui\b|^ai (bao|noi|keu|bat|can) .*\b(dau|bao gio)\W*$", folded):
        return "no"  # "gửi làm gì, có ai giải quyết đâu", "có điên mới gửi", "ai bảo gửi đâu"
    if re.match(r"(bo|huy|xoa|dep) .{1,40}\bdi\W*$", folded):
        return "no"  # "bỏ phản ánh này đi"
    if re.search(r"\b(co gi|khac nhau|khac gi)\b.*\b(khong|ko|k)$|\b(nao|gi) (vay|the|z|ta)$|\bsua (lai )?(la|thanh)\b", folded) or \
            re.match(r"(sua|doi|chinh)( lai)? .*\b(giup|gium|dum|ho)\b", folded):
        return None  # a question back; an edit asked for, with no yes or no
    if re.match(rf"{YES_WORDS}\b", folded) and re.search(r"\b(nhung|ma)\b.*\b(sua|doi|them|bo sung)\b", folded):
        return None  # "có, nhưng sửa lại địa chỉ", "ok nhưng sửa số nhà": yes, on a condition the citizen must settle first
    if re.fullmatch(rf"(chac|chac la|chac chan la|chac chan|co le) {NEGATORS}( (a|nhe|nha|dau))*", folded):
        return "no"  # "chắc là không"
    if re.fullmatch(r"(da|vang|thoi) (khong|ko|k|kh|thoi|khoi)( a| nhe| nha)*( cam on( nhieu)?( a)?)?", folded):
        return "no"  # "dạ không ạ"
    if re.search(r"\b(sao lai|sao|chu sao) (khong|ko|k)\b(?! (biet|hieu|ro|chac))|\b(khong|ko|k) gui sao (duoc|dc)\b|\bchu sao nua\b", folded) \
            and not re.search(r"\b(sao lai hoi|the nao|tai sao)\b", folded) and not raw.rstrip().endswith("?"):
        return "yes"  # "sao lại không", "không gửi sao được", "chứ sao nữa"
    folded = _rhetorical(folded) if re.search(r"\bdau\b", folded) else folded  # "có gửi đâu": no
    marks = set(re.sub(r"[\s.!\ufe0f\u200d\U0001F3FB-\U0001F3FF\u2640\u2642]", "", raw))
    if marks and marks <= {"❌", "✖", "🙅", "🚫", "⛔", "👎"} or re.fullmatch(r"👎 ?khoi", folded):
        return "no"
    if marks and marks <= {"👍", "✅", "✔", "👌", "🆗", "👏"}:
        return "yes"
    if not folded:
        return None
    if re.search(r"\bthi (de )?lam (gi|chi)\b.*\bgui (di|luon)\W*$", folded):
        return "yes"  # "ko gửi thì để làm gì, gửi đi"
    if re.match(r"(da|vang|u|um|uh) thoi\b", folded):
        return "no"  # "dạ thôi ạ"
    if re.search(r"\b(a ma thoi|ma thoi|thoi khoi)\W*$", folded):
        return "no"  # "có... à mà thôi": taken back
    if re.search(r"\bco (bi|phai|duoc|can|mat)\b.*\b(khong|ko|k|hong)$", folded):
        return None  # "gửi thì có bị lộ danh tính không": a question back
    # a self-correction: the last clause counts ("không... à mà thôi, gửi đi")
    parts = re.split(r"\b(?:a ma thoi|a thoi|ma thoi|thoi thi)\b", folded)
    if len(parts) > 1 and parts[-1].strip(" .,!"):
        tail = read_yes_no(parts[-1])
        if tail:
            return tail
        if re.search(r"\bkhoi\b", parts[-1]):
            return "no"
    # "không sao", "không vấn đề gì", "không cần sửa" mean go ahead; "sao lại không" is a yes
    if re.search(rf"\b{NEGATORS} (sao|van de|can sua|co (gi|j) sai)\b", folded) and re.search(r"\bgui\b|\bdi\b|\bluon\b|^(co|dung|ok|vang|u)\b", folded):
        return "yes"
    if re.search(r"\b(chu sao|chu sao lai|sao lai) (khong|ko|k)\b\W*$", folded) and re.search(r"^(co|gui|dung|ok|duoc|dc)\b", folded):
        return "yes"  # "có chứ sao không", "gửi chứ, sao lại không"
    if re.match(r"(khoan|stop|dung lai|ngung)\b", folded) or re.search(r"\b(khoan|chua|ch) gui\b|\b(con thieu|bo sung|can them)\b", folded):
        return "no"  # "khoan khoan", "ch gửi", "sai tên rồi, khoan gửi", "còn thiếu", "❌❌"
    if re.match(r"(không|ko|k|kh|chưa|hông|khong|chua)\s*[,.!;]", raw.lower()) or \
            (re.match(r"thôi\s*[,.!;]", raw.lower()) and not re.search(r"\b(gui|dong y|ok|duoc|dc)\b", folded)):
        return "no"  # "Không, nội dung còn thiếu.", "thôi, nhà bên đã dọn rồi"
    if "đừng" in raw.lower() or (re.match(r"dung gui\b", folded) and "đúng" not in raw.lower()):
        return "no"  # đừng (don't), not đúng (right)
    if re.match(r"^co\b.*\b(khong|ko|k|chua)$", folded):
        return None  # "có bị lộ tên không": a question back
    if raw.rstrip().endswith("?") or re.search(r"\b(duoc|dc) (khong|ko|k)$|\b(hay khong|hay ko|khong nhi|phai khong|sao|gi co|cai gi|ai xem|ai doc|the nao|bao nhieu|mat phi|nhu nao|neu)\b", folded):
        return None
    if re.search(r"\b(vua co vua khong|sao cung duoc|de xem|khong biet|chua hieu|chac vay|co le|co the|chac la|hinh nhu|cho ai)\b", folded) or \
            re.match(rf"^(u|um|uh|uk|ok|vang|da|co)\b.*\b({NEGATORS}|ma khoan)\b", folded):
        return None  # "có lẽ", "ừ mà khoan", "ừ không"
        return None
    if re.search(r"\b(doi da|doi chut|khoan da)\b|\b(de|cho) (toi|em|minh|tui|chau)\b.{0,50}\bda$", folded):
        return "no"  # "đợi đã", "để tôi hỏi ý kiến gia đình đã": not now
    if re.search(rf"\b{NEGATORS} (can|muon|mun|gui|dong y|muon gui|dung|phai|duoc|dc|dau)\b", folded) or \
            re.search(r"\b(sua lai|muon sua|chua dung|de mai|de sau|thoi khoi|huy|bo di|xem lai|nghi them|nghi lai|tu tu)\b", folded):
        return "no"
    if re.fullmatch(rf"(?:(?:toi|em|minh) )?{NO_WORDS}(?: (a|nhe|nha|di|da|cam on|thanks|thank you|tks|vay|gui|gui voi|gui voi a))*", folded) and \
            "đúng" not in raw.lower():  # "đúng, gửi" is right, send
        return "no"
    if re.search(rf"^{YES_WORDS}(?:\b|\s|$)", folded) or re.search(r"\bgui (di|luon|nhe|dum|giup|le|ngay)\b|\bgui\s*$|\bdong y\b", folded):
        return "yes"
    return None


def is_skip(value: str | None) -> bool:
    """A wish to skip the question asked ("bỏ qua", the Bỏ qua button), not to stop altogether."""
    return value == "/deny" or _folded(value or "").strip(" .!?") in SKIP_WORDS
