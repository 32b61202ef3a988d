"""Load `policy-classify serve` on loopback: requests/s, p50/p99 latency at 1, 8 and 32 clients,
and whether every request got its correct answer.

    python benchmarks/bench_serve.py                       # 10 s per level, 1 worker
    python benchmarks/bench_serve.py --seconds 60 --clients 32 --workers 2

Why these choices:
- The server is started here, as a subprocess on 127.0.0.1 and a free port, and stopped (SIGTERM)
  at the end: the script only ever talks to a server it started, on loopback.
- Bounded: each level stops after ``--seconds`` (at most 600) or ``--max-requests`` requests,
  whichever comes first; the whole run has a hard deadline, then the server is stopped.
- "Correct" means byte-identical to what an Engine built here with the same options returns
  for the same article (``jsonl_line`` of its profile): answers computed before the clock
  starts, so checking costs the clients nothing but a string comparison.
- Clients are asyncio tasks in this process, each on its own keep-alive connection, speaking
  HTTP/1.1 by hand (:class:`Connection`: a light client, so its CPU is not measured as server
  latency); the server gets its own process(es). On a small machine the client still competes
  with the server for cores, which the printed CPU count makes visible.
- Articles are the benchmark corpus (``corpus.py``, ~5% policy sentences, 15-40 sentences each),
  sent round-robin from a pool, so requests are realistic news articles, not one cached text.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

HOST = "127.0.0.1"  # loopback only, by design: there is no option to change it
MAX_SECONDS = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def load_articles(count: int) -> list[dict[str, Any]]:
    path = corpus.ensure(1)
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, count)]


def expected_answers(articles: list[dict[str, Any]]) -> tuple[list[bytes], float]:
    """What the server must answer for each article (the same engine options, here), and the
    engine's own rate in this process (articles/s, warm, one core): the ceiling one worker
    could reach with no HTTP at all."""
    from classifier.inputs.readers import InputRecord
    from classifier.pipeline.engine import Engine
    from classifier.pipeline.runner import classify_record
    from classifier.report.writer import jsonl_line

    engine = Engine(entry_points=False)
    answers = [jsonl_line(classify_record(engine, InputRecord(a["id"], a["text"], "<stdin>", 1))).encode()
               for a in articles]
    began = time.perf_counter()
    for article in articles:
        engine.classify(article["text"], id=article["id"])
    return answers, len(articles) / (time.perf_counter() - began)


def start_server(port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "POLICY_CLASSIFIER_CACHE": str(HERE / "out" / "pattern-facts")}
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "classifier", "serve", "--host", HOST, "--port", str(port),
             "--workers", str(workers), "--no-entry-points", "--no-access-log"],
            stdout=subprocess.DEVNULL, stderr=err, env=env)
    return process


class Connection:
    """One keep-alive HTTP/1.1 connection, spoken by hand. Why not httpx: on a 2-core machine the
    load generator shares the CPU with the server, and httpx spent 4-8 ms of client time per
    request here (``GET /health``: 0.65 ms with ``http.client``), which would be measured as
    server latency. A request is one write; the answer is read by its Content-Length."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(HOST, self.port)
        reader, writer = self.streams
        try:
            writer.write(f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json"
                         f"\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            headers = head.lower()
            start = headers.index(b"content-length:") + 15
            data = await reader.readexactly(int(headers[start:headers.index(b"\r\n", start)]))
            if b"connection: close" in headers:
                self.close()
            return status, data
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.close()
            raise

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def wait_ready(port: int, process: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 120
    pids: set[int] = set()
    while time.monotonic() < deadline and len(pids) < workers:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        connection = Connection(port)  # a fresh connection: any worker may take it
        try:
            status, data = await connection.request("GET", "/health")
            if status == 200:
                pids.add(json.loads(data)["pid"])
        except (OSError, ValueError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.2)
        finally:
            connection.close()
    if len(pids) < workers:
        raise SystemExit("the server did not become ready within 120 s")


async def level(port: int, clients: int, seconds: float, max_requests: int,
                bodies: list[bytes], answers: list[bytes]) -> dict[str, Any]:
    """``clients`` concurrent clients, each on its own connection, for ``seconds`` (or
    ``max_requests`` in all)."""
    latencies: list[float] = []
    counts = {"correct": 0, "wrong": 0, "failed": 0}
    tickets = itertools.count()
    stop_at = time.monotonic() + seconds

    async def client() -> None:
        connection = Connection(port)
        try:
            while time.monotonic() < stop_at:
                ticket = next(tickets)
                if ticket >= max_requests:
                    return
                index = ticket % len(bodies)
                began = time.perf_counter()
                try:
                    status, data = await connection.request("POST", "/classify", bodies[index])
                except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    counts["failed"] += 1
                    continue
                latencies.append(time.perf_counter() - began)
                ok = status == 200 and data == answers[index]
                counts["correct" if ok else "wrong"] += 1
                if not ok and counts["wrong"] <= 3:  # kept for a look: what differed
                    with open(HERE / "out" / "bench_serve_wrong.jsonl", "a", encoding="utf-8") as out:
                        out.write(json.dumps({"status": status, "got": data.decode("utf-8", "replace"),
                                              "expected": answers[index].decode()}) + "\n")
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    total = sum(counts.values())
    ordered = sorted(latencies) or [float("nan")]
    return {
        "clients": clients, "seconds": round(elapsed, 2), "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        **counts, "correct_share": round(counts["correct"] / total, 5) if total else 0.0,
    }


def stop_server(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    articles = load_articles(args.articles)
    answers, alone = expected_answers(articles)
    print(f"# the engine alone in this process: {alone:,.0f} articles/s (one core, no HTTP)", flush=True)
    bodies = [json.dumps({"id": a["id"], "text": a["text"]}).encode() for a in articles]
    port = free_port()
    log = HERE / "out" / "bench_serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    process = start_server(port, args.workers, log)
    results = []
    try:
        await wait_ready(port, process, args.workers)
        deadline = len(args.clients) * (args.seconds + 60) + 60
        for clients in args.clients:
            result = await asyncio.wait_for(
                level(port, clients, args.seconds, args.max_requests, bodies, answers), deadline)
            results.append(result)
            print(json.dumps(result), flush=True)
    finally:
        code = stop_server(process)
        print(f"server stopped (exit {code}); its log: {log}", file=sys.stderr)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32],
                        help="concurrent clients, one level each (default 1 8 32)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help=f"per level (default 10, at most {MAX_SECONDS})")
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="per level: stop earlier after this many requests")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    parser.add_argument("--articles", type=int, default=200,
                        help="distinct articles sent round-robin (default 200)")
    args = parser.parse_args()
    args.seconds = max(0.1, min(args.seconds, MAX_SECONDS))
    print(f"# {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, server workers {args.workers}, "
          f"{args.articles} articles of the benchmark corpus, {args.seconds:g} s per level",
          flush=True)
    results = asyncio.run(main_async(args))
    print("\n| clients | requests | req/s | p50 ms | p99 ms | correct |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['clients']} | {r['requests']:,} | {r['requests_per_s']:,} | {r['p50_ms']} "
              f"| {r['p99_ms']} | {r['correct']:,} / {r['requests']:,} ({100 * r['correct_share']:.2f}%) |")
    return 0 if all(r["correct_share"] >= 0.999 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
