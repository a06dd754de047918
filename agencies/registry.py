"""Resolve agency names written any way ("P.NV", "phòng nội vụ", "Phòng NV") to one unit."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from vietnamese.text import fold_key, words

DATA_FILE = Path(__file__).with_name("data") / "agencies.yml"


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    level: str
    abolished: date | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_current(self) -> bool:
        return self.abolished is None or self.abolished > date.today()


@dataclass
class Mention:
    agency: Agency | None  # None: a unit the registry does not know (kept as written)
    text: str
    start: int
    end: int

    @property
    def name(self) -> str:
        return self.agency.name if self.agency else self.text


def _key(text: str) -> str:
    """'P.NV' -> 'p nv'; 'HĐND&UBND' -> 'hdnd ubnd'."""
    return " ".join(words(fold_key(text.replace("&", " và ")))).replace(" va ", " ")


class Registry:
    def __init__(self, agencies: list[Agency], default_desk: str | None = None):
        self.agencies = {a.id: a for a in agencies}
        self.default_desk = default_desk
        self._by_key: dict[str, Agency] = {}
        for agency in agencies:
            for alias in (agency.name, *agency.aliases):
                self._by_key.setdefault(_key(alias), agency)
        self._max_words = max((len(k.split()) for k in self._by_key), default=1)

    def get(self, agency_id: str) -> Agency | None:
        return self.agencies.get(agency_id)

    def resolve(self, name: str) -> Agency | None:
        """The unit named exactly (any alias, any spelling), or None."""
        return self._by_key.get(_key(name))

    def find(self, text: str) -> list[Mention]:
        """Every registry unit mentioned in ``text``, longest names first, with positions."""
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text.replace("&", " "))]
        keys = [_key(text[s:e]) for s, e in spans]
        mentions: list[Mention] = []
        i = 0
        while i < len(spans):
            for n in range(min(self._max_words + 2, len(spans) - i), 0, -1):
                key = " ".join(k for k in keys[i : i + n] if k and k != "va")
                agency = self._by_key.get(key)
                if agency:
                    start, end = spans[i][0], spans[i + n - 1][1]
                    mentions.append(Mention(agency, text[start:end], start, end))
                    i += n
                    break
            else:
                i += 1
        return mentions

    def split_units(self, text: str) -> list[Mention]:
        """'Phòng Nội vụ; các ngành liên quan, UBND xã - thị trấn.' -> known and unknown units.

        Lists in plans separate units with ';' or ','; an alias that itself contains a comma
        ("UBND các xã, thị trấn") is matched before splitting. Unknown names are kept as written.
        """
        found = self.find(text)
        result: list[Mention] = []
        cursor = 0
        for mention in found + [Mention(None, "", len(text), len(text))]:
            for part in re.split(r"[;,]", text[cursor : mention.start]):
                cleaned = part.strip(" .;:-–\n\t")
                cleaned = re.sub(r"^(và|với|cùng)\s+", "", cleaned, flags=re.IGNORECASE)
                if cleaned and len(cleaned) > 2:
                    result.append(Mention(None, cleaned, cursor, mention.start))
            if mention.agency:
                result.append(mention)
            cursor = mention.end
        return result


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    agencies = [
        Agency(
            id=item["id"],
            name=item["name"],
            level=item["level"],
            abolished=item.get("abolished"),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
        )
        for item in data["agencies"]
    ]
    return Registry(agencies, data.get("default_desk"))


# The head words public bodies are named by, folded ("Bộ phận một cửa xã …", "UBND phường …",
# "chi nhanh van phong dang ky dat dai …"): a free-text name that starts with none of them is
# not taken as the body a citizen means ("cho hỏi cái này với", "5 sao").
_BODY_HEAD = re.compile(
    r"^(?:cac |tai |o )?(?:uy ban|ubnd|ub|hdnd|so|phong|cong an|ca|bo phan|mot cua|trung tam|tt|chi cuc|cuc|van phong|vp|"
    r"bao hiem xa hoi|bhxh|kho bac|chi nhanh|benh vien|tram y te|truong|thanh tra|toa an|vien kiem sat|thi hanh an|"
    r"chi cuc thue|thue|co quan|ban quan ly|ban|hoi|doan|xa|phuong|thi tran|dac khu|huyen|quan|tinh|thanh pho|thi xa|"
    r"dien luc|cap nuoc|buu dien|ngan hang|dang kiem|hai quan|kiem lam|bo doi bien phong|ubmttq|mat tran)\b"
)


def looks_like_body(text: str) -> bool:
    """Does free text name a public body (to be kept as written when the registry does not know it)?"""
    folded = fold_key(text).split()
    return 2 <= len(folded) <= 25 and bool(_BODY_HEAD.match(" ".join(folded)))
