"""The progress bar: on stderr only, off unless stderr is a terminal or --progress asks."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from classifier.cli.main import main
from classifier.cli.progress import Progress, input_size, wants_progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_auto_means_only_on_a_terminal() -> None:
    assert wants_progress(None, FakeTerminal()) is True
    assert wants_progress(None, io.StringIO()) is False
    assert wants_progress(True, io.StringIO()) is True
    assert wants_progress(False, FakeTerminal()) is False


def test_bar_shows_records_rate_and_eta_when_the_size_is_known() -> None:
    clock, out = Clock(), FakeTerminal()
    bar = Progress(out, True, total_bytes=4_000_000, clock=clock)
    for _ in range(10):
        clock.now += 0.1
        bar.update("x" * 100_000)  # 1 MB in 1 s
    line = bar.line(clock.now)
    assert "10 records" in line and "1.0 MB" in line and "1.00 MB/s" in line
    assert "25%" in line and "ETA 0:00:03" in line
    bar.close()
    assert out.getvalue().startswith("\r") and out.getvalue().endswith("\n")


def test_no_eta_without_a_size_and_nothing_when_disabled() -> None:
    clock = Clock()
    bar = Progress(FakeTerminal(), True, total_bytes=None, clock=clock)
    clock.now += 1
    bar.update("abc")
    assert "ETA" not in bar.line(clock.now) and "%" not in bar.line(clock.now)
    quiet = io.StringIO()
    off = Progress(quiet, False, total_bytes=10, clock=clock)
    off.update("abc")
    off.close()
    assert quiet.getvalue() == ""


def test_input_size_sums_files_and_walks_folders(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text("12345", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("123", encoding="utf-8")
    assert input_size([str(tmp_path)]) == 8
    assert input_size([str(tmp_path / "a.jsonl")]) == 5


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    lines = [{"id": f"r{i}", "text": "The EU imposed sanctions on Iran. Rain in Lima."} for i in range(5)]
    lines.append({"id": "bad"})  # an error message must not glue onto the bar
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return path


def test_cli_progress_goes_to_stderr_never_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path)
    main(["classify", str(corpus), "--no-entry-points", "--no-progress"])
    plain = capsys.readouterr()
    main(["classify", str(corpus), "--no-entry-points", "--progress"])
    shown = capsys.readouterr()
    assert shown.out == plain.out  # stdout is byte-identical with or without the bar
    assert all(json.loads(line) for line in shown.out.splitlines())
    assert "MB/s" not in plain.err
    assert "6 records" in shown.err and "MB/s" in shown.err and "100%" in shown.err
    assert "\npolicy-classify: " in shown.err or shown.err.startswith("policy-classify: ")


def test_cli_progress_is_off_by_default_when_stderr_is_not_a_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not sys.stderr.isatty()  # pytest captures it
    main(["classify", str(_corpus(tmp_path)), "--no-entry-points"])
    assert "MB/s" not in capsys.readouterr().err
