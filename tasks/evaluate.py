"""Task extraction against hand labels (tests/data/tasks_gold): recall, precision, lead-unit and
due-date accuracy."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

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
