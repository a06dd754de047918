"""Read NLU training data in Rasa's YAML format (version "3.1").

Examples may annotate entities as ``[text](entity)`` or
``[text]{"entity": "agency", "value": "Phòng Nội vụ"}``; synonyms, lookup tables and regexes
are read too. Only what this project uses is supported; the files stay valid for Rasa.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).with_name("data")
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass
class AnnotatedEntity:
    entity: str
    value: str
    text: str
    start: int
    end: int


@dataclass
class Example:
    text: str
    intent: str
    entities: list[AnnotatedEntity] = field(default_factory=list)
    source: str = ""  # file stem: nlu, nlu_unaccented, nlu_informal, nlu_more …

    @property
    def style(self) -> str:
        for style in ("unaccented", "informal"):  # nlu_unaccented, nlu_more_unaccented …
            if self.source.endswith("_" + style):
                return style
        return "accented" if self.source.startswith("nlu") else self.source


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # written form (lower) -> canonical
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def intents(self) -> list[str]:
        return sorted({e.intent for e in self.examples})


def parse_example(line: str) -> tuple[str, list[AnnotatedEntity]]:
    """'[P.NV]{"entity": "agency", "value": "Phòng Nội vụ"} có việc gì' -> plain text + entities."""
    text, entities, cursor = "", [], 0
    for m in _ANNOTATION.finditer(line):
        text += line[cursor : m.start()]
        surface = m.group("text")
        if m.group("json"):
            meta = json.loads(m.group("json"))
            entity, value = meta["entity"], str(meta.get("value", surface))
        else:
            entity, value = m.group("entity"), surface
        entities.append(AnnotatedEntity(entity, value, surface, len(text), len(text) + len(surface)))
        text += surface
        cursor = m.end()
    return text + line[cursor:], entities


def _lines(block: str) -> list[str]:
    return [l.strip()[2:].strip() for l in (block or "").splitlines() if l.strip().startswith("- ")]


def load_training_data(paths: list[Path] | None = None) -> TrainingData:
    paths = paths or sorted(DATA_DIR.glob("*.yml"))
    data = TrainingData()
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if str(doc.get("version")) != "3.1":
            raise ValueError(f"{path.name}: expected Rasa training data version \"3.1\"")
        for item in doc.get("nlu") or []:
            if "intent" in item:
                for line in _lines(item["examples"]):
                    text, entities = parse_example(line)
                    data.examples.append(Example(text, item["intent"], entities, path.stem))
            elif "synonym" in item:
                for line in _lines(item["examples"]):
                    data.synonyms[line.lower()] = item["synonym"]
            elif "lookup" in item:
                data.lookups.setdefault(item["lookup"], []).extend(_lines(item["examples"]))
            elif "regex" in item:
                data.regexes.setdefault(item["regex"], []).extend(_lines(item["examples"]))
    return data


def data_fingerprint(paths: list[Path] | None = None) -> str:
    """The training data's hash; with the chat abbreviations, which rewrite every example before
    the model sees it (a changed abbreviation retrains the model)."""
    from vietnamese.abbreviations import DATA_FILE as ABBREVIATIONS

    digest = hashlib.sha256()
    for path in paths or [*sorted(DATA_DIR.glob("*.yml")), ABBREVIATIONS]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
