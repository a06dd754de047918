"""`civic rasa export`: the Rasa 3.6 project generated from the engine's sources (no Rasa needed)."""
from __future__ import annotations

import re

import pytest
import yaml

from actions.aside import FORMAT_SLOTS
from dialogue import routes
from dialogue import rasa_export as rx
from dialogue.domain import load_domain

_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]*\}))")


@pytest.fixture(scope="module")
def project() -> dict:
    stats = rx.NluStats()
    files = rx.build_project(rx.ExportOptions(), stats)
    return {"files": files, "stats": stats, **{path: yaml.safe_load(text) for path, text in files.items()}}


def _plain(line: str) -> str:
    return _ANNOTATION.sub(lambda m: m.group("text"), line)


def _examples(nlu: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in nlu["nlu"]:
        if "intent" in item:
            lines = [l[2:] for l in item["examples"].splitlines() if l.startswith("- ")]
            out.setdefault(item["intent"], []).extend(lines)
    return out


def test_export_is_deterministic(project, tmp_path):
    again = rx.build_project(rx.ExportOptions())
    assert again == project["files"]
    result = rx.export(tmp_path / "a")
    assert result.digest == rx.digest(project["files"])
    assert sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*.yml")) == sorted(project["files"])


def test_config_follows_the_engine_and_options():
    from core.config import get_settings

    config = rx.build_config(rx.ExportOptions(epochs=37, ted_epochs=11))
    names = [c["name"] for c in config["pipeline"]]
    assert config["recipe"] == "default.v1" and config["language"] == "vi" and config["assistant_id"]
    assert names.index("WhitespaceTokenizer") == 0 and names.index("DIETClassifier") < names.index("FallbackClassifier")
    char = next(c for c in config["pipeline"] if c.get("analyzer") == "char_wb")
    assert 1 <= char["min_ngram"] <= 2 and 4 <= char["max_ngram"] <= 5
    assert next(c for c in config["pipeline"] if c["name"] == "DIETClassifier")["epochs"] == 37
    assert next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")["threshold"] == get_settings().nlu.threshold
    policies = {p["name"]: p for p in config["policies"]}
    assert set(policies) == {"RulePolicy", "MemoizationPolicy", "TEDPolicy"} and policies["TEDPolicy"]["epochs"] == 11
    assert policies["RulePolicy"]["core_fallback_action_name"] != "action_answer_question"


def test_domain_has_every_registered_action_and_keeps_the_engine_domain(project):
    domain = project["domain.yml"]
    source = load_domain()
    assert set(rx.registered_actions()) <= set(domain["actions"])
    assert set(source["actions"]) <= set(domain["actions"])
    assert not set(domain["forms"]) & set(domain["actions"])
    push = rx.push_route()
    extra_intents, extra_entities = ([push.intent], push.entities) if push else ([], [])
    assert domain["intents"] == source["intents"] + [i for i in extra_intents if i not in source["intents"]]
    assert domain["entities"] == source["entities"] + [e for e in extra_entities if e not in source["entities"]]
    for key in ("forms", "session_config"):
        assert domain[key] == source[key]
    assert set(domain["responses"]) == set(source["responses"])
    assert set(domain["slots"]) == set(source["slots"])


def test_json_in_button_payloads_survives_rasa_interpolation(project):
    """Rasa interpolates {slot} placeholders in buttons: JSON braces are doubled and come back single."""
    source = load_domain()["responses"]["utter_ask_what_to_fix"][0]["buttons"][0]["payload"]
    exported = project["domain.yml"]["responses"]["utter_ask_what_to_fix"][0]["buttons"][0]["payload"]
    assert source == '/deny{"fix": "feedback_content"}' and exported == '/deny{{"fix": "feedback_content"}}'
    # what rasa.core.nlg.interpolator.interpolate_text does with it
    text = re.sub(r"{([^\n{}]+?)}", r"{0[\1]}", exported).format({})
    assert ("0[" in text and exported.format({}) == source)
    assert project["domain.yml"]["responses"]["utter_greet"] == load_domain()["responses"]["utter_greet"]


def test_every_text_mapping_can_be_refused_by_cancel_and_strict_slots_by_interruptions(project):
    for slot, spec in project["domain.yml"]["slots"].items():
        for mapping in spec["mappings"]:
            if mapping["type"] == "from_text":
                assert "cancel" in mapping["not_intent"], slot
                if slot in routes.STRICT_SLOTS and slot not in FORMAT_SLOTS:
                    own = {i for i, f in routes.INTENT_FORMS.items() if mapping["conditions"][0]["active_loop"] == f}
                    assert routes.INTERRUPTING - own <= set(mapping["not_intent"]), slot
                if slot in routes.FREE_TEXT_SLOTS or slot in FORMAT_SLOTS:  # a question there is answered by the validator
                    push = rx.push_route()
                    assert set(mapping["not_intent"]) == {"cancel"} | ({push.intent} if push else set()), slot


def test_entities_fill_slots_only_inside_their_forms(project):
    domain = project["domain.yml"]
    owners = {s: f for f, spec in domain["forms"].items() for s in spec["required_slots"]}
    for slot, spec in domain["slots"].items():
        for mapping in spec["mappings"]:
            if mapping["type"] == "from_entity" and slot in owners:
                loops = {c["active_loop"] for c in mapping["conditions"]}
                assert loops and loops <= set(domain["forms"]), slot


def test_rules_and_stories_reference_only_what_the_domain_has(project):
    domain = project["domain.yml"]
    intents = set(domain["intents"]) | {"nlu_fallback"}
    actions = set(domain["actions"]) | set(domain["responses"]) | set(domain["forms"]) | {"action_deactivate_loop"}
    slots = set(domain["slots"]) | {"requested_slot"}
    entities = set(domain["entities"])
    blocks = project["data/rules.yml"]["rules"] + project["data/stories.yml"]["stories"]
    for block in blocks:
        for step in block.get("condition", []) + block["steps"]:
            if "intent" in step:
                assert step["intent"] in intents, block
                assert set(step.get("entities", [])) <= entities, block
            if "action" in step:
                assert step["action"] in actions, block
            if step.get("active_loop"):
                assert step["active_loop"] in domain["forms"], block
            for slot_step in step.get("slot_was_set", []):
                assert set(slot_step) <= slots, block


def test_rules_cover_the_engine_routing(project):
    rules = project["data/rules.yml"]["rules"]

    def steps(rule):
        return [next(iter(s.items())) for s in rule["steps"]]

    def has(condition, expected):
        return any([(k, v) for k, v in steps(r)[: len(expected)]] == expected and
                   (r.get("condition") or [None])[0] == condition for r in rules)

    for intent, response in routes.INTENT_RESPONSES.items():
        assert has(None, [("intent", intent), ("action", response)])
    for intent, action in routes.INTENT_ACTIONS.items():
        assert has(None, [("intent", intent), ("action", action)])
    assert has(None, [("intent", "nlu_fallback"), ("action", "action_answer_question")])
    for intent, form in routes.INTENT_FORMS.items():
        assert has(None, [("intent", intent), ("action", form), ("active_loop", form)])
    rating = next(r for r in rules if r["steps"][0].get("entities") == ["feedback"])
    assert rating["steps"][0]["intent"] == "give_rating" and rating["steps"][1]["action"] == "feedback_rating_form"
    actions = set(project["domain.yml"]["actions"])
    for form, submit in routes.FORM_SUBMIT.items():
        condition = {"active_loop": form}
        assert has(condition, [("action", form), ("active_loop", None), ("slot_was_set", [{"requested_slot": None}]), ("action", submit)])
        cancel = f"action_cancel_{form}" if f"action_cancel_{form}" in actions else "utter_cancelled"
        assert has(condition, [("intent", "cancel"), ("action", "action_deactivate_loop"), ("active_loop", None), ("action", cancel)])
        for intent in routes.INTERRUPTING - {i for i, f in routes.INTENT_FORMS.items() if f == form}:
            rule = next(r for r in rules if r.get("condition") == [condition] and r["steps"][0].get("intent") == intent)
            assert rule["steps"][-2:] == [{"action": form}, {"active_loop": form}]


def test_pushed_messages_are_said_and_the_form_resumes(project):
    push = rx.push_route()
    if push is None:
        pytest.skip("no Rasa sender (bot.channels.rasa) or no delivery action in this installation")
    rules = project["data/rules.yml"]["rules"]
    assert any(r["steps"] == [{"intent": push.intent}, {"action": push.action}] and "condition" not in r for r in rules)
    for form in project["domain.yml"]["forms"]:
        assert any(r.get("condition") == [{"active_loop": form}] and r["steps"][0] == {"intent": push.intent}
                   and r["steps"][-2:] == [{"action": form}, {"active_loop": form}] for r in rules)
    assert push.action in project["domain.yml"]["actions"]


def test_while_an_official_has_the_conversation_every_intent_goes_to_the_relay(project):
    domain = project["domain.yml"]
    assert rx.has_handoff_relay(domain)
    relays = [r for r in project["data/rules.yml"]["rules"] if r["steps"][-1] == {"action": rx.RELAY_ACTION}]
    push = rx.push_route()
    expected = set(domain["intents"]) - ({push.intent} if push else set()) | {"nlu_fallback"}
    assert {r["steps"][0]["intent"] for r in relays} == expected
    assert all(r["condition"] == [{"slot_was_set": [{rx.HANDOFF_SLOT: True}]}] for r in relays)
    # without the slot in the domain no such rules are made
    bare = {**domain, "slots": {k: v for k, v in domain["slots"].items() if k != rx.HANDOFF_SLOT}}
    assert not any(r["steps"][-1] == {"action": rx.RELAY_ACTION} for r in rx.build_rules(bare)["rules"])


def test_every_intent_of_the_engine_has_examples(project):
    from nlu.training_data import load_training_data

    examples = _examples(project["data/nlu.yml"])
    engine_intents = set(load_training_data().intents) | set(load_domain()["intents"])
    for intent in engine_intents:
        assert len(examples.get(intent, [])) >= 10, intent


def test_examples_are_what_the_engine_trains_on_plus_menu_labels(project):
    """Every distinct text of IntentModel.train (text, unaccented, chat style with its seed) and
    every typed menu label appears exactly once; a text of two intents keeps one (Rasa allows one)."""
    stats = project["stats"]
    examples = _examples(project["data/nlu.yml"])
    plain = [_plain(line).lower() for lines in examples.values() for line in lines]
    assert len(plain) == len(set(plain)) == stats.exported
    engine_texts = {" ".join(t.split()).lower() for t, _ in rx.engine_training_texts()}
    labels = {" ".join(t.split()).lower() for t, _ in rx.menu_labels()}
    assert set(plain) == engine_texts | labels
    assert stats.exported == stats.engine_distinct + stats.menu_labels_added
    assert stats.engine_texts >= stats.engine_distinct
    kept = {(_plain(l).lower(), intent) for intent, lines in examples.items() for l in lines}
    for conflict in stats.conflicts_dropped:
        assert (conflict["text"].lower(), conflict["kept"]) in kept


def test_menu_labels_belong_to_their_intents(project):
    examples = _examples(project["data/nlu.yml"])
    kept = {_plain(l).lower(): intent for intent, lines in examples.items() for l in lines}
    for label, intent in rx.menu_labels():
        assert kept[" ".join(label.split()).lower()] == intent, label


def test_entity_annotations_survive_the_variants(project):
    examples = _examples(project["data/nlu.yml"])
    status = examples["check_feedback_status"]
    assert any('{"entity": "tracking_code", "value": "PA-2026-000011"}' in l for l in status)  # unannotated in the data
    deadline = examples["ask_deadline"]
    assert any('[phong noi vu]{"entity": "agency", "value": "Phòng Nội vụ"}' in l for l in deadline)
    for lines in examples.values():
        for line in lines:
            for m in _ANNOTATION.finditer(line):
                assert m.group("text").strip() == m.group("text") and m.group("text")
    regexes = {i["regex"]: i["examples"] for i in project["data/nlu.yml"]["nlu"] if "regex" in i}
    pattern = next(p[2:] for p in regexes["tracking_code"].splitlines() if "a-z" in p)
    assert re.search(pattern, "tra cứu PA-2026-ABC234", re.IGNORECASE)
    assert "phone" in regexes
    assert any("synonym" in i for i in project["data/nlu.yml"]["nlu"])


def test_chat_style_spans_move_with_the_abbreviations():
    import random

    from nlu.augment import chat_style, unaccented
    from nlu.training_data import Example, parse_example

    text, entities = parse_example("kế hoạch của [Phòng Nội vụ](agency) có nhiệm vụ gì [tháng này](period) không")
    example = Example(text, "ask_deadline", entities)
    for seed in range(30):
        (_, _, _), (folded, _, _), (chat, spans, _) = rx._variants(example, random.Random(seed))
        assert chat == chat_style(text, random.Random(seed)) and folded == unaccented(text)
        assert {chat[s.start:s.end] for s in spans} == {"phong noi vu", "thang nay"}


def test_endpoints_and_credentials(project):
    assert project["endpoints.yml"]["action_endpoint"]["url"] == rx.DEFAULT_ACTION_URL
    assert "rest" in project["credentials.yml"]
    other = rx.build_endpoints(rx.ExportOptions(action_url="http://actions:5055/webhook"))
    assert other["action_endpoint"]["url"] == "http://actions:5055/webhook"


def test_cli_writes_the_project(tmp_path, capsys):
    from bot.cli import main

    assert main(["rasa", "export", str(tmp_path / "p"), "--epochs", "40", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"digest"' in out
    config = yaml.safe_load((tmp_path / "p" / "config.yml").read_text(encoding="utf-8"))
    assert next(c for c in config["pipeline"] if c["name"] == "DIETClassifier")["epochs"] == 40
