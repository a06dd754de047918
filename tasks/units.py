"""Who leads and who coordinates, read from a plan sentence, heading or table cell.

A unit is {"id": registry id or None, "name": the words as written}. Lists are split by
meaning, not at every comma: "các sở, ban, ngành" is one unit (a group named by its kinds),
"UBND các xã, phường" is one unit, "Sở Nội vụ, Sở Tài chính" are two, and "Thủ trưởng các sở,
ban, ngành tỉnh, Chủ tịch UBND các xã, phường" are two. A part after a comma or "và" opens a new
unit when it starts like a unit ("Sở …", "Ủy ban …", "Công an …", "các …"); a bare kind ("ban",
"ngành", "phường", "đơn vị liên quan") continues a group; anything else continues a name
("Sở Văn hóa, Thể thao và Du lịch"). Names the agency registry knows get its id.
"""
from __future__ import annotations

import re

from agencies.registry import Mention, default_registry
from vietnamese.text import fold, unify_iy


def folded(text: str) -> str:
    return unify_iy(fold(text))


def lower(text: str) -> str:
    """Lower case with one spelling of 'ủy', 'hòa', 'tòa' (matching keeps the diacritics:
    'Sở' is not 'số', 'xã' is not 'xa')."""
    low = text.lower().replace("uỷ", "ủy")
    low = re.sub(r"\b(h|t|kh)oà(?!\w)", r"\1òa", low)
    return " ".join(re.sub(r"\b(h|t|kh)oá(?!\w)", r"\1óa", low).split())


# A unit named by its head word and a name: "Sở Y tế", "Công an tỉnh", "Ủy ban nhân dân xã".
_HEAD = re.compile(
    r"^(sở|ủy ban|ubnd|hđnd|ubmttq(?:vn)?|mttq|hội đồng|công an|bộ chỉ huy|bộ chqs|bchqs|văn phòng|thanh tra|trung tâm|"
    r"chi cục|chi nhánh|tổng cục|kho bạc|ngân hàng|bảo hiểm xã hội|bhxh|liên đoàn|liên hiệp|liên minh|hiệp hội|mặt trận|công ty|"
    r"tổng công ty|điện lực|bưu điện|tòa án|viện kiểm sát|thủ trưởng|chủ tịch|phó chủ tịch|giám đốc|người đứng đầu|lãnh đạo|"
    r"tỉnh đoàn|thành đoàn|huyện đoàn|đoàn thanh niên|ban quản lý|ban chỉ đạo|ban chỉ huy|ban thường vụ|bộ đội biên phòng|"
    r"đài phát thanh|báo và|cổng thông tin|tổ chức chính trị|các|tất cả các|hệ thống|lực lượng|chính quyền|cơ quan thường trực|"
    r"cơ quan chuyên môn|cơ quan báo chí|cơ quan thông tin|doanh nghiệp viễn thông)(?!\w)"
)
# Head words that are also common nouns or verbs: a unit only before a capitalised name ("Ban Tuyên giáo").
_WEAK_HEAD = re.compile(r"^(ban|bộ|phòng|báo|đài|cổng|hội|đoàn|viện|trường|tổ|chi nhánh|ngành|cục|học viện|đội|quỹ)$")
# The kinds a group is named by: "các sở, ban, ngành", "cơ quan, đơn vị, địa phương".
_KIND = re.compile(
    r"^(?:sở|ban|ngành|đoàn thể|cơ quan|đơn vị|địa phương|tổ chức|cá nhân|doanh nghiệp|hội|xã(?!\s+hội)|phường|thị trấn|đặc khu|huyện|"
    r"quận|thành phố|thị xã|hợp tác xã|trường|viện|cấp|phòng(?!,?\s+(?:chống|ngừa|tránh|cháy|thủ|dịch|bệnh|vệ))|các cấp|các ngành|hộ gia đình|người dân|ban ngành|cộng đồng|"
    r"hội đoàn thể|mặt trận)(?!\w)"
)
_SCOPE = re.compile(
    r"^((cấp )?(tỉnh|thành phố|huyện|xã|trung ương|cơ sở)|liên quan|có liên quan|thuộc .*|trực thuộc.*|trên địa bàn.*|"
    r"được giao.*|khác|còn lại|địa phương|chức năng|của .*)$"
)
_GROUP_NOUN = re.compile(
    r"^(lực lượng|ngân hàng|bệnh viện|thành viên|hiệp hội|chủ đầu tư|chủ rừng|nhà đầu tư|chủ dự án|thôn|tổ dân phố|khu|chi bộ|cơ sở|"
    r"đoàn viên|hội viên|chủ thể|bên|nhà trường|tổ|đội|ban|phòng(?!,?\s+(?:chống|ngừa|tránh|cháy|thủ|dịch|bệnh|vệ))|cơ quan|đơn vị|tập thể|chủ tịch|thủ trưởng|giám đốc|"
    r"lãnh đạo|trạm|điểm|nhà cung cấp|nhà mạng|hợp tác xã|hộ)(?!\w)"
)
_DROP_BRACKETS = re.compile(r"\s*\((?:nếu có|qua |thông qua |gọi tắt|sau đây|viết tắt|trong đó|theo |đối với )[^)]*\)", re.IGNORECASE)
_LEAD_WORDS = re.compile(r"^(?:đồng thời,?\s*)?(?:đề nghị|giao cho|giao|đối với|trách nhiệm của|với|cùng|và|do)\s+", re.IGNORECASE)
_TAIL_WORDS = re.compile(
    r"\s+(?:có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|thực hiện các nhiệm vụ|thực hiện các nội dung|triển khai thực hiện)\b.*$", re.IGNORECASE
)


def unit(mention: Mention) -> dict:
    if mention.agency:
        return {"id": mention.agency.id, "name": mention.agency.name}
    return {"id": None, "name": mention.text.strip()}


def is_head(text: str) -> bool:
    """Does ``text`` start like a unit ("Sở Y tế", "UBND các xã", "các cơ quan", "Thủ trưởng …")?"""
    t = text.strip(" ,;:-–")
    low = lower(t)
    if not low:
        return False
    m = _HEAD.match(low)
    if m:
        if m.group(1) in ("hệ thống", "lực lượng", "chính quyền"):
            return len(low.split()) >= 3
        if m.group(1) in ("các", "tất cả các"):
            after = " ".join(t.split()[1 if m.group(1) == "các" else 3 :])
            return bool(after) and (bool(_KIND.match(lower(after))) or after[:1].isupper() or bool(_GROUP_NOUN.match(lower(after))))
        return True
    words = t.split()
    if len(words) >= 2 and _WEAK_HEAD.match(lower(words[0])) and (words[1][:1].isupper() or words[1][:1].isdigit()):
        return True
    return False


def _kind_start(text: str) -> bool:
    return bool(_KIND.match(lower(text.strip())))


def bare_kind(text: str) -> bool:
    """'ban', 'ngành tỉnh', 'đơn vị liên quan', 'phường': a kind continuing a group."""
    low = lower(text.strip(" .;:"))
    m = _KIND.match(low)
    if not m:
        return False
    rest = low[m.end():].strip()
    return not rest or bool(_SCOPE.match(rest))


# Kinds of public bodies chain into one group ("sở, ban, ngành", "cơ quan, đơn vị, địa phương",
# "xã, phường"); other kinds ("doanh nghiệp, tổ chức, cá nhân") only after "các".
_ADMIN_KIND = re.compile(
    r"^(?:sở|ban|ngành|đoàn thể|cơ quan|đơn vị|địa phương|xã(?!\s+hội)|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|cấp|"
    r"các cấp|các ngành|ban ngành|hội đoàn thể)(?!\w)"
)


def _generic(text: str) -> bool:
    """A group named by kinds ("các sở", "UBND các xã", "cơ quan"): a following kind may join it."""
    low = lower(text)
    words = low.split()
    if low.startswith(("các ", "tất cả")) or " các " in low or bare_kind(text):
        return True
    if low.endswith(("đoàn thể", "địa phương", "đơn vị", "cơ quan", "liên quan", "nhân dân xã", "nhân dân phường", "nhân dân huyện")):
        return True
    # "… xã", "… phường" end a group; "Ủy ban nhân dân", "thành phố" do not
    return bool(words) and bool(_ADMIN_KIND.match(words[-1])) and not (len(words) > 1 and words[-2] in ("nhân", "dân", "thành"))


_HEADED_GROUP = re.compile(r"(ubnd|ủy ban nhân dân|hđnd|thủ trưởng|chủ tịch|lãnh đạo|giám đốc)\s+(các\s+)?\S+(\s+\S+)?$")


def _ends_admin(text: str, first: str | None = None) -> bool:
    """A group of public bodies a further kind can join: "các sở", "UBND các xã", "Ủy ban nhân dân
    xã", "cấp tỉnh" (``first``: the group's first part, which says whether it is a group)."""
    low = lower(text)
    words = low.split()
    head = lower(first or text)
    groupish = " các " in f" {head}" or bool(_KIND.match(head)) or "cấp" in words or bool(_HEADED_GROUP.search(head))
    if not groupish or not words:
        return False
    if len(words) > 1 and words[-2] == "cấp":
        return True
    return bool(_ADMIN_KIND.match(words[-1])) or " ".join(words[-2:]) in ("đơn vị", "cơ quan", "địa phương", "đoàn thể", "thị trấn", "đặc khu")


def _named_place(text: str) -> bool:
    """'đặc khu Cồn Cỏ', 'thành phố Buôn Ma Thuột': one more place of an admin group
    ("UBND các xã, phường, đặc khu Cồn Cỏ")."""
    words = text.strip(" .;:").split()
    for size in (2, 1):
        if len(words) > size and _ADMIN_KIND.match(lower(" ".join(words[:size]))) and words[size][:1].isupper():
            return lower(" ".join(words[:size])) in ("đặc khu", "thành phố", "thị xã", "thị trấn", "huyện", "quận", "xã", "phường")
    return False


def _closed(text: str) -> bool:
    """A group whose last kind carried a scope ("đoàn thể cấp tỉnh") is complete."""
    parts = re.split(r",\s*", lower(text))
    last = parts[-1]
    m = _KIND.match(last)
    return bool(m) and bool(last[m.end():].strip()) and len(parts) > 1


def _protect(text: str) -> tuple[str, dict[str, str]]:
    """Hide commas inside brackets and inside names the registry knows ("Sở Văn hóa, Thể thao …")."""
    saved: dict[str, str] = {}

    def hide(value: str) -> str:
        key = f"\x00{len(saved)}\x00"
        saved[key] = value
        return key

    text = re.sub(r"\([^()]*\)", lambda m: hide(m.group(0)), text)
    for mention in sorted(default_registry().find(text), key=lambda m: -len(m.text)):
        if ("," in mention.text or " và " in mention.text) and mention.text in text:
            text = text.replace(mention.text, hide(mention.text))
    return text, saved


def _restore(text: str, saved: dict[str, str]) -> str:
    for key, value in reversed(list(saved.items())):
        text = text.replace(key, value)
    return text


def _split_and(segment: str) -> list[str]:
    """'Sở Tài chính và Ủy ban nhân dân các xã' -> two; 'Báo và Phát thanh' stays one."""
    if "\x00" in segment:
        return [segment]  # a name the registry knows, with "và" inside
    parts = re.split(r"\s+(?:và|cùng)\s+", segment)
    out = [parts[0]]
    for part in parts[1:]:
        new_unit = is_head(part) or (_kind_start(part) and _generic(part))
        if re.match(r"^(UBND|Ủy ban nhân dân)", part) and re.search(r"(HĐND|Hội đồng nhân dân)$", out[-1]):
            new_unit = False  # "Văn phòng HĐND và UBND xã"
        if new_unit:
            out.append(part)
        else:
            out[-1] = f"{out[-1]} và {part}"
    return out


def split_names(text: str) -> list[str]:
    """The unit names in a list, split by meaning and kept as written."""
    text = _DROP_BRACKETS.sub("", text)
    text, saved = _protect(text)
    names: list[str] = []
    for chunk in text.split(";"):
        current: list[str] = []  # the parts of the unit being read
        for comma_part in chunk.split(","):
            for part in _split_and(comma_part.strip()) if comma_part.strip() else []:
                part = _restore(part, saved)
                if not current:
                    current.append(part)
                    continue
                prev = ", ".join(current)
                kind_part = bare_kind(part) or _named_place(part) or (
                    _kind_start(part) and re.match(r"^\S+(?:\s+\S+)?\s+(và|liên quan|có liên quan)(?!\w)", lower(part)) is not None
                )
                group_goes_on = kind_part and not _closed(prev) and not lower(part).startswith("các ") and (
                    lower(current[0]).startswith(("các ", "tất cả")) or (bool(_ADMIN_KIND.match(lower(part))) and _ends_admin(prev, current[0]))
                )
                name_goes_on = not is_head(part) and not _kind_start(part)
                # a lone kind ("cơ quan") is not a unit: it shares what follows ("cơ quan, tổ chức quản lý trạm")
                lone_kind = len(current) == 1 and bare_kind(current[0]) and bool(_ADMIN_KIND.match(lower(current[0]))) and _kind_start(part)
                if group_goes_on or name_goes_on or lone_kind:
                    current.append(part)
                else:
                    names.append(", ".join(current))
                    current = [part]
        if current:
            names.append(", ".join(current))
    out = []
    for name in names:
        name = _restore(name, saved).replace(", và ", " và ")
        name = _LEAD_WORDS.sub("", name.strip(" .;:-–\n\t"))
        name = _TAIL_WORDS.sub("", name).strip(" .;:-–")
        # "các tổ chức đoàn thể theo chức năng, nhiệm vụ của mình …": the name ends before a preposition
        name = re.split(r"\s(?:theo|để|nhằm|về|bằng|của mình|đối với|tại|có các|trong (?:việc|quá trình|phạm vi)|(?:tới|đến) (?:việc|công tác|hoạt động|nội dung))\s",
                        name + " ", maxsplit=1)[0].strip(" .;:-–")
        name = _before_verb(name)
        if len(name) > 1 and name not in out:
            out.append(name)
    return out


def _before_verb(name: str) -> str:
    """'Sở Khoa học và Công nghệ thúc đẩy,' or '… hướng dẫn, kiểm tra': a name that ends in verbs
    (a cell cut in the middle of "… thúc đẩy, theo dõi chỉ tiêu") is the unit before them."""
    verb = _verb(name)
    if verb and verb.start() > 1:
        head, rest = name[: verb.start() - 1].strip(" ,"), name[verb.start() - 1:]
        only_verbs = all(re.fullmatch(rf"({_VERBS})", part.strip()) for part in rest.split(",") if part.strip())
        if only_verbs and len(head.split()) >= 3 and is_head(head):
            return head
    return name.rstrip(" ,")


def to_unit(name: str) -> dict:
    registry = default_registry()
    agency = registry.resolve(name) or registry.resolve(re.sub(r"\b(các|Các)\s+", "", name))
    return {"id": agency.id if agency else None, "name": name}


def units_in(text: str) -> list[dict]:
    """Units listed in ``text`` ("Phòng Nội vụ; các ngành liên quan, UBND xã - thị trấn")."""
    found: list[dict] = []
    for name in split_names(text):
        words = lower(name)
        if len(words.split()) > 30 or words.startswith(("thuộc ", "trên địa bàn", "theo ")):
            continue
        item = to_unit(name)
        if not any(same_unit(item, other) for other in found):
            found.append(item)
    return found


def unit_like(name: str) -> bool:
    return is_head(name) or (_kind_start(name) and not re.match(r"^cấp(?!\w)", lower(name)))


def same_unit(a: dict, b: dict) -> bool:
    if a.get("id") and b.get("id"):
        return a["id"] == b["id"]
    return name_key(a["name"]) == name_key(b["name"])


def name_key(name: str) -> str:
    key = " ".join(re.sub(r"[^\w\s]", " ", folded(name)).split())
    key = key.replace("uy ban nhan dan", "ubnd")
    return re.sub(r"\b(cac|thu truong|chu tich|giam doc)\s+", "", key)


def known(units: list[dict]) -> bool:
    """True when at least one unit is a specific registry unit (not a generic group)."""
    registry = default_registry()
    return any(u["id"] and registry.get(u["id"]).level != "nhóm" for u in units)


# Where the subject of a sentence ends: the first verb of an assignment (matched in lower case
# words only: "Ban Quản lý" and "Liên minh Hợp tác xã" are names, "quản lý", "hợp" verbs).
_VERBS = (
    "chủ trì|phối hợp|thực hiện|thúc đẩy|tham mưu|quán triệt|tổng hợp|có kế hoạch|xây dựng|triển khai|tăng cường|theo dõi|hướng dẫn|"
    "phải|họp|kiện toàn|rà soát|chịu trách nhiệm|gửi|nghiêm túc|tập trung|cần|có trách nhiệm|có nhiệm vụ|chủ động|khẩn trương|"
    "đảm bảo|bảo đảm|cụ thể hóa|cụ thể hoá|thường xuyên|định kỳ|định kì|báo cáo|giám sát|kiểm tra|chỉ đạo|đề xuất|ban hành|"
    "bố trí|huy động|quyết định|xem xét|quy định|cập nhật|là(?! tổ chức| cá nhân| hộ gia đình| doanh nghiệp)|nghiên cứu|tuyên truyền|vận động|phát động|lập|cung cấp|"
    "đăng ký|đăng kí|phân công|phân bổ|tiếp nhận|duy trì|đẩy mạnh|nâng cao|tiếp tục|ưu tiên|tạo điều kiện|hỗ trợ|cử cán bộ|thành lập|"
    "điều chỉnh|sửa đổi|phê duyệt|thẩm định|trình cấp|trình Ủy ban|trình UBND|trình Hội đồng|trình HĐND|xử lý|xử lí|giải quyết|thông báo|công khai|áp dụng|sử dụng|(?<!nhà\s)(?<!chủ\s)đầu tư|sơ kết|"
    "tổng kết|đánh giá|tích cực|khuyến khích|hạn chế|mời|tham gia|hoàn thành|chấm điểm|xếp hạng|điều phối|phân phối|bổ sung|"
    "xét|mở|ký kết|kí kết|đưa tin|phát hiện|ngăn chặn|đấu tranh|lựa chọn|khắc phục|nắm|sắp xếp|rà|căn cứ|trên cơ sở|"
    "đôn đốc|thẩm tra|vận hành|chuẩn bị|đề nghị|yêu cầu|giao(?! thông)|cấp phát|kịp thời|"
    "(?<!,\s)(?<!là\s)tổ chức(?!\s*(?:,|;|chính trị|có liên quan|liên quan|và|cá nhân|đoàn thể|xã hội|$))"
)
_VERB = re.compile(rf"(?<=\s)(?<!các\s)(?<!lĩnh vực\s)(?<!ngành\s)({_VERBS})(?!\w)")  # "lĩnh vực xây dựng" names a field
_VERB_AT_END = re.compile(rf"(?<=\s)({_VERBS})$")
_LEAD_IN = re.compile(r"^(Trên cơ sở|Căn cứ|Sau khi|Để|Nhằm|Theo|Đồng thời|Hằng năm|Hàng năm|Định kỳ|Ngoài ra|Bên cạnh đó|Trước mắt|Trong quá trình|Qua)\b")


def _verb(text: str) -> re.Match[str] | None:
    """The first verb of ``text`` outside brackets (positions in ``" " + text``)."""
    masked = re.sub(r"\([^()]*\)", lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", text)
    return _VERB.search(" " + masked)


def _opens_subject(before: str) -> bool:
    """Can a unit named right after ``before`` be a subject (not "… của UBND tỉnh", not "Bộ Công an")?"""
    words = before.split()
    if not words:
        return True
    last = words[-1]
    if _VERB_AT_END.search(" " + before.rstrip()):
        return False  # "… tham mưu UBND tỉnh bố trí …": the unit is the verb's object
    return not last[:1].isupper() and lower(last) not in ("của", "với", "cho", "tới", "đến", "về", "và", "qua", "tại", "bởi", "theo", "giữa")


def _main_verb(text: str) -> re.Match[str] | None:
    """The first verb, past a relative clause ("Các cơ quan được phân công chủ trì … có trách nhiệm")."""
    masked = re.sub(r"\([^()]*\)", lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", text)
    padded = " " + masked
    relative, last_end = False, 0
    for m in _VERB.finditer(padded):
        before = padded[: m.start()].rstrip()
        if not relative and re.search(r"\s(được|bị)$", " " + before):
            relative, last_end = True, m.end()
            continue
        if relative and not padded[last_end : m.start()].strip(" ,"):
            last_end = m.end()  # the relative clause's verbs go on
            continue
        return m
    return None


def _subject(text: str) -> str | None:
    """The words before the first verb, if they start like a unit."""
    verb = _main_verb(text) or _verb(text)
    if not verb or verb.start() <= 1:
        return None
    subject = text[: verb.start() - 1].strip(" ,")
    subject = re.sub(r"\s+(được|bị|đã được|đã|sẽ|đang)$", "", subject)  # "Các cơ quan được giao chủ trì có trách nhiệm …"
    if len(subject.split()) > 35 or not is_head(subject):
        return None
    return subject


def subject_units(sentence: str) -> tuple[list[dict], bool]:
    """The units a sentence starts with, before its verb ("Phòng Nội vụ tham mưu …"), and whether
    the subject is nothing but specific registry units (then it names the task's own lead
    even under a section that names another)."""
    text = re.sub(r"^[-+•*\s]+", "", sentence.strip())
    text = re.sub(r"^(?:Đồng thời|Hằng (?:năm|quý|tháng)|Hàng (?:năm|quý|tháng)|Định kỳ|Ngoài ra|Bên cạnh đó)\s*,\s*", "", text, flags=re.IGNORECASE)
    subject = _subject(text)
    if subject is None and _LEAD_IN.match(text):
        # "Căn cứ …, các sở, ban, ngành … xây dựng kế hoạch": the subject follows the lead-in
        starts = [m.end() for m in re.finditer(r",\s*", text[:400])]
        starts += [m.end() for m in re.finditer(r"\b(?:kế hoạch|chỉ thị|văn bản|quyết định) này,?\s+", text[:400], re.IGNORECASE)]
        heads = [m.start() for m in re.finditer(r"(?<=\s)(?:Thủ trưởng|Chủ tịch|Giám đốc|UBND|Ủy ban|Sở|Công an|các|Các)\s", text[:400])
                 if _opens_subject(text[: m.start()])]
        for start in sorted(set(starts)) + heads:
            subject = _subject(text[start:])
            if subject:
                break
    if subject is None:
        return [], False
    subject = re.split(r"\s[-–]\s*cơ quan thường trực", subject, flags=re.IGNORECASE)[0]
    bracket = re.search(r"\(([^)]+)\)", subject)
    if bracket:  # "Cơ quan thường trực Ban điều hành CCHC huyện (Phòng Nội vụ)"
        inside = units_in(bracket.group(1))
        if inside and all(u["id"] for u in inside):
            return inside, True
    found = units_in(subject)
    if not found or not all(unit_like(u["name"]) for u in found):
        return [], False
    registry = default_registry()
    specific = all(u["id"] and registry.get(u["id"]).level != "nhóm" for u in found)
    return found, specific


_GIVE = re.compile(r"^(?:Đồng thời,?\s*)?(giao cho|giao|đề nghị)\s", re.IGNORECASE)


def explicit_roles(sentence: str) -> tuple[list[dict], list[dict]]:
    """(lead, coordinating) named by markers: "Giao X …", "Đề nghị X …", "X chủ trì, phối hợp với Y …"."""
    text = re.sub(r"^[-+•*\s]+", "", sentence.strip())
    lead: list[dict] = []
    if not _GIVE.match(text) and _LEAD_IN.match(text) and (m := re.search(r",\s*(?=(?:giao cho|giao|đề nghị)\s)", text[:300])):
        text = text[m.end():]  # "Trên cơ sở kết quả …, giao Sở Y tế thành lập đoàn …"
    if m := _GIVE.match(text):
        rest = text[m.end():]
        verb = _verb(rest)
        span = rest[: verb.start() - 1] if verb else rest
        if is_head(span):
            lead = [u for u in units_in(span) if unit_like(u["name"])]
    elif (m := re.search(r"\s(chủ trì)(?!\w)", text)) and m.start() > 0:
        before = re.sub(r"^(do)\s+", "", text[: m.start()], flags=re.IGNORECASE).strip(" ,")
        if len(before.split()) <= 18 and is_head(before) and not _verb(before):
            lead = [u for u in units_in(before) if unit_like(u["name"])]
    coordinating: list[dict] = []
    if m := re.search(r"phối hợp (?:chặt chẽ )?(?:với |cùng )?", text, re.IGNORECASE):
        rest = text[m.end():]
        verb = _verb(rest)
        stop = re.search(r"[;.:]|\s(để|nhằm|trong|về|tại|theo)\s", rest)
        end = min(x for x in (verb.start() - 1 if verb else None, stop.start() if stop else None, len(rest)) if x is not None)
        span = rest[:end]
        if span and (is_head(span) or _kind_start(span)):
            coordinating = [u for u in units_in(span) if unit_like(u["name"])]
    return lead, coordinating


def heading_units(heading: str) -> tuple[list[dict], str]:
    """A unit heading: "Phòng Nội vụ:", "Đề nghị Ban Tuyên giáo Tỉnh ủy:", "Sở Y tế" or
    "Phòng Tư pháp: Tham mưu …" → (units, the text after ':')."""
    head, sep, rest = heading.partition(":")
    head = head.strip()
    if re.fullmatch(r"(?:Đề nghị|Giao)", head, re.IGNORECASE) and rest.strip():
        head, sep, rest = rest.strip(), "", ""  # "Đề nghị: Hiệp hội …, Hội Nông dân tỉnh"
    if not sep and (len(heading.split()) > 30 or heading.rstrip().endswith((".", ";"))):
        return [], heading
    if len(head.split()) > 30:
        return [], heading
    cleaned = _TAIL_WORDS.sub("", _LEAD_WORDS.sub("", head)).strip()
    letters = [c for c in cleaned if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters) and len(cleaned.split()) > 2:
        return [], heading  # "TỔ CHỨC THỰC HIỆN": a part's title in capitals
    marked = bool(re.search(r"\s(có|chịu) (trách nhiệm|nhiệm vụ)\s*$", head)) or (re.match(r"^(Đề nghị|Giao)\b", head, re.IGNORECASE) is not None and (bool(sep) or len(head.split()) <= 15))
    kinds_only = bool(sep) and all(_kind_start(part) for part in cleaned.split(",")) and len(cleaned.split()) <= 12
    if not cleaned or not (is_head(cleaned) or kinds_only) or (_verb(cleaned) and not marked):
        return [], heading
    found = units_in(cleaned)
    if not found or not all(unit_like(u["name"]) for u in found):
        return [], heading
    return found, rest.strip()
