"""The runner's promise: one result per record, in input order, the same with any --jobs.

Why byte-identical output matters: users split a corpus across runs and machines and compare or
merge the results; DESIGN principle 4 says the same input gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.cli.main import main
from classifier.inputs.readers import ReadOptions, iter_records
from classifier.pipeline.engine import Engine
from classifier.pipeline.runner import CHUNK, resolve_jobs, run

DATA = Path(__file__).resolve().parents[1] / "data"


def _corpus(tmp_path: Path) -> Path:
    """Gold sentences as articles (more than a few chunks), with unreadable records among them."""
    sentences = [json.loads(line) for line in (DATA / "dev.jsonl").read_text("utf-8").splitlines()]
    lines = []
    for start in range(0, len(sentences), 3):
        text = " ".join(str(s["text"]) for s in sentences[start:start + 3])
        lines.append(json.dumps({"id": f"art-{start}", "text": text}, ensure_ascii=False))
        if start % 60 == 0:
            lines.append("{not json")
            lines.append(json.dumps({"id": f"missing-{start}"}))
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(lines) > 3 * CHUNK  # several chunks in flight at once
    return path


def test_resolve_jobs() -> None:
    assert resolve_jobs(0) >= 1
    assert resolve_jobs(-3) == 1
    assert resolve_jobs(2) == 2


def test_two_workers_give_the_same_results_in_the_same_order(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    kwargs = {"entry_points": False}
    engine = Engine(**kwargs)
    options = ReadOptions()
    one = [(r.line, res.to_dict()) for r, res in run(iter_records([str(corpus)], options), engine, 1)]
    two = [(r.line, res.to_dict())
           for r, res in run(iter_records([str(corpus)], options), engine, 2, kwargs)]
    assert two == one
    assert [line for line, _ in one] == sorted(line for line, _ in one)
    assert sum("error" in result for _, result in one) >= 4


def test_cli_jobs_output_is_byte_identical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.jsonl"
        code = main(["classify", str(corpus), "--no-entry-points", "--jobs", jobs, "-o", str(out)])
        assert code == 1  # some records fail, and say so
        outputs.append(out.read_bytes())
    capsys.readouterr()
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == len(corpus.read_text("utf-8").splitlines())


DYING_PLUGIN = '''
import os
from classifier.hookspecs import hookimpl


@hookimpl
def policy_classifier_refine_tags(sentence, tags):
    if "self-destruct" in sentence.text:
        os._exit(3)  # as if the kernel's OOM killer had taken the worker
    return None
'''


def test_a_worker_that_dies_stops_the_run_with_one_clear_error(tmp_path: Path) -> None:
    from classifier.pipeline.runner import WorkerDied

    plugin = tmp_path / "dying.py"
    plugin.write_text(DYING_PLUGIN, encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": str(i), "text": "Washington imposed sanctions on Cuba."}) for i in range(80)]
    lines[50] = json.dumps({"id": "50", "text": "Washington imposed sanctions on self-destruct."})
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kwargs = {"entry_points": False, "plugin_paths": [str(plugin)]}
    with pytest.raises(WorkerDied, match=r"worker process stopped unexpectedly .*--jobs 1"):
        for _ in run(iter_records([str(corpus)], ReadOptions()), Engine(**kwargs), 2, kwargs):
            pass  # without the check this waited forever for the dead worker's chunk
