"""Configuration errors carry their place as fields, and a pack's problems can be read all at once.

What a tool author checks: the file, line, rule and field of each problem without parsing the
message; every bad rule of a pack in one pass (what ``rules lint`` shows); the message itself
unchanged, since the CLI prints it; and the fields surviving a trip to a worker process.
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

from classifier.errors import ConfigError
from classifier.host.rulepack import load_pack, pack_problems

PACK = '''[pack]
name = "fields"
lang = "en"

[[rules]]
id = "fields.good"
action = "sanctions"
patterns = ['\\bembargo\\b']

[[rules]]
id = "fields.bad_action"
action = "Sanctions!"
patterns = ['\\bfreeze\\b']

[[rules]]
id = "fields.bad_pattern"
action = "sanctions"
patterns = ['\\bblacklist\\b', '(unclosed']

[[rules]]
id = "fields.bad_weight"
action = "sanctions"
weight = 3
patterns = ['\\bban\\b']
'''


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "fields.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def test_every_bad_rule_is_reported_with_its_place(pack: Path) -> None:
    report = pack_problems(pack)
    assert [rule.id for rule in report.rules] == ["fields.good"]
    assert not report.unreadable
    places = [(p.file, p.line, p.rule, p.field) for p in report.problems]
    assert places == [
        (str(pack), 11, "fields.bad_action", "action"),
        (str(pack), 16, "fields.bad_pattern", "patterns"),
        (str(pack), 21, "fields.bad_weight", "weight"),
    ]
    for problem in report.problems:
        assert str(problem) == f"{pack}:{problem.line}: {problem.problem}"
        assert problem.problem.startswith(f"rule '{problem.rule}': ")
    assert "pattern 2 is not a valid regex" in report.problems[1].problem


def test_the_engine_loader_stops_at_the_first_with_the_same_error(pack: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_pack(pack)
    first = pack_problems(pack).problems[0]
    assert (str(caught.value), caught.value.line, caught.value.field) == (str(first), first.line, first.field)


def test_an_unreadable_pack_is_one_problem_with_the_toml_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[pack]\nname = "x"\nlang = "en"\n\n[[rules]\nid = "x.y"\n', encoding="utf-8")
    report = pack_problems(path)
    assert report.unreadable and report.rules == ()
    (problem,) = report.problems
    assert (problem.file, problem.line, problem.rule) == (str(path), 5, None)
    assert problem.problem.startswith("invalid TOML")


def test_a_missing_pack_table_names_the_file_only(tmp_path: Path) -> None:
    path = tmp_path / "nopack.toml"
    path.write_text('[[rules]]\nid = "x.y"\n', encoding="utf-8")
    (problem,) = pack_problems(path).problems
    assert (problem.file, problem.line, problem.rule, problem.field) == (str(path), None, None, None)
    assert str(problem) == f"{path}: missing [pack] table with 'name' and 'lang'"


def test_fields_survive_pickle_and_copy(pack: Path) -> None:
    problem = pack_problems(pack).problems[0]
    for clone in (pickle.loads(pickle.dumps(problem)), copy.copy(problem)):
        assert type(clone) is ConfigError
        assert (str(clone), clone.file, clone.line, clone.rule, clone.field, clone.problem) == (
            str(problem), problem.file, problem.line, problem.rule, problem.field, problem.problem)


def test_a_plain_config_error_has_empty_fields() -> None:
    error = ConfigError("--jobs must be at least 1")
    assert (error.file, error.line, error.rule, error.field) == (None, None, None, None)
    assert error.problem == "--jobs must be at least 1"
