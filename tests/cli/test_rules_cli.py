"""``policy-classify rules test`` and the ``classifier.testing`` helpers, as an author uses them.

Each pack here is a small user pack for the built-in ``sanctions`` action; the tests check what
an author reads: the exit code, the failing rule id and example, known gaps, and overlaps.
"""

from __future__ import annotations

import pytest

from classifier.authoring.ruletest import run_examples
from classifier.cli.main import main
from classifier.pipeline.engine import Engine
from classifier.testing import example_cases, parametrize_examples

GOOD = """
[pack]
name = "author_good"
lang = "en"

[[rules]]
id = "authortest.blacklist"
action = "sanctions"
patterns = ['\\bblacklist(?:ed|s|ing)?\\b']
exclude = ['\\b(?:song|playlist|radio)\\b']
examples.match = ["Ottawa blacklisted four trading houses on Tuesday."]
examples.no_match = ["The radio station blacklisted the song."]
examples.todo_match = ["The firms were put on a black list."]

[[rules]]
id = "authortest.todo_now_passes"
action = "sanctions"
patterns = ['\\bfroze\\s+(?:the\\s+)?assets\\b']
examples.match = ["Canberra froze the assets of two generals."]
examples.no_match = ["The lake froze early this winter."]
examples.todo_match = ["The treasury froze assets of a bank."]
"""

FAILING = """
[pack]
name = "author_bad"
lang = "en"

[[rules]]
id = "authortest.ok"
action = "sanctions"
patterns = ['\\bembargo\\s+on\\b']
examples.match = ["Lisbon lifted its embargo on the port."]
examples.no_match = ["The weather was mild."]

[[rules]]
id = "authortest.too_narrow"
action = "sanctions"
patterns = ['\\bembargo\\s+on\\s+arms\\b']
examples.match = ["The council voted for an arms embargo on the rebels."]
examples.no_match = ["Readers ignored the press embargo on the report."]

[[rules]]
id = "authortest.too_loose"
action = "sanctions"
patterns = ['\\bembargo\\w*']
examples.match = ["Lisbon lifted its embargo on the port."]
examples.no_match = ["The press release was embargoed until noon."]
"""

@pytest.fixture
def rules_cmd(capsys):
    def run(*args: object) -> tuple[int, str, str]:
        code = main(["rules", *[str(a) for a in args], "--no-entry-points"])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    (folder / "good.toml").write_text(GOOD, encoding="utf-8")
    (folder / "bad.toml").write_text(FAILING, encoding="utf-8")
    return folder


def test_a_passing_pack_exits_0_and_reports_gaps_and_overlaps(rules_cmd, packs):
    code, out, _ = rules_cmd("test", packs / "good.toml", "--verbose")
    assert code == 0
    assert "PASS  authortest.blacklist  (3 examples)" in out
    assert "known gap (todo_match): 'The firms were put on a black list.'" in out
    # a known gap that now behaves is reported (promote it), not failed
    assert "todo_match now passes, promote it: 'The treasury froze assets of a bank.'" in out
    assert "2 rules, 6 examples: 0 failing in 0 rules, 1 known gaps (todo), 1 todo now passing" in out
    # The built-in sanctions rules also catch a blacklisting: the author should see it.
    assert "Overlaps (match examples also hit by another rule of the same action):" in out
    assert "authortest.blacklist <- sanctions.blacklist" in out
    # only the given pack is tested
    assert "sanctions.impose" not in out.split("Overlaps")[0]


def test_failing_examples_exit_1_naming_each_rule_and_example(rules_cmd, packs):
    code, out, _ = rules_cmd("test", packs / "bad.toml")
    assert code == 1
    assert "PASS  authortest.ok" in out
    assert "FAIL  authortest.too_narrow" in out
    assert "match: 'The council voted for an arms embargo on the rebels.'" in out
    assert "rule 'authortest.too_narrow' should match but did not" in out
    assert "FAIL  authortest.too_loose" in out
    assert "no_match: 'The press release was embargoed until noon.'" in out
    assert "rule 'authortest.too_loose' should not match but did" in out
    assert out.rstrip().endswith("failing rules: authortest.too_narrow, authortest.too_loose")


def test_json_report_names_failures(packs):
    engine = Engine(rules=[packs], entry_points=False)
    report = run_examples(engine, [r for r in engine.rules if r.plugin == "user"]).to_dict()
    assert report["ok"] is False
    failing = {r["rule"]: r["failures"] for r in report["rules"] if not r["passed"]}
    assert sorted(failing) == ["authortest.too_loose", "authortest.too_narrow"]
    assert failing["authortest.too_narrow"][0]["kind"] == "match"
    assert failing["authortest.too_loose"][0]["kind"] == "no_match"

    # -- classifier.testing, as a plugin author calls it, on the same engine
    mark = parametrize_examples(engine, plugin="user")
    assert mark.args[0] == "case"
    assert [i for i in mark.kwargs["ids"] if i.startswith("authortest.blacklist::")] == [
        "authortest.blacklist::match::Ottawa blacklisted four trading houses on Tuesday.",
        "authortest.blacklist::no_match::The radio station blacklisted the song.",
        "authortest.blacklist::todo_match::The firms were put on a black list.",
    ]
    assert mark.args[1] == example_cases(engine, plugin="user")


def test_built_in_packs_are_tested_by_default(rules_cmd, engine):
    code, out, _ = rules_cmd("test")
    for rule in engine.rules:
        assert f"  {rule.id}  (" in out
    assert code == (1 if "FAIL  " in out else 0)
    assert f"{len(engine.rules)} rules, " in out


def test_a_missing_pack_is_a_usage_error(rules_cmd, tmp_path):
    code, out, err = rules_cmd("test", tmp_path / "nope.toml")
    assert code == 2
    assert "nope.toml: no such rule pack file or folder" in err
    assert "Traceback" not in err


def test_parametrize_examples_refuses_an_unknown_plugin(engine):
    with pytest.raises(ValueError, match="no rule examples found for plugin 'visa'"):
        parametrize_examples(engine, plugin="visa")
