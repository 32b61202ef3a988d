"""`policy-classify serve`: the real server on loopback, in a subprocess, spoken to over HTTP.

Three servers start (each in about a second): the main one (small limits, an extra rule pack),
one with a token from the environment and two workers, and one that is stopped with SIGTERM
while a batch is streaming.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from classifier.service.api import openapi  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "tests" / "data" / "dev.jsonl"
PACK = """
[pack]
name = "serve_test"
lang = "en"

[[rules]]
id = "serve_test.zorbify"
action = "sanctions"
patterns = ['\\bzorbif(?:y|ied|ies)\\b']
description = "An invented verb only this pack knows."
examples.match = ["Ottawa zorbified three shipping firms on Monday."]
examples.no_match = ["The weather was fine."]
"""
TOKEN = "test-token-\u00e9-not-secret"


class Server(NamedTuple):
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(tmp: Path, *args: str, env: dict[str, str] | None = None, ready_pids: int = 1) -> Server:
    """A server on a free loopback port, once /health answers (from ``ready_pids`` workers)."""
    port = _free_port()
    log = tmp / f"serve-{port}.log"
    with open(log, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "classifier", "serve", "--port", str(port), "--no-entry-points",
             "--no-access-log", *args],
            stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, **(env or {})})
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop(server)
    raise AssertionError(f"the server did not answer within 60 s:\n{log.read_text()}")


def stop(server: Server) -> int:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    return server.process.returncode


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve")
    (path / "pack.toml").write_text(PACK, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[Server]:
    running = start(folder, "--max-body-mb", "1", "--max-batch", "40", "--rules", str(folder / "pack.toml"))
    yield running
    stop(running)


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    with httpx.Client(base_url=server.url, timeout=30) as session:
        yield session


def error_of(response: Any) -> dict[str, str]:
    """The JSON error of a 4xx answer, checked for shape: a type and a one-line message."""
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert set(error) == {"type", "message"}
    assert error["message"] and "\n" not in error["message"]
    return error


def dev_records(count: int) -> list[dict[str, Any]]:
    with open(DEV, encoding="utf-8") as handle:
        return [json.loads(next(handle)) for _ in range(count)]


def test_health_names_the_engine(client, server):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["lang"] == "auto" and body["pid"] == server.process.pid
    assert {"sanctions", "tariffs", "military", "extradition", "rewards"} <= set(body["actions"])


def test_classify_answers_what_the_cli_writes(client, cli, folder):
    article = {"id": 7, "text": "Ottawa zorbified three shipping firms on Monday. "
                                "The U.S. imposed sanctions on 14 Iranian firms.",
               "date": "2026-11-03", "ignored": [1, 2]}
    response = client.post("/classify", json=article)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    path = folder / "one.jsonl"
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    done = cli("classify", path, "--date-field", "date", "--rules", folder / "pack.toml", "--no-entry-points")
    assert response.text == done.out  # byte for byte, the --rules pack included
    profile = response.json()
    assert profile["id"] == "7" and profile["date"] == "2026-11-03"
    assert any(t["rule"] == "serve_test.zorbify" for s in profile["sentences"] for t in s["tags"])


def test_classify_reads_a_pretty_printed_object(client):
    body = json.dumps({"id": "p", "text": "Mexico extradited 29 people to the United States."}, indent=2)
    response = client.post("/classify", content=body.encode())
    assert response.status_code == 200
    assert response.json()["dominant"] == "extradition"


def test_batch_streams_one_line_per_input_in_order(client, cli, folder):
    records = dev_records(30)
    lines = [json.dumps(r) for r in records]
    lines[3] = "{not json"
    lines[10] = "[1, 2]"
    lines[17] = json.dumps({"id": "no-text"})
    lines[21] = json.dumps({"id": "bad-text", "text": 5})
    body = "\n".join(lines[:12]) + "\n\n   \n" + "\n".join(lines[12:]) + "\n"  # blank lines: no records
    with client.stream("POST", "/classify/batch", content=body.encode()) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        assert response.headers.get("transfer-encoding") == "chunked"
        out = [json.loads(line) for line in response.iter_lines() if line]
    assert len(out) == 30
    path = folder / "batch.jsonl"
    path.write_text(body, encoding="utf-8")
    expected = cli("classify", path, "--rules", folder / "pack.toml", "--no-entry-points").records
    for got, want in zip(out, expected):
        if "error" in want:  # the CLI names its file; the service has none
            assert got["error"]["type"] == want["error"]["type"]
            assert got["error"]["line"] == want["error"]["line"]
            assert "source" not in got["error"]
        else:
            assert got == want
    assert [o["error"]["type"] for o in out if "error" in o] == [
        "JSONDecodeError", "InvalidRecord", "MissingText", "InvalidText"]
    assert [o.get("id") for o in out if "error" not in o] == [r["id"] for i, r in enumerate(records)
                                                              if i not in (3, 10, 17, 21)]


def test_an_empty_batch_is_an_empty_answer(client):
    response = client.post("/classify/batch", content=b"\n\n")
    assert response.status_code == 200 and response.text == ""


@pytest.mark.parametrize("body,status,kind", [
    (b"", 400, "EmptyBody"),
    (b"   \n ", 400, "EmptyBody"),
    (b'{"id": 1, "text": ', 400, "JSONDecodeError"),
    (b'{"text": "a"} {"text": "b"}', 400, "JSONDecodeError"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "JSONDecodeError"),
    (b'{"text": 1' + b"0" * 5000 + b"}", 400, "JSONDecodeError"),
    (b"\x00\xff\xfe binary", 400, "JSONDecodeError"),
    (b"[1, 2]", 422, "InvalidRecord"),
    (b"null", 422, "InvalidRecord"),
    (b'{"id": "x"}', 422, "MissingText"),
    (b'{"id": "x", "text": null}', 422, "MissingText"),
    (b'{"id": "x", "text": ["a"]}', 422, "InvalidText"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_articles_get_a_4xx_with_a_one_line_reason(client, body, status, kind):
    response = client.post("/classify", content=body)
    assert response.status_code == status
    assert error_of(response)["type"] == kind


def test_odd_but_valid_text_is_profiled_not_refused(client):
    invalid_utf8 = b'{"id": "u", "text": "Caf\xe9 owners were sanctioned."}'
    response = client.post("/classify", content=invalid_utf8)
    assert response.status_code == 200
    assert [e["type"] for e in response.json()["errors"]] == ["DecodeWarning"]
    surrogate = client.post("/classify", content=b'{"text": "\\ud800 sanctions"}')
    assert surrogate.status_code == 200 and surrogate.json()["id"] is None
    assert client.post("/classify", json={"text": ""}).json()["actions"] == {}
    nan = client.post("/classify", content=b'{"text": "Canada imposed tariffs.", "date": NaN}')
    assert nan.status_code == 200 and "date" not in nan.json()  # NaN is read as null


def test_too_large_bodies_and_batches_get_413(client):
    big = json.dumps({"text": "word " * 220_000}).encode()  # 1.1 MB, over --max-body-mb 1
    response = client.post("/classify", content=big)
    assert response.status_code == 413 and error_of(response)["type"] == "RequestTooLarge"

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(12):
            yield b"x" * 100_000

    assert client.post("/classify/batch", content=chunks()).status_code == 413
    batch = "".join(json.dumps({"id": i, "text": "hello"}) + "\n" for i in range(41)).encode()
    response = client.post("/classify/batch", content=batch)
    assert response.status_code == 413 and error_of(response)["type"] == "BatchTooLarge"
    assert "--max-batch" in error_of(response)["message"]
    assert client.post("/classify/batch", content=batch.split(b"\n", 1)[1]).status_code == 200


def test_unknown_paths_and_methods_get_json_errors(client):
    missing = client.get("/nope")
    assert missing.status_code == 404 and error_of(missing)["type"] == "NotFound"
    wrong = client.get("/classify")
    assert wrong.status_code == 405 and error_of(wrong)["type"] == "MethodNotAllowed"


def test_plugins_and_rules_list_what_the_options_loaded(client):
    plugins = {p["name"]: p for p in client.get("/plugins").json()}
    assert plugins["sanctions"]["actions"] == ["sanctions"] and plugins["sanctions"]["rules"] > 0
    assert plugins["user"] == {"name": "user", "version": None, "source": "--rules", "hooks": [],
                               "actions": [], "rules": 1}
    rules = {r["id"]: r for r in client.get("/rules").json()}
    assert rules["serve_test.zorbify"]["action"] == "sanctions"
    assert rules["serve_test.zorbify"]["anchors"]
    assert len(rules) == client.get("/health").json()["rules"]


def test_openapi_describes_exactly_the_routes(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.") and spec["paths"].keys() == {
        "/classify", "/classify/batch", "/health", "/plugins", "/rules", "/openapi.json"}
    assert "security" not in spec and spec == openapi(spec["info"]["version"], False)
    for path, methods in spec["paths"].items():
        for method in methods:
            probe = client.request(method.upper(), path, content=b'{"text": "x"}')
            assert probe.status_code == 200, (method, path)


def readme_curl_lines() -> list[tuple[str, int]]:
    """The curl lines of the README's serve sample, each with the status its comment names
    (200 when it names none)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `policy-classify serve`", 1)[1].split("\n### ", 1)[0]
    block = re.search(r"```bash\n(.*?)\n```", section, re.S)
    assert block, "README: no bash block in the serve section"
    found = []
    for line in block.group(1).splitlines():
        command, _, comment = line.partition("  #")
        if "curl " in command:
            status = re.match(r"\s*(\d{3})\b", comment)
            found.append((command.strip(), int(status.group(1)) if status else 200))
    return found


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_readme_curl_samples_work(server):
    lines = readme_curl_lines()
    assert {re.search(r"localhost:8000(/\S*)", c).group(1) for c, _ in lines} == {
        "/health", "/classify", "/classify/batch", "/plugins", "/rules", "/openapi.json"}
    for command, status in lines:
        shell = command.replace("localhost:8000", server.url.removeprefix("http://"))
        done = subprocess.run(["bash", "-c", shell + " -w '\\n%{http_code}'"], capture_output=True,
                              text=True, timeout=30)
        *body, code = done.stdout.splitlines()
        assert done.returncode == 0 and int(code) == status, (command, done.stdout, done.stderr)
        assert all(json.loads(line) is not None for line in body if line), command


@pytest.fixture(scope="module")
def guarded(folder: Path) -> Iterator[Server]:
    """A token from the environment, --lang and two worker processes (options must reach both)."""
    running = start(folder, "--workers", "2", "--lang", "en", env={"POLICY_CLASSIFIER_TOKEN": TOKEN})
    yield running
    assert stop(running) == 0


def test_a_token_is_required_when_set(guarded):
    bearer = {"Authorization": f"Bearer {TOKEN}".encode()}
    health = httpx.get(guarded.url + "/health")  # probes need no token
    assert health.status_code == 200 and health.json()["lang"] == "en"  # --lang reached the workers
    for path in ("/plugins", "/rules", "/openapi.json"):
        refused = httpx.get(guarded.url + path)
        assert refused.status_code == 401 and error_of(refused)["type"] == "Unauthorized"
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert httpx.get(guarded.url + path, headers={"Authorization": "Bearer nope"}).status_code == 401
        assert httpx.get(guarded.url + path, headers=bearer).status_code == 200
    assert httpx.post(guarded.url + "/classify", json={"text": "x"}).status_code == 401
    answered = httpx.post(guarded.url + "/classify", json={"text": "Canada imposed tariffs on steel."},
                          headers={"authorization": f"bearer {TOKEN}".encode()})
    assert answered.status_code == 200 and answered.json()["dominant"] == "tariffs"
    assert "security" in httpx.get(guarded.url + "/openapi.json", headers=bearer).json()


def test_workers_are_separate_processes(guarded):
    pids = set()
    deadline = time.monotonic() + 20
    while len(pids) < 2 and time.monotonic() < deadline:
        with httpx.Client() as fresh:  # a new connection each time: any worker may accept it
            pids.add(fresh.get(guarded.url + "/health").json()["pid"])
    assert len(pids) == 2 and guarded.process.pid not in pids


def test_sigterm_finishes_the_streaming_batch_then_exits_0(folder):
    running = start(folder)
    records = [{"id": r["id"], "text": " ".join([r["text"]] * 10)} for r in dev_records(120)]
    body = "".join(json.dumps(r) + "\n" for r in records).encode()
    lines: list[str] = []
    first = threading.Event()

    def read() -> None:
        with httpx.stream("POST", running.url + "/classify/batch", content=body, timeout=60) as response:
            for line in response.iter_lines():
                if line:
                    lines.append(line)
                    first.set()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert first.wait(30)
        running.process.send_signal(signal.SIGTERM)
        sent_before_the_signal = len(lines)
        reader.join(60)
        assert running.process.wait(30) == 0
    finally:
        stop(running)
    assert sent_before_the_signal < len(records)  # the signal came mid-stream
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in records]
    assert "Shutting down" in running.log.read_text()


def test_a_port_in_use_is_a_one_line_error_and_exit_2(server):
    port = server.url.rsplit(":", 1)[1]
    done = subprocess.run([sys.executable, "-m", "classifier", "serve", "--port", port,
                           "--no-entry-points"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"policy-classify: error: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_a_bad_rule_pack_stops_serve_before_it_binds(cli, tmp_path):
    missing = tmp_path / "missing.toml"
    code, out, err = cli("serve", "--rules", missing, "--no-entry-points")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "missing.toml" in err


def test_a_missing_extra_names_what_to_install(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    code, out, err = cli("serve", "--no-entry-points")
    assert code == 2 and err.strip().splitlines() == [
        'policy-classify: error: policy-classify serve needs starlette and uvicorn, which are not '
        'installed: pip install "policy-classifier[serve]"']
