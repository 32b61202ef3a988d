"""``policy-classify rules ...``: the commands for rule authors.

Kept apart from :mod:`classifier.cli.main` so the authoring tools (list, test, lint, stats) grow
without crowding the classify path. ``make_engine`` comes from the CLI so every command loads
plugins and packs the same way; the work itself lives in one module per concern
(:mod:`classifier.authoring.ruletest`, :mod:`classifier.authoring.lint`,
:mod:`classifier.authoring.rulestats`), usable from Python too.

Exit codes, as everywhere: 0 fine (lint warnings included), 1 a rule example failed or lint
found an error, 2 a usage or configuration error (a missing pack, a pack the engine refuses).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

from classifier.cli.engineopts import make_engine
from classifier.inputs.readers import InputRecord
from classifier.report.terminal import failed_record_line

EngineOptions = Callable[[argparse.ArgumentParser], None]
EXIT_OK, EXIT_FAILED = 0, 1


def add_rules_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]",
                     engine_options: EngineOptions) -> None:
    """Add ``rules`` and its subcommands; ``engine_options`` is passed in so this module need not
    import the main CLI."""
    rules = sub.add_parser("rules", help="work with rule packs: list, test, lint, stats")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    rules_list = rules_sub.add_parser("list", help="list every loaded rule")
    engine_options(rules_list)

    test = rules_sub.add_parser(
        "test", help="run every rule's inline examples; exit 1 naming each failing rule",
        description="Run the match / no_match examples of every loaded rule (built-in packs, "
                    "installed plugins, --rules), or only of the PACK files or folders given.")
    test.add_argument("packs", nargs="*", metavar="PACK", help="TOML pack files or folders")
    test.add_argument("--verbose", "-v", action="store_true",
                      help="show every rule's source, passing ones too (known gaps are always listed)")
    test.add_argument("--format", choices=("text", "json"), default="text")
    engine_options(test)

    lint = rules_sub.add_parser(
        "lint", help="find invalid, slow, example-less and shadowed rules (exit 1 on errors)",
        description="Check every registered pack, or only the PACK files or folders given.")
    lint.add_argument("packs", nargs="*", metavar="PACK", help="TOML pack files or folders")
    lint.add_argument("--slow-ms", type=float, default=50.0, metavar="MS",
                      help="warn when a pattern takes longer than this on a hostile string (50)")
    lint.add_argument("--format", choices=("text", "json"), default="text")
    engine_options(lint)

    stats = rules_sub.add_parser(
        "stats", help="per-rule coverage, overlaps, conflicts (and precision with --gold)")
    stats.add_argument("corpus", nargs="+", metavar="CORPUS",
                       help="JSONL (a text field per line), text files or folders")
    stats.add_argument("--gold", metavar="GOLD.jsonl",
                       help='JSONL lines {"id", "text", "labels": [...]}: per-rule precision')
    stats.add_argument("--text-field", default="text")
    stats.add_argument("--id-field", default="id")
    stats.add_argument("--top", type=int, metavar="N", help="text: only the N rules that fire most")
    stats.add_argument("--format", choices=("text", "json"), default="text")
    engine_options(stats)


def cmd_list(args: argparse.Namespace) -> int:
    """``rules list``: one tab-separated line per loaded rule, with its anchors (the literals that
    decide which sentences it is tried on)."""
    engine = make_engine(args)
    for rule in engine.rules:
        anchors = ",".join(rule.anchors) if rule.anchors else "(none: tried on every sentence)"
        print(f"{rule.id}\t{rule.action}\t{rule.lang}\t{rule.weight:g}\t{rule.source}\tanchors={anchors}")
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """``rules test``: run the rules' inline match / no_match examples; exit 1 if any fails."""
    from classifier.authoring.lint import registered_pack_files
    from classifier.authoring.ruletest import render_text, run_examples, select_packs
    from classifier.host.rulepack import iter_pack_files

    if args.packs:
        # A pack no plugin registers (the author's own) is loaded beside the built-in action
        # types; one already registered is only selected, or its ids would clash with itself.
        registered = registered_pack_files(plugin_paths=args.plugin, rules=args.rules,
                                           entry_points=not args.no_entry_points)
        files = [f.resolve() for pack in args.packs for f in iter_pack_files(pack)]
        args.rules = list(args.rules) + [str(f) for f in files if f not in registered]
    engine = make_engine(args)
    rules = select_packs(engine.rules, args.packs) if args.packs else list(engine.rules)
    report = run_examples(engine, rules)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        sys.stdout.write(render_text(report, verbose=args.verbose))
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_lint(args: argparse.Namespace) -> int:
    """``rules lint``: check rule packs and plugins for problems; exit 1 on any error (warnings pass)."""
    from classifier.authoring.lint import collect_sources, lint, render_text

    sources = collect_sources(plugin_paths=args.plugin, rules=args.rules,
                              entry_points=not args.no_entry_points)
    report = lint(sources, args.packs, slow_ms=args.slow_ms)
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(report))
    return EXIT_FAILED if report.errors else EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """``rules stats``: per-rule coverage, overlaps and conflicts on a corpus, and precision when
    gold labels are given; exit 1 if any record was unreadable."""
    from classifier.authoring.rulestats import read_options, render_json, render_text, rule_stats
    from classifier.inputs.readers import iter_records

    engine = make_engine(args)
    gold_path = Path(args.gold).resolve() if args.gold else None
    # One file as corpus and gold (the usual case) is read once, its labels kept.
    same = gold_path is not None and [Path(p).resolve() for p in args.corpus] == [gold_path]
    failed: list[InputRecord] = []
    corpus = _reported(iter_records(args.corpus, read_options(args.text_field, args.id_field,
                                                              "labels" if same else None)), failed)
    gold = (_reported(iter_records([args.gold], read_options()), failed)
            if args.gold and not same else None)
    report = rule_stats(engine, corpus, gold)
    sys.stdout.write(render_json(report) if args.format == "json" else render_text(report, args.top))
    return EXIT_FAILED if failed else EXIT_OK


def _reported(records: Iterable[InputRecord], failed: list[InputRecord]) -> Iterator[InputRecord]:
    """The records, each unreadable one also named on stderr as ``classify`` names it
    (``FILE:LINE: TYPE: message``) and counted, so a missing corpus is not a silent 0."""
    for record in records:
        if record.error is not None:
            failed.append(record)
            print(failed_record_line(record.source, record.line, *record.error), file=sys.stderr)
        yield record


SUBCOMMANDS = {"list": cmd_list, "test": cmd_test, "lint": cmd_lint, "stats": cmd_stats}


def dispatch(args: argparse.Namespace) -> int:
    """Run the ``rules`` subcommand ``args`` names."""
    return SUBCOMMANDS[args.rules_command](args)
