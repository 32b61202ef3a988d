"""``policy-classify rules ...``: the commands for rule authors.

Kept apart from :mod:`classifier.cli` so the authoring tools (list, and later test, lint, stats)
grow without crowding the classify path. ``make_engine`` comes from the CLI so every command
loads plugins and packs the same way.
"""

from __future__ import annotations

import argparse
from typing import Callable

EngineOptions = Callable[[argparse.ArgumentParser], None]


def add_rules_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]",
                     engine_options: EngineOptions) -> None:
    rules = sub.add_parser("rules", help="work with rule packs: list, test, lint, stats")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="SUBCOMMAND")
    rules_list = rules_sub.add_parser("list", help="list every loaded rule")
    engine_options(rules_list)


def cmd_list(args: argparse.Namespace) -> int:
    from classifier.cli import EXIT_OK, make_engine

    engine = make_engine(args)
    for rule in engine.rules:
        anchors = ",".join(rule.anchors) if rule.anchors else "(none: tried on every sentence)"
        print(f"{rule.id}\t{rule.action}\t{rule.lang}\t{rule.weight:g}\t{rule.source}\tanchors={anchors}")
    return EXIT_OK


SUBCOMMANDS = {"list": cmd_list}


def dispatch(args: argparse.Namespace) -> int:
    return SUBCOMMANDS[args.rules_command](args)
