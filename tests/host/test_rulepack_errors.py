"""Rule packs: a wrong pack stops the run before any record is read, in one line.

The user's check: exit status 2, nothing on stdout, not one input record consumed, and a single
stderr line that names the file (and line), the rule id, the field or regex, and what was
expected -- enough to fix the pack without reading code.
"""

from __future__ import annotations

import io
import sys

import pytest

from classifier.cli.main import main

GOOD = """
[pack]
name = "reliability"
lang = "en"

[[rules]]
id = "sanctions.reliability"
action = "sanctions"
patterns = ['\\bembargoed\\s+the\\s+port\\b']
exclude = ['\\bfictional\\b']
"""


class UnreadableStdin:
    """stdin that fails the test if the CLI reads a single byte of it."""

    @property
    def buffer(self):
        raise AssertionError("a record was read before the rule packs were checked")


@pytest.fixture(autouse=True)
def only_sanctions(monkeypatch):
    monkeypatch.setenv("POLICY_CLASSIFIER_PLUGINS", "segment,sanctions")
    monkeypatch.setattr(sys, "stdin", UnreadableStdin())


def refused(capsys, *packs, jobs: int = 1) -> str:
    """Run classify on stdin with these packs; assert the clean refusal and return its line."""
    argv = ["classify", "-", "--no-entry-points", "--jobs", str(jobs)]
    for pack in packs:
        argv += ["--rules", str(pack)]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return err.strip()


def test_the_good_pack_is_accepted(write, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"The navy embargoed the port.")))
    assert main(["classify", "-", "--no-entry-points", "--rules", str(write("p.toml", GOOD))]) == 0
    assert '"sanctions"' in capsys.readouterr().out


def test_toml_syntax_error_names_file_and_line(write, capsys):
    pack = write("syntax.toml", GOOD.replace('action = "sanctions"', 'action = sanctions'))
    line = refused(capsys, pack)
    assert line.startswith(f"policy-classify: error: {pack}: invalid TOML:")
    assert "line 7" in line


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('action = "sanctions"\n', "", "rule 'sanctions.reliability': field 'action' must be a non-empty string"),
        ("patterns = [", "pattern = [",
         "rule 'sanctions.reliability': field 'patterns' must list at least one pattern"),
        ("patterns = ['\\bembargoed\\s+the\\s+port\\b']", "patterns = [7]",
         "rule 'sanctions.reliability': field 'patterns' must be a list of non-empty strings"),
        ('action = "sanctions"', 'action = "sanctions"\nweight = 0',
         "field 'weight' must be a number in (0, 1], got 0"),
        ('action = "sanctions"', 'action = "sanctions"\ncase_sensitive = "yes"',
         "field 'case_sensitive' must be true or false"),
        ('action = "sanctions"', 'action = "sanctions"\ncontext = 0',
         "field 'context' must be true, false or a number of sentences >= 1"),
        ('action = "sanctions"', 'action = "sanctions"\ncontext = "near"',
         "field 'context' must be true, false or a number of sentences >= 1"),
    ],
)
def test_schema_errors_name_file_rule_and_field(write, capsys, old, new, expected):
    pack = write("schema.toml", GOOD.replace(old, new))
    line = refused(capsys, pack)
    assert f"{pack}:6: " in line  # the line where the rule's id is written
    assert expected in line


def test_a_rule_without_a_valid_id_is_named_by_position(write, capsys):
    pack = write("noid.toml", GOOD.replace('id = "sanctions.reliability"', 'id = "Sanctions!"'))
    assert "rules entry 1: field 'id' must be dotted snake_case" in refused(capsys, pack)


@pytest.mark.parametrize("field, old", [("pattern 1", "\\bembargoed"), ("exclude pattern 1", "\\bfictional")])
def test_an_invalid_regex_names_file_rule_and_the_regex_error(write, capsys, field, old):
    pack = write("regex.toml", GOOD.replace(old, "(" + old))
    line = refused(capsys, pack)
    assert f"{pack}:6: rule 'sanctions.reliability': {field} is not a valid regex (" in line
    assert "missing )" in line  # the regex module's own words


def test_a_pattern_matching_the_empty_string_is_refused(write, capsys):
    pack = write("empty.toml", GOOD.replace("\\bembargoed\\s+the\\s+port\\b", "(embargo)?"))
    assert "pattern 1 can match the empty string (every sentence would be tagged)" in refused(capsys, pack)


def test_an_unknown_action_lists_the_known_ones(write, capsys):
    pack = write("action.toml", GOOD.replace('action = "sanctions"', 'action = "embargoes"'))
    line = refused(capsys, pack)
    assert f"{pack}:6: rule 'sanctions.reliability' has unknown action 'embargoes'" in line
    assert "registered action types: sanctions" in line


def test_a_duplicate_id_across_packs_names_both_files(write, capsys):
    first = write("first.toml", GOOD)
    second = write("second.toml", GOOD.replace('name = "reliability"', 'name = "copy"'))
    line = refused(capsys, first, second)
    assert f"{second}:6: rule 'sanctions.reliability' duplicates the id of a rule in {first}:6" in line


def test_a_rule_id_that_clashes_with_a_built_in_rule(write, capsys, engine):
    taken = next(rule for rule in engine.rules if rule.action == "sanctions")
    pack = write("clash.toml", GOOD.replace("sanctions.reliability", taken.id))
    assert f"rule '{taken.id}' duplicates the id of a rule in" in refused(capsys, pack)


def test_a_pack_that_is_not_utf8(tmp_path, capsys):
    pack = tmp_path / "latin1.toml"
    pack.write_bytes(GOOD.replace("reliability", "fiabilit\xe9").encode("latin-1"))
    assert f"{pack}: cannot read rule pack:" in refused(capsys, pack)


def test_a_missing_pack(tmp_path, capsys):
    assert "no such rule pack file or folder" in refused(capsys, tmp_path / "absent.toml")


def test_refused_with_two_workers_too(write, capsys):
    pack = write("jobs.toml", GOOD.replace("\\bembargoed", "(?P<open\\bembargoed"))
    assert "is not a valid regex" in refused(capsys, pack, jobs=2)
