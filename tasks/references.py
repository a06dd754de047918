"""Leads given by cross-reference: "3. Sở Nông nghiệp và Môi trường: Chủ trì triển khai các
nhiệm vụ tại mục (IV) (1) của Kế hoạch" makes that unit the lead of every task under IV.1 that
names no lead of its own. References are read in any order and spelling ("mục IV.1",
"điểm a khoản 2 mục III", "(IV)(3.4)(a)", "mục 1, 2 phần II").
"""
from __future__ import annotations

import re

from knowledge.ingest.plans import PlanDocument

_REFERS = re.compile(
    r"chủ trì,?\s+(?:triển khai|thực hiện|tổ chức thực hiện|tổ chức triển khai)?\s*(?:các |những )?(?:nhiệm vụ|nội dung|giải pháp|hoạt động)"
    r"[^.;]{0,40}?\s(?:tại|ở|thuộc|nêu tại|quy định tại)\s+((?:mục|điểm|khoản|phần|tiết)(?:[^.;]|\.(?=\d)){0,80})",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"(?<![\w.])([IVX]{1,5}|\d+(?:\.\d+)*|[a-zđ])(?![\w])")


def _tokens(reference: str) -> tuple[str | None, list[str], str | None]:
    """'mục (IV) (4.1) (4.2) và Phụ lục' -> ('IV', ['4.1', '4.2'], None)."""
    reference = re.split(r"\s(?:của|trong|và phụ lục|và các)\s|phụ lục", reference, maxsplit=1, flags=re.IGNORECASE)[0]
    reference = re.sub(r"\b([IVX]+)\.(?=\d)", r"\1 ", reference)  # "mục II.2.1" -> II, 2.1
    roman, numbers, letter = None, [], None
    for m in _TOKEN.finditer(reference):
        value = m.group(1)
        if re.fullmatch(r"[IVX]+", value):
            roman = roman or value
        elif value[0].isdigit():
            numbers.append(value.rstrip("."))
        elif letter is None and re.search(r"(điểm|\()\s*$", reference[: m.start()], re.IGNORECASE):
            letter = value
    return roman, numbers, letter


def _subtree(plan: PlanDocument, root: int) -> set[int]:
    found = {root}
    for i, section in enumerate(plan.sections):
        if section.parent in found:
            found.add(i)
    return found


def _find(plan: PlanDocument, within: set[int], number: str) -> int | None:
    for i in sorted(within):
        if plan.sections[i].number.rstrip(".") == number:
            return i
    return None


def referenced_sections(plan: PlanDocument, reference: str) -> set[str]:
    """The section paths a reference points to (with everything under them)."""
    roman, numbers, letter = _tokens(reference)
    if roman is None:
        return set()
    tops = [i for i, s in enumerate(plan.sections) if s.parent is None and s.number.rstrip(".") == roman]
    if not tops:
        return set()
    top_tree = _subtree(plan, tops[0])
    targets: list[int] = []
    for number in numbers or [None]:
        node = tops[0] if number is None else _find(plan, top_tree - {tops[0]}, number)
        if node is None:
            continue
        if letter and number is not None:
            node = _find(plan, _subtree(plan, node) - {node}, letter)
            if node is None:
                continue
        targets.append(node)
    paths: set[str] = set()
    for node in targets:
        paths |= {plan.sections[i].path for i in _subtree(plan, node)}
    return paths


def lead_by_reference(plan: PlanDocument, tasks: list) -> None:
    """Give tasks without a lead the unit that a referencing task says leads them; the narrowest
    reference wins ("mục (IV)(3)" for Sở Công Thương, "(IV)(3.4)(a)" for the customs office)."""
    references: list[tuple[set[str], list]] = []
    for task in tasks:
        if task.lead:
            for m in _REFERS.finditer(task.text):
                if paths := referenced_sections(plan, m.group(1)):
                    references.append((paths, task.lead))
    references.sort(key=lambda r: len(r[0]))
    for other in tasks:
        if other.lead:
            continue
        for paths, lead in references:
            if other.section_path in paths:
                other.lead = list(lead)
                other.lead_from = "reference"
                break
