"""A broken rule pack is refused at load time, naming the file, the line, the rule and the field."""

from __future__ import annotations

import pytest

from classifier import ConfigError, Engine

ONLY_DEFAULT_ACTIONS = {"POLICY_CLASSIFIER_PLUGINS": "segment,sanctions"}

GOOD_RULE = """
[pack]
name = "mine"
lang = "en"

[[rules]]
id = "sanctions.mine"
action = "sanctions"
patterns = ['\\bblacklisted\\b']
examples.match = ["The firm was blacklisted by Ottawa."]
examples.no_match = ["The firm was praised."]
"""


def load(*paths):
    return Engine(rules=[str(p) for p in paths], entry_points=False, env=ONLY_DEFAULT_ACTIONS)


def test_a_good_pack_loads(write):
    engine = load(write("good.toml", GOOD_RULE))
    rule = next(r for r in engine.rules if r.id == "sanctions.mine")
    assert rule.plugin == "user" and rule.pack == "mine" and rule.lang == "en"
    assert rule.source.endswith("good.toml:6")


def test_toml_syntax_error_names_file_and_line(write):
    path = write("broken.toml", GOOD_RULE.replace('action = "sanctions"', 'action = "sanctions'))
    with pytest.raises(ConfigError, match=r"broken\.toml: invalid TOML: .*line 7"):
        load(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (('patterns = [', 'patternz = ['), r"rule 'sanctions.mine'.*'patterns' must list at least one"),
        (("\\bblacklisted\\b", "(unclosed"), r"good\.toml:6: rule 'sanctions.mine': pattern 1 is not a valid regex"),
        (('action = "sanctions"', 'action = "santcions"'),
         r"rule 'sanctions.mine' has unknown action 'santcions' \(registered action types: sanctions\)"),
        (('id = "sanctions.mine"', 'id = "Sanctions Mine"'), r"field 'id' must be dotted snake_case"),
        (('examples.match', 'weight = 2.5\nexamples.match'), r"field 'weight' must be a number in \(0, 1\], got 2.5"),
        (('examples.no_match', 'examples.nomatch'), r"unknown examples key\(s\) \['nomatch'\]"),
        (('[pack]\nname = "mine"\nlang = "en"\n', ''), r"missing \[pack\] table"),
    ],
)
def test_schema_errors_name_the_rule_and_field(write, change, message):
    path = write("good.toml", GOOD_RULE.replace(*change))
    with pytest.raises(ConfigError, match=message):
        load(path)


def test_duplicate_ids_across_packs_name_both_files(write):
    a = write("a.toml", GOOD_RULE)
    b = write("b.toml", GOOD_RULE.replace('name = "mine"', 'name = "other"'))
    with pytest.raises(ConfigError,
                       match=r"b\.toml:6: rule 'sanctions.mine' duplicates the id of a rule in .*a\.toml:6"):
        load(a, b)


def test_a_folder_of_packs_loads_recursively(write, tmp_path):
    write("packs/one.toml", GOOD_RULE)
    write("packs/sub/two.toml", GOOD_RULE.replace("sanctions.mine", "sanctions.mine_two"))
    engine = load(tmp_path / "packs")
    assert {"sanctions.mine", "sanctions.mine_two"} <= {r.id for r in engine.rules}


def test_a_missing_pack_path_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"no such rule pack file or folder"):
        load(tmp_path / "nope.toml")
