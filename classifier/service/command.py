"""``policy-classify serve``: the classifier as an HTTP JSON service, for pipelines in any language.

Why Starlette + uvicorn: a real ASGI stack with the parts a service needs and nothing to
maintain here -- HTTP/1.1 keep-alive and chunked streaming (``/classify/batch`` answers line by
line while it works), worker processes that share one listening socket and are restarted if
they die, graceful shutdown on SIGTERM/SIGINT (no new connections, in-flight requests
finished, bounded by ``--graceful-timeout``), ``--limit-concurrency``. Starlette is a small
routing and request/response layer with no dependencies beyond anyio; a framework with
validation and generated docs (FastAPI, pydantic) would add weight for one JSON shape we already
check the way the CLI does, and a stdlib ``http.server`` has no streaming, keep-alive pooling or
worker model worth running unattended.

Why the options travel by environment variable: uvicorn starts ``--workers`` processes by
importing an app *factory* from an import string, so nothing can be passed in memory. The
parent checks the options by building one engine (a bad rule pack is one line and exit 2,
before anything binds), then puts them in :data:`CONFIG_ENV` as JSON; each worker's
:func:`app_from_env` builds its own engine from them. With one worker the parent's engine is
served directly.

This module imports no third-party code at import time (the CLI builds its parser from it);
:mod:`classifier.service.app` holds the app and needs the ``[serve]`` extra.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from typing import Any, Callable

from classifier.errors import ConfigError, os_reason
from classifier.service.options import ServeOptions

CONFIG_ENV = "POLICY_CLASSIFIER_SERVE_CONFIG"
TOKEN_ENV = "POLICY_CLASSIFIER_TOKEN"
MISSING_SERVE = ('policy-classify serve needs starlette and uvicorn, which are not installed: '
                 'pip install "policy-classifier[serve]"')
LOOPBACK = ("127.0.0.1", "::1", "localhost")
EXIT_CONFIG = 2


def _at_least(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = minimum - 1
        if number < minimum or (maximum is not None and number > maximum):
            within = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
            raise argparse.ArgumentTypeError(f"expected a whole number {within}; got {value!r}")
        return number
    return parse


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` options (the engine options are added by the CLI, as for ``classify``)."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=_at_least(0, 65535), default=8000, help="TCP port (default 8000)")
    parser.add_argument("--workers", type=_at_least(0), default=1, metavar="N",
                        help="worker processes, each with its own engine (default 1; 0 = all cores)")
    parser.add_argument("--token", default=None,
                        help=f"require 'Authorization: Bearer TOKEN' (except GET /health); default "
                             f"${TOKEN_ENV}. Prefer the variable: arguments show in `ps`")
    parser.add_argument("--max-body-mb", type=_at_least(1), default=16, metavar="MB",
                        help="largest request body; larger is 413 (default 16)")
    parser.add_argument("--max-batch", type=_at_least(1), default=1000, metavar="N",
                        help="most records in one /classify/batch request; more is 413 (default 1000)")
    parser.add_argument("--limit-concurrency", type=_at_least(1), default=256, metavar="N",
                        help="open connections per worker before new ones get 503 (default 256)")
    parser.add_argument("--graceful-timeout", type=_at_least(0), default=30, metavar="S",
                        help="on SIGTERM/SIGINT, seconds to let in-flight requests finish (default 30)")
    parser.add_argument("--all-sentences", action="store_true",
                        help="list every sentence in each profile, not only tagged ones")
    parser.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True,
                        help="log one line per request on stdout (default on)")


def options_from_args(args: argparse.Namespace, env: dict[str, str] | None = None) -> ServeOptions:
    """:class:`ServeOptions` from the parsed command line (the token from ``--token`` or
    :data:`TOKEN_ENV`; an empty token is refused rather than silently meaning "no token")."""
    environ = os.environ if env is None else env
    token = args.token if args.token is not None else environ.get(TOKEN_ENV)
    if token is not None and not token.strip():
        raise ConfigError(f"the bearer token is empty (--token or ${TOKEN_ENV}); set one or unset it")
    engine = dict(rules=list(args.rules), plugin_paths=list(args.plugin),
                  entry_points=not args.no_entry_points, strict=args.strict, lang=args.lang,
                  all_sentences=args.all_sentences)
    return ServeOptions(engine=engine, max_body_bytes=args.max_body_mb << 20,
                        max_batch=args.max_batch, token=token)


def _uvicorn() -> Any:
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError as exc:
        raise ConfigError(MISSING_SERVE) from exc
    return uvicorn


def app_from_env() -> Any:
    """The uvicorn app factory for worker processes: options from :data:`CONFIG_ENV`."""
    from classifier.pipeline.engine import Engine
    from classifier.service.app import create_app

    raw = os.environ.get(CONFIG_ENV)
    if not raw:
        raise ConfigError(f"${CONFIG_ENV} is not set; start the service with `policy-classify serve`")
    options = ServeOptions.from_json(raw)
    return create_app(Engine(**options.engine), options)


def check_address(host: str, port: int) -> None:
    """A :class:`ConfigError` naming the address when it cannot be listened on (in use, not
    this machine's, a privileged port), before the engine is built and uvicorn logs its own
    multi-line failure. uvicorn binds again right after; the socket here is closed."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {os_reason(exc)}") from None


def _stopped(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def serve_command(args: argparse.Namespace, make_engine: Callable[..., Any]) -> int:
    """Run the service until SIGTERM or SIGINT (Ctrl-C); exit 0 after the graceful stop, 2 for
    configuration errors (a bad pack, an address that cannot be listened on)."""
    from classifier.pipeline.runner import resolve_jobs

    uvicorn = _uvicorn()
    options = options_from_args(args)
    check_address(args.host, args.port)
    engine = make_engine(args, all_sentences=args.all_sentences)  # a bad pack stops us here
    workers = resolve_jobs(args.workers)
    if args.host not in LOOPBACK and options.token is None:
        print(f"policy-classify: warning: serving on {args.host} without a token; anyone who can "
              f"reach it may use it (set ${TOKEN_ENV})", file=sys.stderr)
    if workers > 1:  # each worker builds its own engine from the options
        os.environ[CONFIG_ENV] = options.to_json()  # read by app_from_env in each worker
        app: Any = "classifier.service.command:app_from_env"
        del engine
    else:
        from classifier.service.app import create_app

        app = create_app(engine, options)
    # uvicorn stops gracefully on SIGTERM, then raises it again: with this handler that ends
    # in exit 0 (a stop that was asked for), instead of death by the signal; a SIGTERM before
    # uvicorn has taken over its signals stops the command the same way.
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        uvicorn.run(app, host=args.host, port=args.port, workers=workers,
                    factory=isinstance(app, str), access_log=args.access_log,
                    timeout_graceful_shutdown=args.graceful_timeout,
                    limit_concurrency=args.limit_concurrency, log_level="info")
    except SystemExit as exc:  # uvicorn exits 1 or 3 when it cannot bind or start
        return EXIT_CONFIG if exc.code else 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        os.environ.pop(CONFIG_ENV, None)
    return 0
