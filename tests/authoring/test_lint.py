"""``policy-classify rules lint``: every problem of a set of bad packs reported at once, each on
one line naming its file and rule; errors exit 1, warnings alone exit 0.

That lint passes on the built-in packs (exit 0) is checked by tests/integration/test_readme.py, which runs
the README's `policy-classify rules lint` sample.
"""

from __future__ import annotations

import io
import textwrap
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from classifier.authoring.lint import ERROR, WARNING, collect_sources, lint, slow_patterns
from classifier.cli.main import main
from classifier.hookspecs import hookimpl
from classifier.model import Examples, Rule

PACK_HEAD = '[pack]\nname = "{name}"\nlang = "en"\n'

BAD_REGEX = PACK_HEAD.format(name="lint_bad_regex") + r"""
[[rules]]
id = "linttest.unbalanced"
action = "sanctions"
patterns = ['\bfroze\s+(assets']

[[rules]]
id = "linttest.bad_exclude"
action = "sanctions"
patterns = ['\bembargo\b']
exclude = ['[unclosed']

[[rules]]
id = "linttest.fine"
action = "sanctions"
patterns = ['\bblockade\b']
examples.match = ["The navy enforced a blockade of the port."]
examples.no_match = ["Fans formed a blockade of cheering outside the hall."]
"""

BAD_TOML = PACK_HEAD.format(name="lint_bad_toml") + """
[[rules]]
id = "linttest.broken"
patterns = ['unterminated
"""

CLASHES = PACK_HEAD.format(name="lint_clashes") + r"""
[[rules]]
id = "sanctions.impose"
action = "sanctions"
patterns = ['\bsanctions\b']
examples.match = ["New sanctions were announced."]
examples.no_match = ["Nothing happened."]

[[rules]]
id = "linttest.visa"
action = "visa_restrictions"
patterns = ['\bvisa\s+bans?\b']
examples.match = ["Visa bans on the judges took effect."]
examples.no_match = ["She got her visa."]
"""

WARNINGS = PACK_HEAD.format(name="lint_warnings") + r"""
[[rules]]
id = "linttest.no_examples"
action = "tariffs"
patterns = ['\bcountervailing\s+duties\b']

[[rules]]
id = "linttest.no_anchor"
action = "tariffs"
patterns = ['\b\w+ed\s+it\b']
examples.match = ["They taxed it."]
examples.no_match = ["Nothing here."]

[[rules]]
id = "linttest.catastrophic"
action = "tariffs"
patterns = ['\btariff\s(\w|\w\w)+\d']
examples.match = ["The tariff schedule 9 applies."]
examples.no_match = ["No duties were mentioned."]

[[rules]]
id = "linttest.narrow"
action = "tariffs"
weight = 0.8
patterns = ['\bquota\s+on\s+steel\b']
examples.match = ["The ministry set a quota on steel imports."]
examples.no_match = ["A quota on fishing boats was debated."]

[[rules]]
id = "linttest.broad"
action = "tariffs"
patterns = ['\bquota\s+on\b']
examples.match = ["A quota on rice was set.", "The quota on steel stays."]
examples.no_match = ["The quota was a joke."]

[[rules]]
id = "linttest.weak_anchors"
action = "tariffs"
patterns = ['\bquokka\s+tithes?\b']
anchors = ["the"]
examples.match = ["The quokka tithe applies to every crate."]
examples.no_match = ["The tithe barn is old."]
"""


def _lint(*args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["rules", "lint", *[str(a) for a in args], "--no-entry-points"])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> tuple[Path, int, str]:
    folder = tmp_path_factory.mktemp("lint")
    for name, text in (("bad_regex", BAD_REGEX), ("bad_toml", BAD_TOML), ("clashes", CLASHES),
                       ("warnings", WARNINGS)):
        (folder / f"{name}.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    code, out, _ = _lint(folder)
    return folder, code, out


def _line(out: str, *parts: str) -> str:
    found = [line for line in out.splitlines() if all(p in line for p in parts)]
    assert found, f"no line with {parts} in:\n{out}"
    return found[0]


def test_errors_exit_1(bad):
    _, code, out = bad
    assert code == 1
    assert out.rstrip().endswith("4 packs, 9 rules: 5 errors, 6 warnings")


def test_every_invalid_regex_is_reported_with_file_line_and_rule(bad):
    folder, _, out = bad
    line = _line(out, "linttest.unbalanced")
    assert line.startswith(f"{folder / 'bad_regex.toml'}:6: error: [invalid-rule] "
                           "rule 'linttest.unbalanced': pattern 1 is not a valid regex")
    assert "exclude pattern 1 is not a valid regex" in _line(out, "linttest.bad_exclude")
    assert "linttest.fine" not in out  # the good rule of the same pack loads and is clean


def test_invalid_toml_is_an_error_naming_the_file(bad):
    folder, _, out = bad
    assert _line(out, "bad_toml.toml").startswith(
        f"{folder / 'bad_toml.toml'}: error: [invalid-pack] invalid TOML")


def test_duplicate_ids_and_unknown_actions_are_errors(bad):
    _, _, out = bad
    dup = _line(out, "[duplicate-id]")
    assert "rule 'sanctions.impose'" in dup and "en/sanctions.toml" in dup
    unknown = _line(out, "[unknown-action]")
    assert "rule 'linttest.visa'" in unknown and "unknown action 'visa_restrictions'" in unknown


def test_rules_without_examples_warn(bad):
    _, _, out = bad
    assert "warning: [no-examples] rule 'linttest.no_examples': no match or no_match examples" in out


def test_patterns_without_a_prefilter_literal_warn(bad):
    _, _, out = bad
    line = _line(out, "[no-anchor]")
    assert "rule 'linttest.no_anchor': pattern 1 has no literal" in line
    assert "tried on every sentence" in line


def test_declared_anchors_commoner_than_the_patterns_own_warn(bad):
    # "the" lets nearly every sentence through; the pattern itself requires "quokka" (or
    # "tithe"): declared anchors replace the derived ones, so the author is told to drop them.
    line = _line(bad[2], "weak-anchors", "linttest.weak_anchors")
    assert "warning" in line and "drop `anchors" in line
    assert "linttest.broad" not in _line(bad[2], "weak-anchors")  # derived anchors: no warning


def test_catastrophic_patterns_warn(bad):
    _, _, out = bad
    line = _line(out, "linttest.catastrophic")
    assert "warning: [catastrophic-pattern] rule 'linttest.catastrophic': pattern 1 did not finish" in line


def test_a_rule_whose_examples_another_rule_covers_is_shadowed(bad):
    _, _, out = bad
    line = _line(out, "[shadowed]", "linttest.narrow")
    assert "rule 'linttest.narrow': shadowed by 'linttest.broad'" in line
    assert "rule 'linttest.broad': shadowed" not in out  # higher weight, and examples of its own


def test_a_missing_pack_is_a_usage_error(tmp_path):
    code, out, err = _lint(tmp_path / "missing.toml")
    assert code == 2
    assert "missing.toml: no such rule pack file or folder" in err


def test_a_plugin_that_raises_while_registering_is_an_error_not_a_crash():
    class Broken:
        name = "broken_plugin"

        @hookimpl
        def policy_classifier_register_rules(self, register):
            raise RuntimeError("pack folder not found")

    sources = collect_sources(plugins=[Broken()], entry_points=False,
                              env={"POLICY_CLASSIFIER_PLUGINS": "segment"})
    report = lint(sources)
    assert [f.level for f in report.findings] == [ERROR]
    assert "plugin 'broken_plugin', hook policy_classifier_register_rules: raised RuntimeError" \
        in str(report.findings[0])


def test_a_linear_pattern_is_not_reported_as_slow():
    rule = Rule(id="linttest.safe", action="tariffs", patterns=(r"\btariffs?\s+on\s+\w+",),
                anchors=("tariff",), examples=Examples(match=("x",), no_match=("y",)))
    assert slow_patterns(rule) == []
    nested = Rule(id="linttest.nested", action="tariffs", patterns=(r"(a+)+$",), anchors=())
    assert [f.level for f in slow_patterns(nested)] == [WARNING]


def test_rule_objects_from_a_plugin_are_linted_like_pack_rules():
    good = Rule(id="linttest.object", action="tariffs", patterns=(r"\bcustoms\s+surcharges?\b",),
                examples=Examples(match=("Ottawa added customs surcharges.",), no_match=("Rain.",)))
    broken = Rule(id="linttest.broken_object", action="tariffs", patterns=(r"(customs",))

    class Objects:
        name = "object_plugin"

        @hookimpl
        def policy_classifier_register_rules(self, register):
            register(good)
            register(broken)

    sources = collect_sources(plugins=[Objects()], entry_points=False,
                              env={"POLICY_CLASSIFIER_PLUGINS": "segment,tariffs"})
    report = lint(sources)
    invalid = [f for f in report.errors if "linttest.broken_object" in str(f)]
    assert len(invalid) == 1 and "not a valid regex" in str(invalid[0])
    assert not [f for f in report.errors if "linttest.object'" in str(f)]
