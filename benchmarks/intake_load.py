"""Load test of the intake server: valid pledges to /api/pledges, then count what was stored.

    python benchmarks/intake_load.py [--writer group|direct|both] [--requests 20000]
        [--seconds 30] [--clients 50]

Starts the real server (``python -m socialvalue.intake``, uvicorn, one process) on a free
loopback port with a temporary SQLite file and a rate limit too high to matter; runs the
clients in a SEPARATE process (asyncio, raw keep-alive HTTP/1.1 sockets: lighter than an HTTP
library, so the client steals less CPU from the server on a small machine); stops the server
and checks that every reference answered 201 is in the database. Prints a Markdown table row.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://127.0.0.1"
PLEDGE = {
    "measure": "pc-rehabilitation-employment",
    "quantity": "3",
    "supplier_name": "Benchmark Facilities Ltd",
    "contact_name": "Load Tester",
    "contact_email": "load.tester@bench.example",
    "contract_status": "contract",
    "contract_reference": "BENCH-001",
    "period_start": "2026-04-01",
    "period_end": "2027-03-31",
    "additionality": "Three paid jobs for people with convictions, beyond the contract.",
}
REFERENCE = re.compile(rb'"reference":"(SV-P-[A-Z0-9-]+)"')


# ---- the client process ----


async def worker(
    port: int,
    body: bytes,
    stop_at: float,
    budget: list[int],
    latencies: list[float],
    references: list[str],
    failures: list[str],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"POST /api/pledges HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Origin: {ORIGIN}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    try:
        while budget[0] > 0 and time.monotonic() < stop_at:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head)[1])
            answer = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if head.startswith(b"HTTP/1.1 201"):
                references.append(REFERENCE.search(answer)[1].decode())
            else:
                failures.append(head.split(b"\r\n")[0].decode())
    finally:
        writer.close()


async def clients(port: int, requests: int, seconds: float, count: int) -> dict:
    body = json.dumps(PLEDGE).encode()
    latencies: list[float] = []
    references: list[str] = []
    failures: list[str] = []
    budget = [requests]
    started = time.perf_counter()
    stop_at = time.monotonic() + seconds
    await asyncio.gather(
        *(
            worker(port, body, stop_at, budget, latencies, references, failures)
            for _ in range(count)
        )
    )
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "references": references,
        "failures": failures,
    }


def client_main(port: int, requests: int, seconds: float, count: int, out: Path) -> None:
    out.write_text(json.dumps(asyncio.run(clients(port, requests, seconds, count))))


# ---- the driver ----


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int, writer: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "SV_STAFF_TOKEN"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "socialvalue.intake",
            "--db",
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--site-url",
            f"{ORIGIN}:{port}/",
            "--rate-limit",
            "100000000",
            "--writer",
            writer,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{ORIGIN}:{port}/healthz", timeout=1):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start")


def run(writer: str, requests: int, seconds: float, count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        db, out, port = Path(folder) / "load.sqlite3", Path(folder) / "client.json", free_port()
        server = start_server(db, port, writer)
        try:
            before = psutil.Process(server.pid).cpu_times()
            client = [sys.executable, __file__, "--client", str(port), str(requests)]
            subprocess.run([*client, str(seconds), str(count), str(out)], check=True)
            after = psutil.Process(server.pid).cpu_times()
            cpu = (after.user + after.system) - (before.user + before.system)
        finally:
            server.terminate()
            server.wait(timeout=30)
        result = json.loads(out.read_text())
        with sqlite3.connect(db) as conn:
            stored = {r for (r,) in conn.execute("SELECT reference FROM submissions")}
    latencies = sorted(result["latencies"])
    accepted = result["references"]
    return {
        "writer": writer,
        "sent": len(latencies),
        "accepted": len(accepted),
        "failures": len(result["failures"]),
        "per_second": len(accepted) / result["elapsed"],
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "stored": len(stored),
        "lost": len(set(accepted) - stored),
        "cpu_us": cpu / max(1, len(latencies)) * 1e6,
    }


def main() -> int:
    if sys.argv[1:2] == ["--client"]:
        port, requests, seconds, count, out = sys.argv[2:7]
        client_main(int(port), int(requests), float(seconds), int(count), Path(out))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writer", choices=("group", "direct", "both"), default="both")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    writers = ("group", "direct") if args.writer == "both" else (args.writer,)
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    print(f"HTTP parser: {http}; {os.cpu_count()} CPUs; {args.clients} clients")
    print(
        "| writer | sent | accepted | other answers | accepted/s | p50 ms | p99 ms "
        "| rows stored | lost | server CPU µs/request |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lost = 0
    for writer in writers:
        r = run(writer, args.requests, args.seconds, args.clients)
        lost += r["lost"]
        print(
            f"| {r['writer']} | {r['sent']} | {r['accepted']} | {r['failures']} "
            f"| {r['per_second']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['stored']} | {r['lost']} | {r['cpu_us']:.0f} |",
            flush=True,
        )
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
