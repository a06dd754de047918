"""`civic rasa export DIR`: the assistant as a Rasa Open Source 3.6 project.

Everything is generated from the engine's own sources of truth, never from hand-kept copies:

* config.yml   - a pipeline for Vietnamese (whitespace tokens, word and char_wb n-grams, DIET)
                 with the engine's low-confidence threshold (settings nlu.threshold);
* domain.yml   - dialogue/domain.yml made Rasa-safe (cancel and interruptions can reject a form,
                 entities fill slots only inside their forms) with every action of the package;
* data/nlu.yml - the examples of nlu/data with the unaccented and chat-style variants the
                 engine's classifier trains on (same seed), entity annotations, synonyms,
                 lookups, regexes, and the typed menu labels of nlu/menu_labels.yml;
* data/rules.yml, data/stories.yml - the engine's routing (dialogue/routes.py);
* endpoints.yml, credentials.yml - the action server and the REST channel.
"""
from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actions.aside import FORMAT_SLOTS
from dialogue import engine, routes
from dialogue.domain import load_domain

RASA_VERSION = "3.6"
TRAINING_DATA_VERSION = "3.1"
ASSISTANT_ID = "civic-assistant-vi"
DEFAULT_ACTION_URL = "http://localhost:5055/webhook"
DEFAULT_EPOCHS = 100
DEFAULT_TED_EPOCHS = 30
# IntentModel.train's default seed: the chat-style variants are the ones the engine trains on.
AUGMENT_SEED = 7
CANCEL = "cancel"
FALLBACK_INTENT = "nlu_fallback"
DEACTIVATE = "action_deactivate_loop"
# Priorities when one text is an example of two intents (Rasa allows one): a typed menu label
# is decided before the classifier in the engine, then written examples, then generated variants.
MENU, WRITTEN, VARIANT = 0, 1, 2


@dataclass
class ExportOptions:
    epochs: int = DEFAULT_EPOCHS  # DIETClassifier
    ted_epochs: int = DEFAULT_TED_EPOCHS  # TEDPolicy
    action_url: str = DEFAULT_ACTION_URL
    assistant_id: str = ASSISTANT_ID


@dataclass
class NluStats:
    engine_texts: int = 0  # what IntentModel.train fits on (duplicates included)
    written_examples: int = 0
    engine_distinct: int = 0  # distinct texts among them (compared in lower case, spaces collapsed)
    menu_labels_added: int = 0
    conflicts_dropped: list[dict] = field(default_factory=list)  # a text kept for one intent only
    exported: int = 0
    per_intent: dict[str, int] = field(default_factory=dict)


@dataclass
class ExportResult:
    directory: Path
    files: list[str]
    digest: str
    stats: NluStats
    training_digest: str = ""  # of the files a trained model depends on: reuse a model when equal


# ---------------------------------------------------------------------------- YAML output


class _Literal(str):
    """A string written as a YAML block literal (`examples: |`)."""


class _Dumper(yaml.SafeDumper):
    pass


def _literal(dumper: yaml.SafeDumper, value: _Literal):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


_Dumper.add_representer(_Literal, _literal)


def dump_yaml(doc: Any) -> str:
    """Deterministic YAML: keys in insertion order, Unicode kept, block literals for examples."""
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


def _examples_block(lines: list[str]) -> _Literal:
    return _Literal("".join(f"- {line}\n" for line in lines))


# ---------------------------------------------------------------------------- config.yml


def _fallback_threshold() -> float:
    from core.config import get_settings

    return float(get_settings().nlu.threshold)


def build_config(options: ExportOptions, with_regexes: bool = True) -> dict:
    pipeline: list[dict] = [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer", "case_sensitive": False},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        # character n-grams within words: robust to missing diacritics, typos and abbreviations
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": options.epochs, "constrain_similarities": True},
    ]
    if with_regexes:
        pipeline.append({"name": "RegexEntityExtractor", "case_sensitive": False, "use_lookup_tables": True,
                         "use_regexes": True, "use_word_boundaries": True})
    pipeline += [
        {"name": "EntitySynonymMapper"},
        # below the engine's threshold the message is a nlu_fallback: the knowledge base answers it
        {"name": "FallbackClassifier", "threshold": _fallback_threshold(), "ambiguity_threshold": 0.1},
    ]
    policies = [
        {"name": "MemoizationPolicy", "max_history": 5},
        {"name": "RulePolicy", "core_fallback_threshold": 0.3, "core_fallback_action_name": "action_default_fallback",
         "enable_fallback_prediction": True},
        {"name": "TEDPolicy", "max_history": 5, "epochs": options.ted_epochs, "constrain_similarities": True},
    ]
    return {"recipe": "default.v1", "language": "vi", "assistant_id": options.assistant_id,
            "pipeline": pipeline, "policies": policies}


# ---------------------------------------------------------------------------- domain.yml


def registered_actions() -> list[str]:
    """Every action the `actions` package registers (what `python -m rasa_sdk --actions actions` serves)."""
    return sorted(engine.build_executor().actions)


def _forms_of(domain: dict) -> dict[str, list[str]]:
    """slot -> the forms that require it (in domain order)."""
    owners: dict[str, list[str]] = {}
    for form, spec in (domain.get("forms") or {}).items():
        for slot in spec.get("required_slots") or []:
            owners.setdefault(slot, []).append(form)
    return owners


def _trigger_intents() -> dict[str, str]:
    """form -> the intent that opens it."""
    return {form: intent for intent, form in routes.INTENT_FORMS.items()}


def _interrupting_for(form: str) -> list[str]:
    """Intents that interrupt ``form`` (the engine's INTERRUPTING minus the form's own opener)."""
    own = _trigger_intents().get(form)
    return sorted(i for i in routes.INTERRUPTING if i != own)


def text_not_intents(slot: str, forms: list[str], push: PushRoute | None = None) -> list[str]:
    """Intents that must not fill ``slot`` from text: cancel always (and a pushed message, whose
    text is Rasa's "EXTERNAL: ..." marker); on short, strict answers also the interrupting intents
    (free-text slots are interrupted by cancel only; slots of a fixed format take any text, and
    their validator answers a question aside)."""
    blocked = {CANCEL} | ({push.intent} if push else set())
    if slot in FORMAT_SLOTS:
        return sorted(blocked)  # a question there reaches the validator, which answers it aside (actions.aside)
    if slot in routes.STRICT_SLOTS and slot not in routes.FREE_TEXT_SLOTS:
        for form in forms or [None]:
            blocked.update(_interrupting_for(form) if form else routes.INTERRUPTING)
    return sorted(blocked)


@dataclass
class PushRoute:
    """Messages queued for a person on Rasa (an official's reply, a reminder) are pushed with
    POST /conversations/<sender>/trigger_intent; a rule answers the intent with the action that
    says them."""

    intent: str
    entities: list[str]
    action: str


DELIVER_ACTION = "action_deliver_message"


def push_route() -> PushRoute | None:
    """The intent and entities bot.channels.rasa triggers with (actions.outbox owns the names), or
    None when this installation has no such sender or the actions no delivery action."""
    from actions import outbox  # the action owns the names bot.channels.rasa triggers with

    if DELIVER_ACTION not in registered_actions():
        return None
    return PushRoute(outbox.INTENT, [outbox.TEXT_ENTITY, outbox.BUTTONS_ENTITY], DELIVER_ACTION)


# While an official has the conversation the engine passes every message to them and stays silent
# (engine._in_handoff). On Rasa that takes a bool slot set by action_human_handoff (featurized, so
# rules can see it) and an action that passes the message on; when both exist, rules are generated.
HANDOFF_SLOT = "handoff_open"
RELAY_ACTION = "action_handoff_relay"


def has_handoff_relay(domain: dict) -> bool:
    slot = (domain.get("slots") or {}).get(HANDOFF_SLOT) or {}
    return (slot.get("type") == "bool" and slot.get("influence_conversation", True) is not False
            and RELAY_ACTION in registered_actions())


def escape_braces(payload: str) -> str:
    """'/deny{"fix": "x"}' -> '/deny{{"fix": "x"}}' (Rasa's response interpolation gives it back)."""
    return payload.replace("{", "{{").replace("}", "}}")


def rasa_domain() -> dict:
    """dialogue/domain.yml, transformed to behave on Rasa as it does in the engine."""
    domain = copy.deepcopy(load_domain())
    owners = _forms_of(domain)
    push = push_route()
    if push:
        domain["intents"] = list(dict.fromkeys([*domain.get("intents", []), push.intent]))
        domain["entities"] = list(dict.fromkeys([*domain.get("entities", []), *push.entities]))
    for slot, spec in (domain.get("slots") or {}).items():
        forms = owners.get(slot, [])
        for mapping in spec.get("mappings") or []:
            kind = mapping.get("type")
            if kind == "from_text":
                mapping["not_intent"] = sorted(set(mapping.get("not_intent") or []) | set(text_not_intents(slot, forms, push)))
            elif kind == "from_entity" and not mapping.get("conditions") and forms:
                # the engine reads an entity only for the form being filled (Rasa also extracts
                # with these conditions when the form is activated, so the opening message counts)
                mapping["conditions"] = [{"active_loop": form} for form in forms]
    for variants in (domain.get("responses") or {}).values():
        for variant in variants:
            for button in variant.get("buttons") or []:
                # Rasa fills {placeholders} in button payloads too: JSON braces are written doubled
                button["payload"] = escape_braces(button["payload"])
    domain["actions"] = sorted(set(domain.get("actions") or []) | set(registered_actions()))
    domain.setdefault("session_config", {"session_expiration_time": 30, "carry_over_slots_to_new_session": False})
    return domain


# ---------------------------------------------------------------------------- data/nlu.yml


@dataclass
class _Span:
    entity: str
    value: str
    start: int
    end: int


def _replay_chat_style(folded_text: str, spans: list[_Span], rng: random.Random) -> tuple[str, list[_Span]]:
    """nlu.augment.chat_style on already folded text, moving entity spans with each substitution.
    Consumes ``rng`` exactly as chat_style does (the caller checks the text is identical)."""
    from nlu.augment import _CHAT

    out = folded_text
    for pattern, options in _CHAT:
        if rng.random() >= 0.7:
            continue
        pieces, moves, cursor, built = [], [], 0, 0
        for m in re.finditer(pattern, out):
            replacement = rng.choice(options)
            pieces.append(out[cursor:m.start()])
            built += m.start() - cursor
            moves.append((m.start(), m.end(), built, built + len(replacement)))
            pieces.append(replacement)
            built += len(replacement)
            cursor = m.end()
        pieces.append(out[cursor:])
        out = "".join(pieces)
        spans = [s for s in (_move(span, moves) for span in spans) if s]
    return out, spans


def _move(span: _Span, moves: list[tuple[int, int, int, int]]) -> _Span | None:
    start, end = _moved(span.start, moves), _moved(span.end, moves)
    return _Span(span.entity, span.value, start, end) if start is not None and end is not None and start < end else None


def _moved(position: int, moves: list[tuple[int, int, int, int]]) -> int | None:
    """The position after the substitutions; None when it falls inside a replaced word."""
    delta = 0
    for old_start, old_end, _new_start, new_end in moves:
        if position <= old_start:
            break
        if position < old_end:
            return None
        delta = new_end - old_end
    return position + delta


def _annotate(text: str, spans: list[_Span]) -> str:
    """Rasa's inline annotation: [surface](entity) or [surface]{"entity": ..., "value": ...}."""
    out, cursor = "", 0
    for span in sorted(spans, key=lambda s: s.start):
        surface = text[span.start:span.end]
        out += text[cursor:span.start]
        if surface == span.value:
            out += f"[{surface}]({span.entity})"
        else:
            out += f"[{surface}]" + json.dumps({"entity": span.entity, "value": span.value}, ensure_ascii=False)
        cursor = span.end
    return out + text[cursor:]


def _with_rule_entities(text: str, spans: list[_Span]) -> list[_Span]:
    """Tracking codes and phone numbers found by the engine's own extractors, where not annotated."""
    from nlu import entities as extract

    found = list(spans)
    for entity in extract.tracking_codes(text) + extract.phones(text):
        if not any(s.start < entity.end and entity.start < s.end for s in found):
            found.append(_Span(entity.entity, entity.value, entity.start, entity.end))
    return found


def _clean(text: str) -> str:
    return " ".join(text.split())


def _variants(example, rng: random.Random) -> list[tuple[str, list[_Span], int]]:
    """(text, entity spans, priority) of an example as IntentModel.train sees it:
    the text, its unaccented form and its chat-style form."""
    from nlu.augment import chat_style, unaccented

    spans = [_Span(a.entity, a.value, a.start, a.end) for a in example.entities]
    folded = unaccented(example.text)
    state = rng.getstate()
    chat = chat_style(example.text, rng)  # advances the engine's random sequence
    folded_spans = spans if len(folded) == len(example.text) else []
    replay = random.Random()
    replay.setstate(state)
    replayed, chat_spans = _replay_chat_style(folded, folded_spans, replay)
    if replayed != chat:  # augment.py changed shape: keep the text, drop its annotations
        chat_spans = []
    return [(example.text, spans, WRITTEN), (folded, folded_spans, VARIANT), (chat, chat_spans, VARIANT)]


def engine_training_texts(data=None) -> list[tuple[str, str]]:
    """(text, intent) exactly as IntentModel.train builds them (with its seed), duplicates kept."""
    from nlu.augment import chat_style, unaccented
    from nlu.training_data import load_training_data

    data = data or load_training_data()
    rng = random.Random(AUGMENT_SEED)
    texts = []
    for example in data.examples:
        for variant in {example.text, unaccented(example.text), chat_style(example.text, rng)}:
            texts.append((variant, example.intent))
    return texts


def menu_labels() -> list[tuple[str, str]]:
    """(label, intent) of nlu/menu_labels.yml, each also without diacritics."""
    from nlu.augment import unaccented
    from nlu.commands import DATA_FILE

    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")) or {}
    out = []
    for intent, labels in (data.get("labels") or {}).items():
        for label in labels:
            for text in dict.fromkeys([str(label), unaccented(str(label))]):
                out.append((text, intent))
    return out


def nlu_examples(stats: NluStats | None = None) -> dict[str, list[str]]:
    """intent -> annotated example lines, in data order, one intent per text."""
    from nlu.training_data import load_training_data

    stats = stats if stats is not None else NluStats()
    data = load_training_data()
    rng = random.Random(AUGMENT_SEED)
    candidates: list[tuple[str, str, list[_Span], int]] = []
    for example in data.examples:
        for text, spans, priority in _variants(example, rng):
            candidates.append((_clean(text), example.intent, spans if _clean(text) == text else [], priority))
    for label, intent in menu_labels():
        candidates.append((_clean(label), intent, [], MENU))
    engine_texts = engine_training_texts(data)
    stats.engine_texts = len(engine_texts)
    distinct = {_clean(text).lower() for text, _intent in engine_texts}
    stats.engine_distinct = len(distinct)
    stats.menu_labels_added = len({_clean(label).lower() for label, _intent in menu_labels()} - distinct)
    stats.written_examples = len(data.examples)
    return _resolve(candidates, stats)


def _resolve(candidates: list[tuple[str, str, list[_Span], int]], stats: NluStats) -> dict[str, list[str]]:
    """One intent per text (menu label > written example > generated variant, then data order)."""
    best: dict[str, tuple[int, int, str]] = {}
    for order, (text, intent, _spans, priority) in enumerate(candidates):
        key = text.lower()
        if key not in best or priority < best[key][0]:
            best[key] = (priority, order, intent)
    by_intent: dict[str, list[str]] = {}
    seen: set[str] = set()
    dropped: dict[tuple[str, str], dict] = {}
    for text, intent, spans, priority in candidates:
        key = text.lower()
        if not text:
            continue
        if best[key][2] != intent:
            dropped.setdefault((key, intent), {"text": text, "dropped": intent, "kept": best[key][2]})
            continue
        if key in seen:
            continue
        seen.add(key)
        by_intent.setdefault(intent, []).append(_annotate(text, _with_rule_entities(text, spans)))
    stats.conflicts_dropped = list(dropped.values())
    stats.per_intent = {intent: len(lines) for intent, lines in by_intent.items()}
    stats.exported = sum(stats.per_intent.values())
    return by_intent


def _regexes(data) -> dict[str, list[str]]:
    """The training data's regexes plus the engine's tracking-code shape (nlu.entities)."""
    from nlu import entities as extract

    regexes = {name: list(dict.fromkeys(patterns)) for name, patterns in data.regexes.items()}
    code = extract._CODE.pattern
    regexes.setdefault("tracking_code", [])
    if code not in regexes["tracking_code"]:
        regexes["tracking_code"].append(code)
    return regexes


def build_nlu(stats: NluStats | None = None) -> dict:
    from nlu.training_data import load_training_data

    data = load_training_data()
    items: list[dict] = []
    for intent, lines in nlu_examples(stats).items():
        items.append({"intent": intent, "examples": _examples_block(lines)})
    synonyms: dict[str, list[str]] = {}
    for written, canonical in data.synonyms.items():
        synonyms.setdefault(canonical, []).append(written)
    for canonical, written in synonyms.items():
        items.append({"synonym": canonical, "examples": _examples_block(written)})
    for name, values in data.lookups.items():
        items.append({"lookup": name, "examples": _examples_block(list(dict.fromkeys(values)))})
    for name, patterns in _regexes(data).items():
        items.append({"regex": name, "examples": _examples_block(patterns)})
    return {"version": TRAINING_DATA_VERSION, "nlu": items}


# ---------------------------------------------------------------------------- rules and stories


def _route_steps(intent: str) -> list[dict]:
    """What the engine does for ``intent`` outside a form (one action or response)."""
    if intent in routes.INTENT_ACTIONS:
        return [{"action": routes.INTENT_ACTIONS[intent]}]
    return [{"action": routes.INTENT_RESPONSES.get(intent, "utter_clarify")}]


def _interruption_steps(intent: str) -> list[dict]:
    """engine._route_interruption: a status check runs the status action, anything else its route."""
    if intent == "check_feedback_status":
        return [{"action": routes.FORM_SUBMIT["feedback_status_form"]}]
    return _route_steps(intent)


def _cancel_action(form: str, actions: set[str]) -> str:
    name = f"action_cancel_{form}"
    return name if name in actions else "utter_cancelled"


def build_rules(domain: dict | None = None) -> dict:
    domain = domain or rasa_domain()
    actions = set(domain.get("actions") or [])
    forms = list(domain.get("forms") or {})
    rules: list[dict] = []
    for intent, response in routes.INTENT_RESPONSES.items():
        rules.append({"rule": f"{intent} answered by {response}", "steps": [{"intent": intent}, {"action": response}]})
    for intent, action in routes.INTENT_ACTIONS.items():
        rules.append({"rule": f"{intent} runs {action}", "steps": [{"intent": intent}, {"action": action}]})
    rules.append({"rule": "low confidence: the knowledge base answers or asks what is meant",
                  "steps": [{"intent": FALLBACK_INTENT}, {"action": routes.INTENT_ACTIONS["ask_question"]}]})
    for intent, form in routes.INTENT_FORMS.items():
        rules.append({"rule": f"{intent} opens {form}",
                      "steps": [{"intent": intent}, {"action": form}, {"active_loop": form}]})
    # rating how a feedback was handled: the button names the item ('/give_rating{"feedback": ...}')
    # ... or the citizen types it ("đánh giá việc xử lý phản ánh PA-2026-000123")
    for entity in ("feedback", "tracking_code"):
        rules.append({"rule": f"give_rating with a {entity} entity opens feedback_rating_form",
                      "steps": [{"intent": "give_rating", "entities": [entity]},
                                {"action": "feedback_rating_form"}, {"active_loop": "feedback_rating_form"}]})
    # the survey's first question offers the person's own answered feedback as a button: that form instead
    rules.append({"rule": "a feedback to rate named during the survey opens feedback_rating_form",
                  "condition": [{"active_loop": "survey_form"}],
                  "steps": [{"intent": "give_rating", "entities": ["feedback"]},
                            {"action": "action_deactivate_loop"}, {"active_loop": None},
                            {"action": "feedback_rating_form"}, {"active_loop": "feedback_rating_form"}]})
    push = push_route()
    if push:
        rules.append({"rule": "a pushed message is said", "steps": [{"intent": push.intent}, {"action": push.action}]})
    if has_handoff_relay(domain):
        for intent in [*domain.get("intents", []), FALLBACK_INTENT]:
            if push is None or intent != push.intent:
                rules.append({"rule": f"while an official has the conversation, {intent} goes to them",
                              "condition": [{"slot_was_set": [{HANDOFF_SLOT: True}]}],
                              "steps": [{"intent": intent}, {"action": RELAY_ACTION}]})
                # the relay may end the handoff ("kết thúc", or the official closed it): then listen too
                rules.append({"rule": f"{intent} ends the handoff",
                              "condition": [{"slot_was_set": [{HANDOFF_SLOT: True}]}],
                              "steps": [{"intent": intent}, {"action": RELAY_ACTION}, {"slot_was_set": [{HANDOFF_SLOT: False}]}]})
    for form in forms:
        if push:
            rules.append({"rule": f"a pushed message during {form}, then the form again", "condition": [{"active_loop": form}],
                          "steps": [{"intent": push.intent}, {"action": push.action}, {"action": form}, {"active_loop": form}]})
        rules.append({"rule": f"submit {form}", "condition": [{"active_loop": form}],
                      "steps": [{"action": form}, {"active_loop": None}, {"slot_was_set": [{"requested_slot": None}]},
                                {"action": routes.FORM_SUBMIT[form]}]})
        rules.append({"rule": f"cancel {form}", "condition": [{"active_loop": form}],
                      "steps": [{"intent": CANCEL}, {"action": DEACTIVATE}, {"active_loop": None},
                                {"action": _cancel_action(form, actions)}]})
        for intent in _interrupting_for(form):
            rules.append({"rule": f"{intent} interrupts {form}", "condition": [{"active_loop": form}],
                          "steps": [{"intent": intent}, *_interruption_steps(intent), {"action": form},
                                    {"active_loop": form}]})
    return {"version": TRAINING_DATA_VERSION, "rules": rules}


def build_stories() -> dict:
    """Short stories for TEDPolicy: each route, and each form opened from its intent."""
    stories: list[dict] = []
    for intent in [*routes.INTENT_ACTIONS, *[i for i in routes.INTENT_RESPONSES if i != CANCEL]]:
        stories.append({"story": f"{intent}", "steps": [{"intent": intent}, *_route_steps(intent)]})
    for intent, form in routes.INTENT_FORMS.items():
        stories.append({"story": f"{intent} then greet",
                        "steps": [{"intent": "greet"}, {"action": "utter_greet"}, {"intent": intent}, {"action": form},
                                  {"active_loop": form}]})
    return {"version": TRAINING_DATA_VERSION, "stories": stories}


# ---------------------------------------------------------------------------- endpoints, credentials


def build_endpoints(options: ExportOptions) -> dict:
    return {"action_endpoint": {"url": options.action_url}}


def build_credentials() -> dict:
    return {"rest": None}


# ---------------------------------------------------------------------------- the project


def build_project(options: ExportOptions | None = None, stats: NluStats | None = None) -> dict[str, str]:
    """relative path -> file text of the whole Rasa project."""
    options = options or ExportOptions()
    domain = rasa_domain()
    nlu = build_nlu(stats)
    has_regexes = any("regex" in item or "lookup" in item for item in nlu["nlu"])
    header = "# Generated by `civic rasa export` from the engine's sources; do not edit by hand.\n"
    files = {
        "config.yml": build_config(options, has_regexes),
        "domain.yml": domain,
        "data/nlu.yml": nlu,
        "data/rules.yml": build_rules(domain),
        "data/stories.yml": build_stories(),
        "endpoints.yml": build_endpoints(options),
        "credentials.yml": build_credentials(),
    }
    return {path: header + dump_yaml(doc) for path, doc in files.items()}


# What a trained model depends on (endpoints and credentials do not change it).
TRAINING_FILES = ("config.yml", "domain.yml", "data/nlu.yml", "data/rules.yml", "data/stories.yml")


def digest(files: dict[str, str], only: tuple[str, ...] | None = None) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in files if only is None or p in only):
        h.update(path.encode())
        h.update(b"\0")
        h.update(files[path].encode("utf-8"))
    return h.hexdigest()[:16]


def export(directory: Path, options: ExportOptions | None = None) -> ExportResult:
    """Write the project into ``directory`` (created; generated files overwritten)."""
    stats = NluStats()
    files = build_project(options, stats)
    directory = Path(directory)
    for path, text in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return ExportResult(directory, sorted(files), digest(files), stats, digest(files, TRAINING_FILES))
