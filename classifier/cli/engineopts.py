"""What every engine-backed subcommand shares: the plugin and rule options, and the engine they make.

Why a module of its own: ``policy-classify`` and its ``rules`` subcommands both build engines
from the same options; kept here, neither imports the other.
"""

from __future__ import annotations

import argparse
import sys

from classifier.report.terminal import printable


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Add the options every engine-backed subcommand shares (plugins, rule packs, strictness,
    language), so they read the same everywhere."""
    group = parser.add_argument_group("plugins and rules")
    group.add_argument("--plugin", action="append", default=[], metavar="PATH",
                       help="load a plugin from a .py file or a folder of them (repeatable)")
    group.add_argument("--rules", action="append", default=[], metavar="PATH",
                       help="add a TOML rule pack or a folder of packs (repeatable)")
    group.add_argument("--strict", action="store_true",
                       help="fail on any plugin error instead of skipping the plugin")
    group.add_argument("--no-entry-points", action="store_true",
                       help="do not load installed third-party plugins")
    group.add_argument("--lang", default="auto",
                       help="article language (en, es...) or 'auto' to detect per article (default)")
    group.add_argument("--prefilter", default="auto",
                       choices=("auto", "hyperscan", "aho-corasick", "regex"),
                       help="how candidate rules are found: 'auto' (Hyperscan where its database is "
                            "in the memo, else Aho-Corasick), or force one; all give the same output")


def make_engine(args: argparse.Namespace, **extra: object):  # type: ignore[no-untyped-def]
    """The :class:`~classifier.Engine` those options describe; a plugin or pack that failed to load
    is named on stderr and skipped, so one bad file does not stop the command."""
    from classifier.pipeline.engine import Engine

    engine = Engine(
        rules=args.rules,
        plugin_paths=args.plugin,
        entry_points=not args.no_entry_points,
        strict=args.strict,
        lang=args.lang,
        prefilter=args.prefilter,
        **extra,  # type: ignore[arg-type]
    )
    for problem in engine.load_problems:
        print(f"policy-classify: warning: {printable(problem)}; skipped", file=sys.stderr)
    return engine
