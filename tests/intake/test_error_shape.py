"""ONE error shape for every JSON error, whatever went wrong: pinned here."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from .support import TOKEN, valid_pledge

SHAPE_KEYS = {"ok", "errors"}
ERROR_KEYS = {"field", "message"}


def assert_error_shape(body: object) -> None:
    assert isinstance(body, dict) and set(body) == SHAPE_KEYS
    assert body["ok"] is False
    assert isinstance(body["errors"], list) and body["errors"]
    for error in body["errors"]:
        assert set(error) == ERROR_KEYS
        assert error["field"] is None or isinstance(error["field"], str)
        assert isinstance(error["message"], str) and error["message"]


def test_every_json_error_has_the_one_shape(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit=5)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    answers = {
        400: client.post(
            "/api/pledges", content=b"{", headers={"Content-Type": "application/json"}
        ),
        401: client.get("/api/staff/submissions"),
        403: client.post(
            "/api/pledges", json=valid_pledge(), headers={"Origin": "https://x.example"}
        ),
        404: client.get("/api/nothing-here"),
        405: client.get("/api/pledges"),
        409: None,
        413: client.post("/api/pledges", json={"x": "y" * 40_000}),
        415: client.post("/api/pledges", content=b"a=b", headers={"Content-Type": "text/plain"}),
        422: client.post("/api/pledges", json={}),
    }
    reference = make_client().post("/api/pledges", json=valid_pledge()).json()["reference"]
    answers[409] = client.get(f"/api/staff/submissions/{reference}/yaml", headers=auth)
    answers[429] = client.post("/api/pledges", json={})  # the 6th POST within the minute
    for status, response in answers.items():
        assert (status, response.status_code) == (status, status)
        assert response.headers["content-type"] == "application/json"
        assert_error_shape(response.json())
    assert answers[422].json()["errors"][0]["field"] == "measure"
    assert all(
        e["field"] is None for s in (400, 403, 413, 415, 429) for e in answers[s].json()["errors"]
    )
