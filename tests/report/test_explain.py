"""``policy-classify explain``: every tag with its rule, highlighted span, modality and cue,
actor and target, figures, and (``--verbose``) the candidate rules that did not match."""

from __future__ import annotations

from classifier.cli.main import main
from classifier.model import Rule
from classifier.pipeline.engine import Engine
from classifier.report.explain import BOLD, RESET, explain_text

TEXT = ("The U.S. threatened to impose sanctions on 14 Iranian firms. "
        "Washington offered a $5 million reward for the smuggler.")


def test_plain_output_brackets_each_tagged_span_and_explains_it(engine):
    out = explain_text(engine, TEXT)
    assert "\033[" not in out
    assert "sanctions]] on 14 Iranian firms." in out
    assert "[[offered a $5 million reward for]]" in out
    assert "modality: threatened (cue: 'threatened')" in out
    assert "actor: United States  ->  target: 14 Iranian firms" in out  # the target as written
    assert "amounts: $5 million = 5000000 USD" in out
    assert "rule=rewards." in out and "plugin=rewards" in out
    assert "why: " in out  # the rule's own description
    assert "candidates that did not match" not in out


def test_colour_output_uses_ansi_instead_of_brackets(engine):
    out = explain_text(engine, TEXT, color=True)
    assert "[[" not in out
    assert f"{BOLD}offered a $5 million reward for{RESET}" in out


def test_verbose_lists_candidate_rules_that_did_not_match():
    # The prefilter picks the rule (its literals 'naval' and 'blockade' are both there); the
    # regex then asks for them side by side.
    rule = Rule(id="explaintest.naval_blockade", action="sanctions",
                patterns=(r"\bnaval\s+blockade\b",), anchors=("blockade",))
    engine = Engine(rules=[rule], entry_points=False, env={"POLICY_CLASSIFIER_PLUGINS": "segment,sanctions"})
    text = "The naval museum opened a blockade exhibit."
    assert "candidates" not in explain_text(engine, text)
    out = explain_text(engine, text, verbose=True)
    assert "actions=none" in out
    line = next(each for each in out.splitlines() if "candidates that did not match:" in each)
    assert "explaintest.naval_blockade" in line.split(":", 1)[1].split(", ")  # beside built-in ones


def test_cli_explain_reads_a_file_and_is_plain_when_piped(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert main(["explain", str(article), "--no-entry-points", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("lang=en  dominant=")
    assert "[[" in out and "\033[" not in out
