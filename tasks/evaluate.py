"""Task extraction against hand labels (tests/data/tasks_gold): recall, precision, lead-unit and
due-date accuracy."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import re

import yaml

from agencies.registry import default_registry
from knowledge.ingest.plans import PlanDocument
from tasks.extract import Task, extract
from tasks.units import folded


@dataclass
class Report:
    name: str
    gold: int
    extracted: int
    matched: int
    lead_correct: int
    due_correct: int
    targets_gold: int = 0
    targets_matched: int = 0
    misses: list[str] = field(default_factory=list)
    lead_errors: list[str] = field(default_factory=list)
    due_errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def lead_accuracy(self) -> float:
        return self.lead_correct / self.matched if self.matched else 0.0

    @property
    def due_accuracy(self) -> float:
        return self.due_correct / self.matched if self.matched else 0.0

    def to_json(self) -> dict:
        return {
            "plan": self.name, "gold": self.gold, "extracted": self.extracted, "matched": self.matched,
            "recall": round(self.recall, 3), "precision": round(self.precision, 3),
            "lead_accuracy": round(self.lead_accuracy, 3), "due_accuracy": round(self.due_accuracy, 3),
            "targets": f"{self.targets_matched}/{self.targets_gold}",
            "misses": self.misses, "lead_errors": self.lead_errors, "due_errors": self.due_errors,
        }


def unit_key(name: str) -> str:
    registry = default_registry()
    agency = registry.resolve(name)
    if agency is None:
        mentions = registry.find(name)
        if len(mentions) == 1 and len(mentions[0].text) >= len(name.strip()) - 2:
            agency = mentions[0].agency
    return f"id:{agency.id}" if agency else folded(name).strip()


def _matches(task: Task, starts: str) -> bool:
    return folded(task.text).startswith(folded(starts)) or folded(starts) in folded(task.text)[: len(starts) + 40]


def evaluate(gold_file: Path, plan: PlanDocument) -> Report:
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    reference = gold["reference_date"] if isinstance(gold["reference_date"], date) else date.fromisoformat(gold["reference_date"])
    tasks, targets = extract(plan)
    report = Report(gold_file.stem, len(gold["tasks"]), len(tasks), 0, 0, 0)
    unused = list(tasks)
    for item in gold["tasks"]:
        found = next((t for t in unused if _matches(t, item["starts"])), None)
        if found is None:
            report.misses.append(item["starts"])
            continue
        unused.remove(found)
        report.matched += 1
        expected = sorted(unit_key(n) for n in item["lead"])
        got = sorted(unit_key(u["name"]) for u in found.lead)
        if expected == got:
            report.lead_correct += 1
        else:
            report.lead_errors.append(f"{item['starts']}: {got} ≠ {expected}")
        s = found.schedule
        predicted = (s.kind, s.due, s.next_due(reference))
        wanted = (item["kind"], item["due"], item["next_due"])
        if predicted == wanted:
            report.due_correct += 1
        else:
            report.due_errors.append(f"{item['starts']}: {predicted} ≠ {wanted}")
    for item in gold.get("targets") or []:
        report.targets_gold += 1
        if any(t.value == item["value"] and folded(item["subject"]) in folded(t.subject) for t in targets):
            report.targets_matched += 1
    return report


# ---------------------------------------------------------------------------------------------
# The gold of real plans (tests/data/eval/plans/*.yml): header, every task with section, lead,
# coordinating units, the deadline as written, kind and due date.

_TITLE_PREFIX = re.compile(r"^(thu truong|chu tich|giam doc|truong|lanh dao|cac)\s+")


def unit_name_key(name: str) -> str:
    """Names compared without diacritics, case, punctuation or a head's title ("Thủ trưởng ...")."""
    key = " ".join(re.sub(r"[^\w\s]", " ", folded(name)).split())
    key = key.replace("uy ban nhan dan", "ubnd")
    for _ in range(2):
        key = _TITLE_PREFIX.sub("", key)
    return key


def same_units(gold: list[str], got: list[str]) -> bool:
    return sorted(unit_name_key(n) for n in gold) == sorted(unit_name_key(n) for n in got)


def _starts_key(text: str) -> str:
    return " ".join(re.sub(r"[*_]", " ", folded(text)).split())


@dataclass
class PlanReport:
    name: str
    gold: int = 0
    extracted: int = 0
    matched: int = 0
    lead_gold: int = 0  # matched tasks whose gold lead is not empty
    lead_correct: int = 0
    due_gold: int = 0  # matched tasks whose gold gives a due date
    due_correct: int = 0
    header: dict = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    lead_errors: list[str] = field(default_factory=list)
    due_errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        share = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
        return {"plan": self.name, "gold": self.gold, "extracted": self.extracted, "recall": share(self.matched, self.gold),
                "precision": share(self.matched, self.extracted), "lead": share(self.lead_correct, self.lead_gold),
                "due": share(self.due_correct, self.due_gold), "header": self.header, "misses": self.misses,
                "lead_errors": self.lead_errors, "due_errors": self.due_errors}


def evaluate_labelled(gold_file: Path, plan: PlanDocument) -> PlanReport:
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    tasks, _targets = extract(plan)
    reference = gold.get("reference_date") or date(2026, 12, 1)
    reference = reference if isinstance(reference, date) else date.fromisoformat(str(reference))
    report = PlanReport(gold_file.stem, len(gold["tasks"]), len(tasks))
    head = gold.get("header") or {}
    report.header = {
        "number": (plan.doc_number or "").upper() == (head.get("number") or "").upper() if head.get("number") else plan.doc_number is None,
        "date": plan.issued_date == head.get("date") if head.get("date") else True,
        "title": bool(head.get("title")) and _starts_key(head["title"])[:40] in _starts_key(plan.title),
        "issuer": bool(plan.issuer) and unit_name_key(plan.issuer) == unit_name_key(head.get("issuer") or ""),
    }
    unused = list(tasks)
    for item in gold["tasks"]:
        starts = _starts_key(item["starts"])
        found = next((t for t in unused if _starts_key(t.text).startswith(starts[:60]) or starts[:60] in _starts_key(t.text)[: len(starts) + 60]), None)
        if found is None:
            report.misses.append(f"{item['section']}: {item['starts']}")
            continue
        unused.remove(found)
        report.matched += 1
        if item.get("lead"):
            report.lead_gold += 1
            got = [u["name"] for u in found.lead]
            if same_units(item["lead"], got):
                report.lead_correct += 1
            else:
                report.lead_errors.append(f"{item['starts'][:50]}: {got} ≠ {item['lead']}")
        if item.get("due"):
            report.due_gold += 1
            due = found.schedule.due
            # a recurring task's due date is labelled either as its first occurrence or as the next
            # one after the label's reference date (both conventions appear in the labels)
            upcoming = found.schedule.next_due(reference) if found.schedule.kind == "recurring" else None
            if found.schedule.kind in ("once", "recurring") and item["due"] in (due, upcoming):
                report.due_correct += 1
            else:
                report.due_errors.append(f"{item['starts'][:50]}: {found.schedule.kind} {due} ≠ {item['kind']} {item['due']} ({item.get('deadline_text')})")
    return report
