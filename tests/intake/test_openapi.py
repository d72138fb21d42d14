"""The OpenAPI document says what the API does: each documented answer is produced for real."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from socialvalue.intake.config import REPO_ROOT
from socialvalue.intake.schemas import KINDS, load_specs

from .support import (
    valid_charter,
    valid_confirmation,
    valid_pledge,
    valid_request,
    valid_update,
)

VALID = {
    "/api/pledges": valid_pledge,
    "/api/charter-signatures": valid_charter,
    "/api/register-requests": valid_request,
    "/api/progress-updates": valid_update,
    "/api/delivery-confirmations": valid_confirmation,
}
KIND_OF = {kind.api_path: kind.slug for kind in KINDS}
SPECS = load_specs(REPO_ROOT / "register" / "schemas" / "intake")


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A response schema with its $refs to components made resolvable."""
    return {**schema, "components": document["components"]}


def check(document: dict[str, Any], path: str, response: Any) -> None:
    operation = document["paths"][path]["post"]
    documented = operation["responses"][str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), resolve(document, schema))
    for header in documented.get("headers", {}):
        assert header.lower() in response.headers


def test_it_documents_exactly_the_public_json_api(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert sorted(document["paths"]) == sorted(["/healthz", *VALID])
    for kind in KINDS:
        body = document["paths"][kind.api_path]["post"]["requestBody"]
        schema = body["content"]["application/json"]["schema"]
        assert sorted(schema["properties"]) == sorted(
            [rule.name for rule in SPECS[kind.slug].fields] + ["comments"]
        )


@pytest.mark.parametrize("path", list(VALID))
def test_every_documented_status_is_what_the_api_really_answers(
    make_client: Callable[..., TestClient], document: dict[str, Any], path: str
) -> None:
    client = make_client(rate_limit=7)
    produced = {
        201: client.post(path, json=VALID[path]()),
        400: client.post(path, content=b"[]", headers={"Content-Type": "application/json"}),
        403: client.post(path, json=VALID[path](), headers={"Origin": "https://x.example"}),
        413: client.post(path, json={"a": "b" * 40_000}),
        415: client.post(path, content=b"{}", headers={"Content-Type": "text/plain"}),
        422: client.post(path, json={}),
    }
    while (limited := client.post(path, json={})).status_code != 429:
        pass
    produced[429] = limited
    documented = set(document["paths"][path]["post"]["responses"])
    assert documented - {str(s) for s in produced} == {"503"}  # needs a broken disk
    for status, response in produced.items():
        assert response.status_code == status
        check(document, path, response)


@pytest.mark.parametrize("path", list(VALID))
def test_the_documented_request_schema_agrees_with_the_rules(
    client: TestClient, document: dict[str, Any], path: str
) -> None:
    schema = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    valid = VALID[path]()
    jsonschema.validate(valid, schema)
    for name in schema["required"]:
        answers = {k: v for k, v in valid.items() if k != name}
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(answers, schema)
        errors = client.post(path, json=answers).json()["errors"]
        assert [e["field"] for e in errors] == [name]
    for name, prop in schema["properties"].items():
        rule = next((r for r in SPECS[KIND_OF[path]].fields if r.name == name), None)
        if rule and rule.required_when:  # documented as ignored unless its condition holds
            valid = {**VALID[path](), rule.required_when[0]: rule.required_when[1]}
        else:
            valid = VALID[path]()
        if "maxLength" in prop:
            answers = {**valid, name: "a" * (prop["maxLength"] + 1)}
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(answers, schema)
            assert name in [e["field"] for e in client.post(path, json=answers).json()["errors"]]
        if prop.get("type") == "string" and "enum" in prop:
            answers = {**valid, name: "not-one-of-them"}
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(answers, schema)
            errors = client.post(path, json=answers).json()["errors"]
            assert name in [e["field"] for e in errors]


def test_the_health_check_is_as_documented(client: TestClient, document: dict[str, Any]) -> None:
    response = client.get("/healthz")
    schema = document["paths"]["/healthz"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    jsonschema.validate(response.json(), resolve(document, schema))
