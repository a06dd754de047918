"""No input produces a 5xx (issue 14): property-based tests, bounded and reproducible.

Schemathesis generates requests from the OpenAPI document for every documented operation (chat,
pushed updates, the officials' feedback and handoff APIs with and without a token, Open311);
Hypothesis sends what the document does not describe: arbitrary bytes and unicode (NUL, lone
surrogates, control characters, huge numbers) to the chat API, the Open311 POST and a channel
webhook. Examples are derandomized so CI is reproducible; the budget keeps the file near a minute.
"""
import json

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import RELAY

OFFICIAL = {"Authorization": "Bearer fuzz-official"}
BUDGET = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory, nlu, embedder):
    """One app per database (with the sample knowledge base) for the whole module: examples are
    many. PostgreSQL refuses NUL bytes that SQLite stores, so both are fuzzed."""
    from tests.conftest import SAMPLE, make_pg_schema, temporary_home

    url, drop = make_pg_schema(request.getfixturevalue("pg_server")) if request.param == "postgresql" else (None, None)
    env = {"CIVIC_SERVER__API_TOKENS": json.dumps({"fuzz-official": "can-bo-a"}),
           "CIVIC_FEEDBACK__OPEN311_API_KEYS": json.dumps(["fuzz-key"]), "TELEGRAM_BOT_TOKEN": None}
    with temporary_home(tmp_path_factory.mktemp("fuzz-home"), url, **env):
        from bot.server import create_app
        from dialogue.engine import Engine
        from knowledge.service import default_knowledge_base

        kb = default_knowledge_base()
        kb._embedder = embedder
        kb.ingest([SAMPLE])
        application = create_app(engine=Engine(nlu=nlu))
        with TestClient(application) as client:  # runs the lifespan: the engine is in app.state
            application.state.client = client
            yield application
    if drop is not None:
        drop()


def test_documented_operations_never_answer_5xx(app):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @BUDGET
        def check(case):
            for headers in ({}, OFFICIAL, RELAY):
                response = case.call(headers=headers)
                assert response.status_code < 500, (case.method, case.path, case.path_parameters, case.query, case.body,
                                                     response.text[:300])

        check()


NASTY = st.text(st.characters(codec=None, categories=None), max_size=300) | st.sampled_from(
    ["\x00", "\ud800", "a\udfffb", "\x1b[31m", "1e999", "NaN", "-Infinity", "/" + "a" * 65, "/give_rating{\"x\": [1, {\"y\": null}]}",
     "PA-2026-" + "\x00" * 6, "%00", "😡" * 100, "ko" * 2000])
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | NASTY,
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NASTY, inner, max_size=4), max_leaves=12)


@given(body=st.binary(max_size=2000) | JSONISH.map(lambda v: json.dumps(v).encode()))
@BUDGET
def test_chat_api_takes_any_bytes(app, body):
    response = app.state.client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500, (body[:200], response.text[:300])


@given(text=NASTY, payload=st.none() | NASTY, user=st.none() | NASTY)
@BUDGET
def test_chat_api_takes_any_text(app, text, payload, user):
    body = json.dumps({"text": text, "payload": payload, "user_id": user})  # json.dumps escapes surrogates as \\udxxx
    response = app.state.client.post("/api/chat", content=body, headers={"content-type": "application/json", **RELAY})
    assert response.status_code < 500, (body[:200], response.text[:300])


@given(fields=st.dictionaries(st.sampled_from(["service_code", "description", "first_name", "last_name", "phone", "lat", "long",
                                               "address_string", "media_url", "api_key", "attribute[reporter_address]"]),
                              NASTY, max_size=11),
       as_json=st.booleans())
@BUDGET
def test_open311_post_takes_any_fields(app, fields, as_json):
    fields = {**fields, "api_key": "fuzz-key"} if "api_key" not in fields else fields
    client = app.state.client
    if as_json:
        response = client.post("/open311/v2/requests.json", content=json.dumps(fields), headers={"content-type": "application/json"})
    else:
        safe = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in fields.items()}
        response = client.post("/open311/v2/requests.json", data=safe)
    assert response.status_code < 500, (fields, response.text[:300])
    assert client.get("/open311/v2/requests.json").status_code == 200
    assert client.get("/api/feedback", headers=OFFICIAL).status_code == 200
