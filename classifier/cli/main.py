"""The ``policy-classify`` command: a thin layer over :class:`~classifier.Engine`.

Exit codes: 0 success; 1 some records failed (each still has an error record in its place);
2 usage or configuration errors (bad rule pack, missing plugin file, bad option), printed as one
line without a traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from contextlib import AbstractContextManager, ExitStack
from functools import partial
from pathlib import Path
from typing import Sequence, TextIO

from classifier import __version__
from classifier.cli import rules as rules_cli
from classifier.cli.engineopts import add_engine_options, make_engine
from classifier.errors import ClassifierError, ConfigError
from classifier.inputs.readers import DEFAULT_MAX_RECORD_BYTES, FORMATS, ReadOptions, iter_records
from classifier.model import ArticleProfile, ErrorRecord
from classifier.report.explain import explain_text
from classifier.report.outfile import output_file, records_only_stdout, refuse_input_as_output
from classifier.report.output import OUTPUT_FORMATS, make_writer
from classifier.report.summarize import BUCKETS, SUMMARY_FORMATS
from classifier.report.terminal import failed_record_line, printable
from classifier.report.writer import JsonLinesWriter, record_date, render_jsonl

EXIT_OK, EXIT_RECORDS_FAILED, EXIT_CONFIG = 0, 1, 2
# Binary formats: written only to a file (-o), through a module of their own (classifier.report.parquetout)
CLASSIFY_FORMATS = (*OUTPUT_FORMATS, "parquet")
SUMMARIZE_FORMATS = (*SUMMARY_FORMATS, "parquet")


def _positive_mb(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of megabytes, at least 1; got {value!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The ``policy-classify`` argument parser with every subcommand (kept separate from
    :func:`main` so tests and docs can inspect it)."""
    parser = argparse.ArgumentParser(
        prog="policy-classify",
        description="Find the policy actions governments take in news articles, with evidence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    classify = sub.add_parser("classify", help="profile articles (files, folders, JSONL, stdin)")
    classify.add_argument("paths", nargs="*", default=["-"], metavar="PATH",
                          help="text/JSONL/CSV files or folders; '-' or nothing reads stdin")
    classify.add_argument("--input-format", choices=FORMATS, default="auto")
    classify.add_argument("--text-field", default="text", help="JSONL/CSV field with the text")
    classify.add_argument("--id-field", default="id", help="JSONL/CSV field with the id")
    classify.add_argument("--format", choices=CLASSIFY_FORMATS, default="jsonl",
                          help="jsonl (default), json, table, csv (one row per article), "
                               "html (a self-contained report; use with -o report.html), "
                               "parquet (typed columns, one row per article; needs -o FILE)")
    classify.add_argument("--tags-out", metavar="FILE",
                          help="parquet: also write one row per tag to this Parquet file")
    classify.add_argument("--date-field", metavar="FIELD",
                          help="JSONL/CSV field with the article's date (ISO): a top-level "
                               "'date' in json/jsonl, a csv column, the html report's timeline")
    classify.add_argument("--verbose", "-v", action="store_true",
                          help="table: also show each tagged sentence with its tags highlighted")
    classify.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                          help="table colours: auto = only when writing to a terminal")
    classify.add_argument("--title", default="Policy actions report", help="html: the report title")
    classify.add_argument("--all-sentences", action="store_true",
                          help="list every sentence in each profile, not only tagged ones")
    classify.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    classify.add_argument("--max-record-mb", type=_positive_mb, default=DEFAULT_MAX_RECORD_BYTES >> 20,
                          metavar="MB", help="the largest record read (a text file, a JSONL line, "
                          "a CSV row); a larger one is a RecordTooLarge error record "
                          f"(default {DEFAULT_MAX_RECORD_BYTES >> 20})")
    classify.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                          help="worker processes (default 1; 0 = all cores); output order is kept")
    classify.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                          help="a progress bar on stderr (records, MB/s, ETA); default: only "
                               "when stderr is a terminal. Never written to stdout")
    add_engine_options(classify)

    explain = sub.add_parser("explain", help="show each tag of a text with its rule and why")
    explain.add_argument("text", metavar="TEXT|FILE", help="a sentence or article, or a file path")
    explain.add_argument("--verbose", "-v", action="store_true",
                         help="also list candidate rules that the prefilter chose but did not match")
    add_engine_options(explain)

    evaluate = sub.add_parser("eval", help="score against gold JSONL: P/R/F1, modality accuracy")
    evaluate.add_argument("gold", metavar="GOLD.jsonl")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument("--summary", action="store_true",
                          help="only the figures, without the lists of errors")
    evaluate.add_argument("--by-lang", action="store_true",
                          help="per-label rows for each language too (a per-language line is always shown)")
    add_engine_options(evaluate)

    summarize = sub.add_parser("summarize", help="corpus figures from saved profiles (JSONL)")
    summarize.add_argument("paths", nargs="*", default=["-"], metavar="PROFILES.jsonl",
                           help="profiles written by classify (jsonl or json); '-' reads stdin")
    summarize.add_argument("--format", choices=SUMMARIZE_FORMATS, default="table",
                           help="table (default), json, csv or parquet (the csv rows, typed; needs -o)")
    summarize.add_argument("--bucket", choices=BUCKETS, default="month",
                           help="date buckets for records that carry a date (default month)")
    summarize.add_argument("--date-field", default="date", metavar="FIELD",
                           help="the record key holding the date (default 'date')")
    summarize.add_argument("--top", type=int, default=10, metavar="N",
                           help="actors, targets and pairs to list per action (default 10)")
    summarize.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")

    plugins = sub.add_parser("plugins", help="list loaded plugins, their hooks and action types")
    add_engine_options(plugins)

    rules_cli.add_rules_parser(sub, add_engine_options)
    _serve_parser(sub)
    return parser


def _serve_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    from classifier.service.command import add_serve_arguments  # starlette/uvicorn load only in cmd_serve

    serve = sub.add_parser("serve", help="an HTTP JSON API over one engine (pip install '.[serve]')",
                           description="Serve POST /classify, POST /classify/batch, GET /health, "
                                       "/plugins, /rules and /openapi.json.")
    add_serve_arguments(serve)
    add_engine_options(serve)


def _output(path: str | None, inputs: Sequence[str], newline: str = "\n"
            ) -> AbstractContextManager[TextIO]:
    """``-o`` through a temporary file renamed at the end (never one of ``inputs``), or
    stdout kept for the records (see :mod:`classifier.report.outfile`)."""
    if path is None:
        return records_only_stdout(newline)
    refuse_input_as_output(path, inputs)
    return output_file(path, newline)


def cmd_classify(args: argparse.Namespace) -> int:
    """``classify``: profile every input record and write the profiles in the chosen format;
    unreadable records are named on stderr and make the exit code 1, but never stop the run."""
    from classifier.cli.progress import Progress, input_size, wants_progress
    from classifier.pipeline.runner import run

    engine_kwargs = dict(
        rules=args.rules, plugin_paths=args.plugin, entry_points=not args.no_entry_points,
        strict=args.strict, lang=args.lang, all_sentences=args.all_sentences,
        prefilter=args.prefilter,
    )
    keep = (args.date_field,) if args.date_field else ()
    options = ReadOptions(args.input_format, args.text_field, args.id_field, keep_fields=keep,
                          max_record_bytes=args.max_record_mb << 20)
    ok = failed = 0
    warned: set[tuple[str, str | None, str | None]] = set()
    # csv writes its own \r\n line ends (RFC 4180): no newline translation for it
    color = args.color == "always" or (args.color == "auto" and args.output is None
                                       and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    _check_parquet_options(args)
    with ExitStack() as files:
        out = files.enter_context(
            _output(args.output, args.paths, newline="" if args.format == "csv" else "\n"))
        tags_out = files.enter_context(_output(args.tags_out, args.paths)) if args.tags_out else None
        # built here, so a plugin that prints while it loads cannot corrupt stdout either
        engine = make_engine(args, all_sentences=args.all_sentences)
        writer = _parquet_writer(out, tags_out, list(engine.actions)) if args.format == "parquet" else (
            make_writer(args.format, out, actions=list(engine.actions), color=color,
                        verbose=args.verbose, with_date=bool(args.date_field), title=args.title))
        shown = wants_progress(args.progress, sys.stderr)
        progress = Progress(sys.stderr, shown, input_size(args.paths) if shown else None)
        # JSONL lines are rendered where the profile is made (in the workers with --jobs), so
        # the parent only writes them; other formats need the profile objects.
        jsonl = writer if isinstance(writer, JsonLinesWriter) else None
        render = partial(render_jsonl, args.date_field) if jsonl is not None else None
        for record, outcome in run(iter_records(args.paths, options), engine, args.jobs,
                                   engine_kwargs, render):
            result, line = outcome if render is not None else (outcome, None)
            progress.update(record.text)
            if isinstance(result, ErrorRecord):
                failed += 1
                progress.interrupt()
                print(failed_record_line(result.source, result.line, result.type, result.message),
                      file=sys.stderr)
            else:
                ok += 1
                for warning in _first_warnings(result, warned) if result is not None else ():
                    progress.interrupt()
                    print(f"policy-classify: warning: {printable(warning)}", file=sys.stderr)
            if jsonl is not None and line is not None:
                jsonl.write_rendered(line)
            else:
                writer.write(result, text=record.text, date=record_date(record, args.date_field))
        writer.close()
        progress.close()
    if failed or warned:  # a clean run stays silent on stderr
        print(f"policy-classify: {ok} records ok, {failed} failed", file=sys.stderr)
    return EXIT_RECORDS_FAILED if failed else EXIT_OK


def _check_parquet_options(args: argparse.Namespace) -> None:
    """Parquet is binary and needs pyarrow: refuse stdout, a stray ``--tags-out`` and a missing
    extra before any file is opened or record read."""
    if getattr(args, "tags_out", None) and args.format != "parquet":
        raise ConfigError("--tags-out needs --format parquet")
    if args.format != "parquet":
        return
    if args.output is None:
        raise ConfigError("--format parquet writes a binary file: name it with -o FILE")
    if getattr(args, "tags_out", None) and os.path.abspath(args.tags_out) == os.path.abspath(args.output):
        raise ConfigError(f"--tags-out {args.tags_out}: is also the -o file; choose another")
    from classifier.report.parquetout import import_pyarrow

    import_pyarrow()


def _parquet_writer(out: TextIO, tags_out: TextIO | None, actions: list[str]):  # type: ignore[no-untyped-def]
    """A Parquet writer on the binary buffers under the text handles :func:`_output` gives, so
    -o keeps its guarantees (temporary file renamed at the end, never over an input)."""
    from classifier.report.parquetout import ParquetWriter

    return ParquetWriter(out.buffer, actions,  # type: ignore[attr-defined]
                         tags_out.buffer if tags_out is not None else None)  # type: ignore[attr-defined]


def _first_warnings(
    profile: ArticleProfile, warned: set[tuple[str, str | None, str | None]]
) -> list[str]:
    """A profile's errors (rule timeouts, plugin failures...), each the first time in this run
    it is seen (per error type and rule or plugin): a hostile rule in a million-record run is
    one line on stderr, while every affected profile still lists it in its ``errors``."""
    lines = []
    for error in profile.errors:
        key = (error.type, error.rule, error.plugin)
        if key not in warned:
            warned.add(key)
            who = f"plugin '{error.plugin}': " if error.plugin else ""
            lines.append(f"{profile.id or '?'}: {error.type}: {who}{error.message}"
                         " (reported once per run; each profile lists its own)")
    return lines


def _names_a_file(text: str) -> bool:
    """Whether ``explain``'s argument is a file path rather than the text to explain. A long
    sentence is not a path: asking the OS about it fails with 'File name too long'."""
    if len(text) >= 4096 or "\n" in text:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long a name for the file system; a NUL character
        return False


def cmd_explain(args: argparse.Namespace) -> int:
    """``explain``: show why one text (or file) got its tags, sentence by sentence."""
    engine = make_engine(args)
    text = args.text
    if _names_a_file(args.text):
        text = Path(args.text).read_text(encoding="utf-8", errors="replace")
    color = sys.stdout.isatty()
    sys.stdout.write(explain_text(engine, text, verbose=args.verbose, color=color))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    """``eval``: score the engine against a gold JSONL file (see :mod:`classifier.authoring.evaluate`)."""
    from classifier.authoring.evaluate import evaluate, read_gold, render_text

    engine = make_engine(args)
    report = evaluate(engine, read_gold(args.gold))
    if args.format == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        sys.stdout.write(render_text(report, details=not args.summary, by_lang=args.by_lang))
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace) -> int:
    """``plugins``: list each loaded plugin with its version, source, hooks, action types and rule
    count, to check what an engine will actually run."""
    engine = make_engine(args)
    rule_counts: dict[str, int] = {}
    for rule in engine.rules:
        rule_counts[rule.plugin] = rule_counts.get(rule.plugin, 0) + 1
    for name, info in engine.plugin_info.items():
        plugin = engine.pm.get_plugin(name)
        hooks = sorted(h.name for h in engine.pm.get_hookcallers(plugin) or [])
        actions = sorted(a.name for a in engine.actions.values() if a.plugin == name)
        print(f"{name}  {info.version}  ({info.source})")
        print(f"    hooks: {', '.join(h.removeprefix('policy_classifier_') for h in hooks)}")
        if actions:
            print(f"    action types: {', '.join(actions)}")
        if rule_counts.get(name):
            print(f"    rules: {rule_counts[name]}")
    if rule_counts.get("user"):
        print(f"user  (--rules)\n    rules: {rule_counts['user']}")
    return EXIT_OK


def cmd_summarize(args: argparse.Namespace) -> int:
    """``summarize``: aggregate saved profiles into corpus-level counts (table, JSON, CSV or Parquet)."""
    from classifier.cli.summarize import summarize_command

    _check_parquet_options(args)
    with _output(args.output, args.paths, newline="" if args.format == "csv" else "\n") as out:
        if args.format != "parquet":
            return summarize_command(args.paths, fmt=args.format, bucket=args.bucket, top=args.top,
                                     date_field=args.date_field, out=out)
        from classifier.report.parquetout import write_summary

        # the summary is small (bounded by --top and the date buckets): render it as JSON, then
        # write its csv rows as a typed table
        rendered = io.StringIO()
        code = summarize_command(args.paths, fmt="json", bucket=args.bucket, top=args.top,
                                 date_field=args.date_field, out=rendered)
        write_summary(json.loads(rendered.getvalue()), out.buffer)  # type: ignore[attr-defined]
        return code


def cmd_serve(args: argparse.Namespace) -> int:
    """``serve``: run the HTTP API over one engine (imports its optional dependencies only here)."""
    from classifier.service.command import serve_command

    return serve_command(args, make_engine)


COMMANDS = {
    "classify": cmd_classify, "explain": cmd_explain, "eval": cmd_eval,
    "plugins": cmd_plugins, "summarize": cmd_summarize, "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``policy-classify`` command and return its exit code; a configuration error is one
    line on stderr (exit 2), not a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = rules_cli.dispatch if args.command == "rules" else COMMANDS[args.command]
    try:
        return handler(args)
    except ClassifierError as exc:
        print(f"policy-classify: error: {printable(exc)}", file=sys.stderr)
        return EXIT_CONFIG
    except BrokenPipeError:  # e.g. `policy-classify classify ... | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("policy-classify: interrupted", file=sys.stderr)
        return 130
