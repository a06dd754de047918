"""The questionnaire file: elements, criteria, the 1-5 scale, optional profile questions."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.config import PROJECT_ROOT, get_settings


@dataclass(frozen=True)
class Criterion:
    id: str
    element_id: str
    text: str
    confirmed: bool


@dataclass(frozen=True)
class Element:
    id: str
    name: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class ProfileQuestion:
    id: str
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One question of the survey, in asking order: a criterion, then profile questions."""

    index: int
    kind: str  # criterion | profile
    id: str
    text: str
    element_id: str | None = None
    options: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    intro: str
    scale: dict[int, str]
    elements: tuple[Element, ...]
    profile: tuple[ProfileQuestion, ...]

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def criteria(self) -> list[Criterion]:
        return [c for e in self.elements for c in e.criteria]

    def steps(self, with_profile: bool = True) -> list[Step]:
        steps = [Step(i, "criterion", c.id, c.text, c.element_id) for i, c in enumerate(self.criteria)]
        if with_profile:
            steps += [Step(len(steps) + j, "profile", p.id, p.text, None, p.options) for j, p in enumerate(self.profile)]
        return steps

    @property
    def unconfirmed(self) -> list[str]:
        return [c.id for c in self.criteria if not c.confirmed]


def load_questionnaire(path: Path) -> Questionnaire:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    elements = tuple(
        Element(
            e["id"],
            e["name"],
            tuple(Criterion(c["id"], e["id"], c["text"], bool(c.get("confirmed", False))) for c in e["criteria"]),
        )
        for e in data["elements"]
    )
    ids = [c.id for e in elements for c in e.criteria]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path.name}: criterion ids must be unique")
    scale = {int(k): str(v) for k, v in data["scale"].items()}
    if sorted(scale) != [1, 2, 3, 4, 5]:
        raise ValueError(f"{path.name}: the scale must label 1..5")
    profile = tuple(ProfileQuestion(p["id"], p["text"], tuple(str(o) for o in p["options"])) for p in data.get("profile") or [])
    return Questionnaire(str(data["id"]), str(data["version"]), data["title"], data.get("intro", ""), scale, elements, profile)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Questionnaire:
    return load_questionnaire(Path(path))


def current_questionnaire() -> Questionnaire:
    """The configured questionnaire (re-read when the file changes)."""
    path = Path(get_settings().survey.questionnaire)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return _cached(str(path), path.stat().st_mtime)
