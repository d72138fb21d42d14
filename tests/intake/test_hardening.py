"""What the real server refuses, with no proxy in front: hostile Origins, huge or half-sent
requests, too many connections. Each test runs uvicorn in its own process on a free port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .support import SITE, Server, start_server, valid_pledge
from .test_app import FORM_PLEDGE
from .test_error_shape import assert_error_shape
from .test_server import stored_references

pytestmark = pytest.mark.slow
TIMEOUT = 1.0  # the --request-timeout the limited server runs with
PATIENCE = 10.0  # how long a test waits for the server to act before calling it a failure


@pytest.fixture
def limited(tmp_path: Path, register_dir: Path) -> Iterator[Server]:
    running = start_server(
        tmp_path / "limited.sqlite3",
        register_dir,
        tmp_path / "limited.log",
        "--request-timeout",
        str(TIMEOUT),
    )
    yield running
    running.stop()


def connect(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=PATIENCE)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends before it closes; socket.timeout if it never closes."""
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk


@pytest.mark.parametrize("origin", ["http://127.0.0.1:abc", "http://x:99999", "http://[::1"])
def test_an_origin_that_cannot_be_read_is_refused_403_without_a_traceback(
    server: Server, origin: str
) -> None:
    headers = {"Origin": origin}
    api = httpx.post(server.url + "/api/pledges", json=valid_pledge(), headers=headers)
    form = httpx.post(server.url + "/forms/pledge", data=FORM_PLEDGE, headers=headers)
    assert (api.status_code, form.status_code) == (403, 403)
    assert api.headers["content-type"] == "application/json"
    assert_error_shape(api.json())
    server.stop()
    assert "Traceback" not in server.log() and " 500 " not in server.log()
    assert stored_references(server.db_path) == set()


def test_an_origin_equal_to_host_counts_for_nothing(server: Server) -> None:
    """Only the configured origins count: Host is written by the client, like Origin."""
    other_name = server.url.replace("127.0.0.1", "localhost")  # the same server, not allowed
    own = httpx.post(
        server.url + "/api/pledges",
        json=valid_pledge(),
        headers={"Origin": other_name, "Host": other_name.removeprefix("http://")},
    )
    forged = httpx.post(
        server.url + "/api/pledges",
        json=valid_pledge(),
        headers={"Origin": "https://evil.example", "Host": "evil.example"},
    )
    assert (own.status_code, forged.status_code) == (403, 403)
    assert_error_shape(forged.json())
    allowed = httpx.post(server.url + "/api/pledges", json=valid_pledge(), headers={"Origin": SITE})
    assert allowed.status_code == 201
    assert stored_references(server.db_path) == {allowed.json()["reference"]}


def test_a_one_megabyte_header_is_refused_before_it_is_read(limited: Server) -> None:
    with connect(limited) as sock:
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed while we were still sending: refused
        answer = read_until_closed(sock)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 431 ")
    if answer:
        assert_error_shape(httpx.Response(431, content=answer.split(b"\r\n\r\n", 1)[1]).json())


def test_headers_under_the_cap_are_served(limited: Server) -> None:
    big = {"X-Fill": "a" * 8000}
    assert httpx.get(limited.url + "/healthz", headers=big).status_code == 200


@pytest.mark.parametrize(
    "start",
    [
        b"",  # connects, sends nothing
        b"POST /api/pl",  # half a request line
        b"POST /api/pledges HTTP/1.1\r\nHost: x\r\nOrigin: " + SITE.encode(),  # half the headers
        b"POST /api/pledges HTTP/1.1\r\nHost: x\r\nOrigin: " + SITE.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",  # part of a body
    ],
    ids=["nothing", "request-line", "headers", "body"],
)
def test_a_request_that_never_finishes_is_cut_off(limited: Server, start: bytes) -> None:
    with connect(limited) as sock:
        sock.sendall(start)
        answer = read_until_closed(sock)  # socket.timeout (a failure) if never closed
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 ")
    assert httpx.get(limited.url + "/healthz").status_code == 200  # the server is still fine


def test_blank_lines_between_requests_do_not_keep_a_connection_open(limited: Server) -> None:
    with connect(limited) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        sock.settimeout(TIMEOUT / 5)
        for _ in range(int(PATIENCE * 5 / TIMEOUT)):  # a blank line every TIMEOUT / 5 seconds
            try:
                sock.sendall(b"\r\n")
                if sock.recv(65536) == b"":
                    return  # closed
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                return
    pytest.fail(f"still open after {PATIENCE} s of blank lines")


def test_a_keep_alive_connection_serves_several_requests(limited: Server) -> None:
    with httpx.Client(base_url=limited.url, headers={"Origin": SITE}) as client:
        statuses = [client.post("/api/pledges", json=valid_pledge()).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]


def test_connections_beyond_the_limit_get_503(tmp_path: Path, register_dir: Path) -> None:
    server = start_server(
        tmp_path / "db.sqlite3", register_dir, tmp_path / "log", "--max-connections", "3"
    )
    try:
        held = [connect(server) for _ in range(3)]
        with connect(server) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answer = read_until_closed(sock)
        for sock in held:
            sock.close()
        assert answer.startswith(b"HTTP/1.1 503 ")
    finally:
        server.stop()
