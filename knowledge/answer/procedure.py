"""Compose an answer about one administrative procedure: the asked fact first, short enough
for a phone, with the full version one button away.

    Thủ tục đăng ký khai sinh (mã 1.001193)
    <the structured field asked for: documents, time, fee, place, ...>   <- key lines, about 8
    Trích hồ sơ thủ tục (Trình tự thực hiện): “Trong thời hạn 60 ngày ...”  <- the matching sentence
    Nguồn: Cổng Dịch vụ công quốc gia, thủ tục 1.001193 (...) — <link>

Numbers are never made up: a time without a unit, a fee cell that says "Miễn phí" while the
description names an amount, are reported as the record writes them, with where.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from knowledge.answer.evidence import CUES, EvidenceModel, Sentence, question_words
from knowledge.answer.fee_periods import expired_periods, rate_in_force
from knowledge.ingest.procedures import ChannelOption, Fee, Procedure, RequiredDocument
from knowledge.query import content_words
from vietnamese.text import first_words, fold, folded_words

KEY_LINES = 8  # lines of a block shown before "Xem đầy đủ"
HEADLINE_WORDS = 30  # a procedure title longer than this is shortened in the heading (whole with "Xem đầy đủ")
COMPACT_DOCUMENTS = 5
FULL_NOTES = 12  # the record's notes shown under "Xem đầy đủ"; the rest are at the cited source
CHANNEL_NAMES = {"Trực tiếp": "nộp trực tiếp", "Trực tuyến": "nộp trực tuyến", "Dịch vụ bưu chính": "qua dịch vụ bưu chính"}
_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:đồng|VNĐ|VND|vnđ)", re.IGNORECASE)
_FEE_RULES = re.compile(r"luật phí|mức thu|biểu phí|thông tư|nghị quyết|theo quy định", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b(trường hợp|nếu|đối với)\b", re.IGNORECASE)
# word pairs every documents question and list share: they say nothing about which paper is meant
_GENERIC_PAIRS = {("giay", "to"), ("ho", "so"), ("co", "quan"), ("ban", "sao"), ("ban", "chinh"), ("thu", "tuc"), ("can", "cu")}

# The record lists no conditions: that is what the portal wrote, not a promise that none apply
# (a marriage still needs the legal age, which no procedure record repeats).
NO_CONDITIONS = ("Hồ sơ thủ tục trên Cổng Dịch vụ công không ghi yêu cầu, điều kiện riêng; các điều kiện chung do "
                 "pháp luật quy định vẫn áp dụng, bạn hỏi cơ quan thực hiện nếu chưa rõ.")


@dataclass
class Composed:
    text: str
    truncated: bool  # the compact form left something out: offer "Xem đầy đủ"


def clip(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _group_by(channels: list[ChannelOption], render) -> list[str]:
    """'Trực tiếp, Trực tuyến: 7 ngày làm việc' — channels with the same value share a line."""
    groups: dict[str, list[str]] = {}
    for option in channels:
        groups.setdefault(render(option), []).append(option.channel)
    if len(groups) == 1:
        return [next(iter(groups))]
    return [f"{', '.join(dict.fromkeys(names))}: {value}" for value, names in groups.items()]


# ---- documents --------------------------------------------------------------------


def is_note(doc: RequiredDocument) -> bool:
    """A line of the documents table that is an explanation, not a paper to bring."""
    zero = (doc.original or 0) + (doc.copies or 0) == 0 and bool(doc.quantity_text)
    return zero or _bare_name(doc).startswith(("lưu ý", "ghi chú", "chú ý", "hồ sơ như", "thành phần hồ sơ như"))


def _quantity(doc: RequiredDocument) -> str:
    parts = []
    if doc.original:
        parts.append(f"{doc.original} bản chính")
    if doc.copies:
        parts.append(f"{doc.copies} bản sao")
    return ", ".join(parts)


def _document_line(doc: RequiredDocument, limit: int) -> str:
    form = f" (mẫu: {doc.form})" if doc.form else ""
    quantity = _quantity(doc)
    return f"• {clip(doc.name, limit)}{form}" + (f" — {quantity}" if quantity else "")


_APPLICATION = ("đơn", "tờ khai", "phiếu", "giấy đề nghị", "văn bản đề nghị", "bản khai", "thông báo")


# words that join others ("khai sinh cho con"): beside a word of the procedure's name they name no paper
_LINKING = {"cho", "cua", "va", "voi", "la", "o", "tai", "de", "khi", "thi", "ma", "hay", "hoac", "can", "lam"}


def _pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:])) - _GENERIC_PAIRS


_LABEL = re.compile(r"^\s*(?:[a-zđ]\d?|\d+(?:\.\d+)*)[.)]\s+", re.IGNORECASE)
_LETTERS = "abcdđefghiklmnopqrstuvxy"


def _bare_name(doc: RequiredDocument) -> str:
    """The paper's name in lower case, without its bullet or its label ("b) Đơn đề nghị" -> "đơn đề nghị")."""
    return _LABEL.sub("", doc.name.lower().lstrip("-+•* "))


def _label_order(name: str) -> tuple:
    """'a) Sổ BHXH' before 'b) Đơn đề nghị', '1.2.' before '1.10.' (the portal lists them shuffled)."""
    m = _LABEL.match(name)
    if not m:
        return (1, ())
    label = m.group(0).strip(" .)").lower()
    if label[0].isdigit():
        return (0, tuple(int(n) for n in label.split(".") if n.isdigit()))
    return (0, (_LETTERS.find(label[0]), int(label[1:] or 0)))


def _document_priority(doc: RequiredDocument, groups: list, asked: set[str], asked_pairs: set) -> tuple:
    """Papers the question names first (its words, or a pair of them: "báo tử"), then the
    application form, then always-needed papers, then papers for special cases (a "trường hợp",
    "nếu", "đối với" in the paper's own first clause, not in the alternatives after it:
    "Giấy chứng sinh; trường hợp không có …" is always needed); then the labels' order."""
    name = _bare_name(doc)
    first_clause = re.split(r"[;.]\s", name, maxsplit=1)[0]
    words = folded_words(doc.name)
    shared = len(asked & set(words))
    # one shared word is noise ("mang" theo / "mang" thai hộ); two, or a pair, name the paper
    named = (shared if shared > 1 else 0) + 2 * len(asked_pairs & _pairs(words))
    special = bool(_CONDITIONAL.search(first_clause[:160])) or "(nếu có)" in name
    return (-named, not name.startswith(_APPLICATION), special, groups.index(doc.group), _label_order(doc.name))


def _same_paper(doc: RequiredDocument) -> str:
    """Two lines of the documents table name the same paper: same words, same form."""
    return " ".join(folded_words(_bare_name(doc)))[:200] + f"|{doc.form or ''}"


def documents(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    if not proc.documents:
        return Composed("Cổng Dịch vụ công không liệt kê thành phần hồ sơ cho thủ tục này.", False)
    papers = [d for d in proc.documents if not is_note(d)]
    # an introduction whose list the record put elsewhere ("Đối với giấy tờ nộp, xuất trình …:") says nothing alone
    notes = [d for d in proc.documents if is_note(d) and not d.name.rstrip().endswith(":")]
    groups = list(dict.fromkeys(d.group for d in papers))
    # the question's own words, less those of the procedure's name ("khai sinh" names every paper of khai sinh)
    named = folded_words(proc.name)
    asked = set(content_words(question)) - set(named)
    # a pair names a paper by the question's own words ("báo tử"), not by the procedure's name
    # and a little word beside it ("khai sinh cho")
    asked_pairs = {p for p in _pairs(folded_words(question)) - _pairs(named) if not (set(p) & set(named) and set(p) & _LINKING)}
    papers.sort(key=lambda d: _document_priority(d, groups, asked, asked_pairs))
    if full:  # each case's papers together under its heading, the case with the most relevant paper first
        first: dict[str, int] = {}
        for i, d in enumerate(papers):
            first.setdefault(d.group, i)
        papers.sort(key=lambda d: first[d.group])
    listed = len(papers)
    if not full:  # a paper every case needs is listed once per case by the record: once here
        once: dict[str, RequiredDocument] = {}
        for d in papers:
            once.setdefault(_same_paper(d), d)
        papers = list(once.values())
    shown = papers if full else papers[:COMPACT_DOCUMENTS]
    # the paper the question names best is shown whole ("Giấy chứng sinh; trường hợp không có … thì …")
    whole = {id(d) for d in shown[:1] if _document_priority(d, groups, asked, asked_pairs)[0] < 0}
    lines = [f"Thành phần hồ sơ ({len(papers)} loại giấy tờ):" if len(papers) > 1 else "Thành phần hồ sơ:"]
    current: str | None = None
    for doc in shown:
        if full and doc.group and doc.group != current:
            current = doc.group
            lines.append(f"{clip(doc.group, 160)}:")
        lines.append(_document_line(doc, 400 if full or id(doc) in whole else 150))
    truncated = len(shown) < listed or (bool(notes) and not full)
    if len(shown) < len(papers):
        lines.append(f"… và {len(papers) - len(shown)} giấy tờ khác tùy trường hợp.")
    if notes and full:
        lines.append("Lưu ý trong hồ sơ:")
        lines.extend(f"– {clip(n.name, 400)}" for n in notes[:FULL_NOTES])
        if len(notes) > FULL_NOTES:
            lines.append(f"… và {len(notes) - FULL_NOTES} lưu ý khác trong hồ sơ thủ tục (xem tại nguồn bên dưới).")
    return Composed("\n".join(lines), truncated)


# ---- time and fee -------------------------------------------------------------------


def _duration(option: ChannelOption) -> str:
    return option.time.render()


def time(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    if not proc.channels:
        return Composed("Cổng Dịch vụ công không ghi thời hạn giải quyết cho thủ tục này.", False)
    lines = ["Thời hạn giải quyết:"] + [f"• {line}" for line in _group_by(proc.channels, _duration)]
    if proc.cutoff:
        lines.append(f"• Lưu ý: hồ sơ nhận sau {proc.cutoff} được giải quyết trong ngày làm việc tiếp theo.")
    return Composed("\n".join(lines), False)


def _fee_conflicts(proc: Procedure) -> list[str]:
    """Channels whose fee cell says free / nothing while their description names an amount."""
    out = []
    for c in proc.channels:
        if c.fee.kind in ("free", "unknown"):
            m = _AMOUNT.search(c.description or "")
            if m:
                start = max(0, c.description.rfind(".", 0, m.start()) + 1)
                out.append(f"{c.channel}: ô phí ghi “{c.fee.render()}” nhưng phần mô tả ghi: “{clip(c.description[start:], 200)}”")
    return out


def _amount_in_note(c: ChannelOption) -> bool:
    """A "Miễn phí" cell whose note names an amount or the rules that set one."""
    return c.fee.kind in ("free", "unknown") and bool(c.fee.note and (_AMOUNT.search(c.fee.note) or _FEE_RULES.search(c.fee.note)))


def _fee_line(c: ChannelOption, today: date | None = None) -> str:
    """The fee of one way of submitting; a "Miễn phí" cell whose own note names an amount (or the
    rules that set it) is shown as the note says, with what the cell says (never "Miễn phí" next
    to "135.000 đồng"); a temporary rate in force today comes first."""
    if _amount_in_note(c):
        return f"{clip(c.fee.note.strip(' -'), 200)} (ô phí của Cổng Dịch vụ công ghi “{c.fee.render()}”)"
    rate = rate_in_force(c.fee, today)
    if rate is None:
        return c.fee.render()
    if rate.amount is not None:
        now = Fee("amount", rate.amount, c.fee.currency, c.fee.per).render()
        return (f"{now}, mức đang áp dụng đến hết ngày {rate.until} (bằng {rate.percent}% mức thu "
                f"{c.fee.render()}; hồ sơ ghi: “{clip(rate.sentence, 220)}”)")
    return f"{c.fee.render()}; mức thu tạm thời đang áp dụng đến hết ngày {rate.until}: “{clip(rate.sentence, 160)}”"


def _expired_note(passed: list[str]) -> str:
    return (f"Lưu ý: hồ sơ thủ tục còn ghi mức thu tạm thời áp dụng “{'”, “'.join(passed)}”; thời hạn đó đã qua, "
            "mức này không còn áp dụng.")


def fee(proc: Procedure, full: bool = False, question: str = "", today: date | None = None) -> Composed:
    if not proc.channels:
        return Composed("Cổng Dịch vụ công không ghi phí, lệ phí cho thủ tục này.", False)
    lines = ["Phí, lệ phí:"] + [f"• {line}" for line in _group_by(proc.channels, lambda c: _fee_line(c, today))]
    # a note that only restates the amount ("20.000 đồng/lần đăng ký") adds nothing; one that
    # contradicts a "Miễn phí" cell is already the line itself
    notes = list(dict.fromkeys(c.fee.note for c in proc.channels
                               if c.fee.note and not (c.fee.per and len(c.fee.note) < 60) and not _amount_in_note(c)))
    for note in notes[: (5 if full else 1)]:
        lines.append(f"  ({clip(note, 400 if full else 200)})")
    conflicts = _fee_conflicts(proc)
    if conflicts:
        lines.append("Lưu ý, hồ sơ thủ tục ghi không thống nhất:")
        lines.extend(f"• {c}" for c in conflicts[: (5 if full else 1)])
    passed = expired_periods(lines, today)
    if passed:  # a discount "đến hết ngày 31/12/2025" the record still lists
        lines.append(_expired_note(passed))
    return Composed("\n".join(lines), len(notes) > 1 or len(conflicts) > 1)


# ---- place, steps, conditions, result, legal ------------------------------------------


def where(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    lines = []
    agency = proc.executing_agency or proc.authority
    if agency:
        lines.append(f"Cơ quan thực hiện: {clip(agency, 200)}.")
    if proc.address:
        lines.append(f"Địa chỉ tiếp nhận: {clip(proc.address, 200)}.")
    ways = [CHANNEL_NAMES.get(c.channel, c.channel.lower()) for c in proc.channels]
    if ways:
        lines.append("Cách nộp: " + ", ".join(dict.fromkeys(ways)) + ".")
    if proc.levels:
        lines.append(f"Cấp thực hiện: {', '.join(proc.levels)}.")
    place = submission_place(proc)
    if place:
        lines.append(f"Nơi nộp theo trình tự thực hiện: “{place}”")
    return Composed("\n".join(lines) or "Cổng Dịch vụ công không ghi nơi tiếp nhận cho thủ tục này.", False)


_SUBMIT = re.compile(r"\b(nộp|gửi|nộp trực tiếp|đến)\b[^.;]{0,80}?\b(tại|đến|cho|về)\s+(?=\S)", re.IGNORECASE)


def submission_place(proc: Procedure) -> str | None:
    """Where the steps say the papers go ("… nộp hồ sơ tại Trung tâm Phục vụ hành chính công …"),
    cut around that place."""
    for n, step in enumerate(proc.steps):
        m = _SUBMIT.search(step)
        if m:
            begin = step.rfind(" ", 0, max(0, m.start() - 40)) + 1
            text = ("…" if begin else "") + clip(step[begin:], 240)
            return _with_list(text, proc.steps[n + 1 :])
    return None


def _with_list(text: str, following: list[str], items: int = 3) -> str:
    """A sentence that announces a list ("… tại một trong các cơ quan sau:") with the list."""
    if not text.rstrip().endswith(":") or not following:
        return text
    shown = [clip(f.strip(" -+•"), 120) for f in following[:items]]
    more = " …" if len(following) > items else ""
    return f"{text} " + "; ".join(shown) + more


# how the record says to do it online: "truy cập Cổng dịch vụ công quốc gia hoặc Ứng dụng định danh
# quốc gia", "đăng nhập Cổng Dịch vụ công Quốc gia/Cổng thông tin điện tử của Tòa án"
_ONLINE_HOW = re.compile(r"\b(truy cap|dang nhap|nop (ho so )?(truc tuyen|qua)|thuc hien truc tuyen|tren cong|qua cong|qua ung dung)\b"
                         r".{0,120}\b(cong dich vu cong|cong thong tin|ung dung|vneid|dinh danh|truc tuyen)\b|\btruong hop (nop|thuc hien) truc tuyen\b")


def _online_sentence(proc: Procedure) -> str | None:
    """The record's own sentence on doing it online (its steps first, then the channel notes)."""
    texts = list(proc.steps) + [c.description for c in proc.channels if c.description]
    for text in texts:
        for sentence in re.split(r"(?<=[.;])\s+", text):
            if _ONLINE_HOW.search(fold(sentence).lower()):
                return clip(unicodedata.normalize("NFC", sentence.strip(" -+•")), 260)  # some records are not NFC
    return None


def online(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    if any(c.channel == "Trực tuyến" for c in proc.channels):
        said = _online_sentence(proc)
        text = "Thủ tục này có hình thức nộp trực tuyến trên Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)." + (
            f"\nHồ sơ thủ tục ghi: “{said}”" if said else "")
    elif proc.channels:
        text = "Cổng Dịch vụ công không ghi hình thức nộp trực tuyến cho thủ tục này; cách nộp: " + ", ".join(
            dict.fromkeys(CHANNEL_NAMES.get(c.channel, c.channel.lower()) for c in proc.channels)) + "."
    else:
        text = "Cổng Dịch vụ công không ghi cách thức nộp cho thủ tục này."
    return Composed(text, False)


def _listed(title: str, items: list[str], empty: str, full: bool, limit: int = 4) -> Composed:
    if not items:
        return Composed(empty, False)
    shown = items if full else items[:limit]
    lines = [title] + [f"• {clip(item, 400 if full else 200)}" for item in shown]
    if len(shown) < len(items):
        lines.append(f"… ({len(items) - len(shown)} ý khác).")
    return Composed("\n".join(lines), len(shown) < len(items))


def steps(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    return _listed("Trình tự thực hiện:", proc.steps, "Cổng Dịch vụ công không mô tả trình tự thực hiện cho thủ tục này.", full)


def conditions(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    return _listed("Yêu cầu, điều kiện:", proc.conditions, NO_CONDITIONS, full, 3)


def result(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    if not proc.results:
        return Composed("Cổng Dịch vụ công không ghi kết quả của thủ tục này.", False)
    return Composed("Kết quả nhận được: " + "; ".join(clip(r, 160) for r in proc.results[:5]) + ".", False)


def legal(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    items = []
    for basis in proc.legal_basis:
        title = clip(basis.title, 160)
        items.append(f"{basis.number} — {title}" if basis.number and basis.number not in title else title)
    return _listed("Căn cứ pháp lý:", items, "Cổng Dịch vụ công không liệt kê căn cứ pháp lý cho thủ tục này.", full)


def forms(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    with_form = [d for d in proc.documents if d.form or re.search(r"\bmẫu\b|tờ khai", d.name, re.IGNORECASE)]
    if not with_form:
        return documents(proc, full, question)
    lines = ["Mẫu đơn, tờ khai:"] + [_document_line(d, 300) for d in (with_form if full else with_form[:4])]
    return Composed("\n".join(lines), len(with_form) > 4 and not full)


def overview(proc: Procedure, full: bool = False, question: str = "") -> Composed:
    lines = []
    if proc.field_name:
        lines.append(f"Lĩnh vực: {proc.field_name}.")
    lines.extend(where(proc).text.splitlines()[:2])
    if proc.channels:
        lines.append("Thời hạn: " + "; ".join(_group_by(proc.channels, _duration)) + ".")
        lines.append("Phí, lệ phí: " + "; ".join(_group_by(proc.channels, lambda c: c.fee.render())) + ".")
    if proc.documents:
        lines.append(f"Hồ sơ gồm {len([d for d in proc.documents if not is_note(d)])} loại giấy tờ.")
    if proc.steps:
        first = re.sub(r"^\W*bước\s*(1|một)\s*[:.)-]\s*", "", proc.steps[0], flags=re.IGNORECASE)  # not "Bước đầu: Bước 1: …"
        lines.append("Bước đầu: " + clip(first, 200))
    return Composed("\n".join(lines), True)


COMPOSERS = {
    "documents": documents,
    "form": forms,
    "time": time,
    "fee": fee,
    "where": where,
    "online": online,
    "steps": steps,
    "conditions": conditions,
    "legal": legal,
    "result": result,
}
# Aspects answered by quoting the record (no structured field of their own).
QUOTED_ONLY = {"deadline", "who"}


def source_line(proc: Procedure) -> str:
    if proc.url:
        source = f"Nguồn: Cổng Dịch vụ công quốc gia, thủ tục {proc.code}"
        return source + (f" (công bố tại {proc.decision}) — {proc.url}" if proc.decision else f" — {proc.url}")
    return f"Nguồn: thủ tục {proc.code}" + (f" ({proc.decision})" if proc.decision else "")


def _similar(a: str, b: str) -> bool:
    wa, wb = set(folded_words(a)), set(folded_words(b))
    return len(wa & wb) / max(min(len(wa), len(wb)), 1) > 0.8


# where the fact starts, for the aspects whose evidence cue spans more than the fact
# a deadline states a number or a day ("trong thời hạn 30 ngày", "chậm nhất là ngày cuối cùng của
# tháng thứ 4"), not "quá thời hạn trên"
_FOCUS = {"deadline": r"\b(cham nhat|thoi han|trong vong|truoc ngay)\b(?=\D{0,45}\d|.{0,45}\b(cuoi cung|dau tien)\b)", "where": r"\b(nop|gui)\b.{0,80}\b(tai|den|cho)\b"}


_SPECIFIC = {"time", "deadline", "fee", "form", "where"}


def focus(text: str, aspects: list[str], limit: int = 280, question: str = "") -> str:
    """A long sentence cut around the asked fact, not only from its start: the window (starting at
    the sentence's start or at one of its clauses) that holds the most of the question's own words
    and the kind of fact asked (a duration for a time question, an amount for a fee, the place for
    "ở đâu"): "… chậm nhất là ngày cuối cùng của tháng thứ 4 …"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    folded = fold(text)  # one folded character per character: positions carry over
    cues = [re.compile(_FOCUS.get(a) or CUES.get(a) or "$^") for a in aspects]
    asked = set(question_words(question, "")) if question else set()
    starts = [0] + [m.end() for m in re.finditer(r"[,;:.()]\s+|\s[-+]\s", text)]

    def score(begin: int) -> tuple[float, int]:
        window = folded[begin : begin + limit - 1]
        found = [(m.start(), a) for c, a in zip(cues, aspects) for m in [c.search(window[: limit - 60])] if m]  # the fact fits after its cue
        # a specific fact (a duration, an amount, a form) outweighs the question's words; a broad cue
        # ("trường hợp", "phải") counts as one of them; then the cue nearest the window's start
        # (the fact it announces follows), else the earliest window
        weight = sum(3.0 if a in _SPECIFIC else 1.0 for a in {a for _, a in found})
        return (weight + len(asked & set(window.split())), -min(found)[0] if found else -begin)

    begin = max(starts, key=score)
    return clip(text, limit) if begin == 0 else "…" + clip(text[begin:], limit - 1)


def _quote(sentence: Sentence, aspects: list[str] | None = None, following: list[str] | None = None, question: str = "") -> str:
    text = focus(sentence.text, aspects or [], question=question)
    return f"Trích hồ sơ thủ tục ({sentence.label}): “{_with_list(text, following or [])}”"


def _following(evidence: EvidenceModel, proc: Procedure, sentence: Sentence, key: str | None) -> list[str]:
    """The items after a quoted sentence in its field (the list a sentence ending in ':' announces)."""
    if not sentence.text.rstrip().endswith(":"):
        return []
    return [s.text for s in evidence.sentences_of(proc, key) if s.field == sentence.field and s.position > sentence.position][:4]


def headline(name: str, question: str = "", limit: int = HEADLINE_WORDS) -> str:
    """A long title as a phone shows it: its first clause, and the clause that shares most topic
    words with the question when that is another one, each cut at a word boundary ("Đăng ký biến
    động … trong các trường hợp chuyển đổi …; … chuyển nhượng, thừa kế, tặng cho …")."""
    if len(name.split()) <= limit:
        return name
    clauses = [c.strip() for c in name.split(";") if c.strip()]
    asked = set(content_words(question))
    shared = [len(asked & set(content_words(c))) for c in clauses]
    best = max(range(1, len(clauses)), key=shared.__getitem__, default=None)
    chosen = [0] + ([best] if best is not None and shared[best] else [])
    return "; …; ".join(first_words(clauses[i], limit) for i in chosen) + ("; …" if len(clauses) > len(chosen) else "")


def compose(
    proc: Procedure,
    aspects: list[str],
    question: str = "",
    evidence: EvidenceModel | None = None,
    full: bool = False,
    key: str | None = None,
) -> Composed:
    heading = f"{proc.name if full else headline(proc.name, question)} (mã {proc.code})"
    blocks = [COMPOSERS[a](proc, full, question) for a in aspects if a in COMPOSERS]
    if not blocks and not any(a in QUOTED_ONLY for a in aspects):
        blocks = [overview(proc, full)]
    # an aspect only a quote can answer: rather a plain statement of it than "the record does not say"
    plain = not blocks and any(a in QUOTED_ONLY for a in aspects)
    quotes = evidence.select(question, aspects, proc, limit=3, key=key, plain=plain) if evidence and question else []
    quotes.sort(key=lambda q: bool(expired_periods([q.text])))  # a rule still in force before one whose period has ended
    body_texts = [b.text for b in blocks]
    shown_quotes = []
    for q in quotes:  # not what the structured part already says, not twice the same sentence
        if q.text not in "\n".join(body_texts) and not any(_similar(q.text, other.text) for other in shown_quotes):
            shown_quotes.append(q)
    lines_used = sum(t.count("\n") + 1 for t in body_texts)
    if not full and lines_used > KEY_LINES + 2 and len(blocks) > 1:
        body_texts = body_texts[:1]  # the first asked aspect; the rest behind "Xem đầy đủ"
        truncated = True
    else:
        truncated = any(b.truncated for b in blocks)
    parts = [heading, *body_texts]
    # two quotes when the structured part is short (or there is none), one otherwise
    room = 2 if full or sum(t.count("\n") + 1 for t in body_texts) <= 3 else 1
    quoted = [_quote(q, aspects, _following(evidence, proc, q, key), question) for q in shown_quotes[:room]]
    parts.extend(quoted)
    passed = [p for p in expired_periods(quoted) if p not in "\n".join(body_texts)]
    if passed:  # a quoted rule whose period has ended
        parts.append(_expired_note(passed))
    if any(a in QUOTED_ONLY for a in aspects) and not shown_quotes and not blocks:
        parts.append("Hồ sơ thủ tục trên Cổng Dịch vụ công không nêu rõ điều bạn hỏi; bạn xem trình tự thực hiện hoặc hỏi cơ quan thực hiện.")
        shown_steps = steps(proc, full=full)
        parts.append(shown_steps.text)
        truncated = truncated or shown_steps.truncated  # "… (8 ý khác)" comes with "Xem đầy đủ"
    parts.append(source_line(proc))
    return Composed("\n\n".join(parts), truncated and not full)
