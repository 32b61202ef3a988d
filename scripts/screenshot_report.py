#!/usr/bin/env python3
"""Screenshot an HTML report in headless Chromium, to see what a reader sees.

    python scripts/screenshot_report.py report.html --out report.png
    python scripts/screenshot_report.py --demo --out report.png     # builds a demo report first

Why a script: the report is drawn by its own JavaScript, so only a real browser shows whether
the charts and highlights appear. The browser runs with no network features, a throw-away
profile and no sandbox (we run as root in CI), and is found as ``$POLICY_CLASSIFIER_CHROMIUM``
or ``chromium``/``chromium-browser``/``google-chrome`` on PATH. The test suite imports the
helpers below (``find_browser``, ``dump_dom``, ``screenshot``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000")


def find_browser() -> str | None:
    """The Chromium binary to use, or None when there is none (callers skip)."""
    explicit = os.environ.get("POLICY_CLASSIFIER_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else shutil.which(explicit)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(browser: str, extra: list[str], page: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="pc-chromium-") as profile:
        argv = [browser, *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)


def dump_dom(page: Path, browser: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Load ``page`` and return the DOM after its scripts ran (stdout) and the browser log (stderr)."""
    return _run(browser, ["--dump-dom"], page, timeout)


def screenshot(page: Path, png: Path, browser: str, window: str = "1280,2000",
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Write a PNG of ``page`` at ``window`` (``W,H``) pixels."""
    return _run(browser, [f"--screenshot={png.resolve()}", f"--window-size={window}"], page, timeout)


def console_errors(log: str) -> list[str]:
    """Lines of a Chromium log (``--enable-logging=stderr``) written by the page: uncaught
    exceptions, CSP violations and console messages all appear as ``INFO:CONSOLE`` lines. The
    report itself never logs, so any such line is a problem."""
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


DEMO_PACK = r"""
[pack]
name = "report_demo"
lang = "en"

[[rules]]
id = "sanctions.report_demo_impose"
action = "sanctions"
patterns = ['\bimpos\w*\s+sanctions\b', '\bsanctions\s+on\b']
examples.match = ["The ministry imposed sanctions on the bank."]
examples.no_match = ["The ministry met the bank."]

[[rules]]
id = "rewards.report_demo_reward"
action = "rewards"
patterns = ['\breward\s+of\s+(?:up\s+to\s+)?\$?[\d.,]+\s*(?:million|billion)?(?:\s+dollars)?']
examples.match = ["They offered a reward of $5 million."]
examples.no_match = ["The reward was great."]

[[rules]]
id = "extradition.report_demo_extradite"
action = "extradition"
patterns = ['\bextradit\w+\s+(?:\d+|two|three|four|five)\s+[\w\s]{0,30}?(?:suspects|members|traffickers)\b']
examples.match = ["Peru extradited two suspects."]
examples.no_match = ["Peru discussed extradition law."]

[[rules]]
id = "tariffs.report_demo_tariff"
action = "tariffs"
patterns = ['\b\d+(?:\.\d+)?\s*(?:%|percent)\s+tariffs?\b', '\btariffs?\s+of\s+\d+(?:\.\d+)?\s*(?:%|percent)']
examples.match = ["They set a 25% tariff on steel."]
examples.no_match = ["They discussed trade."]

[[rules]]
id = "military.report_demo_strike"
action = "military"
patterns = ['\b(?:air\s*)?strikes?\s+(?:on|against)\b', '\bstruck\s+(?:a|an|the)\s+\w+']
examples.match = ["Jets struck a depot near the border."]
examples.no_match = ["The workers went on strike."]
"""

DEMO_ARTICLES = [
    ("wire-0412", "2024-04-12",
     "The Treasury imposed sanctions on 14 people and six companies accused of laundering money "
     "for a smuggling gang on Friday.\nOfficials also announced a reward of up to $10 million for "
     "information leading to the arrest of the group's leader."),
    ("wire-0415", "2024-04-15",
     "Colombia extradited 12 suspected traffickers to the United States on Monday. Prosecutors "
     "said more cases would follow."),
    ("wire-0502", "2024-05-02",
     "The White House warned that it could impose a 30% tariff on goods from countries that fail "
     "to curb chemical exports. Canada said it would not retaliate."),
    ("wire-0520", "2024-05-20",
     "Navy aircraft struck a vessel in international waters, the Pentagon said. The European "
     "Union refused to impose sanctions on the shipping firm."),
    ("wire-0603", "2024-06-03", "The city council approved a new budget for public parks."),
    ("<b>odd id</b>", "2024-06-04",
     "Officials <script>alert(1)</script> imposed sanctions on \"><img src=x onerror=alert(1)>."),
]


def build_demo(path: Path) -> Path:
    """A small report from hand-written articles, classified by the real engine."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from classifier.pipeline.engine import Engine
    from classifier.report.htmlreport import HtmlWriter

    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "demo.toml"
        pack.write_text(DEMO_PACK, encoding="utf-8")
        engine = Engine(rules=[pack], entry_points=False)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            writer = HtmlWriter(out, actions=list(engine.actions), title="Demo: policy actions report")
            for article_id, date, text in DEMO_ARTICLES:
                writer.write(engine.classify(text, id=article_id), text=text, date=date)
            writer.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", type=Path, help="the report to shoot")
    parser.add_argument("--demo", action="store_true", help="build a demo report (at REPORT or a temp file)")
    parser.add_argument("--out", type=Path, default=Path("report.png"), help="PNG to write")
    parser.add_argument("--window-size", default="1280,2000", metavar="W,H")
    args = parser.parse_args(argv)
    browser = find_browser()
    if browser is None:
        print("screenshot_report: no chromium binary found (set POLICY_CLASSIFIER_CHROMIUM)", file=sys.stderr)
        return 2
    report = args.report
    if args.demo:
        report = build_demo(report or Path(tempfile.mkdtemp()) / "demo-report.html")
    if report is None or not report.is_file():
        parser.error("give a report file, or --demo")
    result = screenshot(report, args.out, browser, args.window_size)
    errors = console_errors(result.stderr)
    for line in errors:
        print(f"screenshot_report: page error: {line}", file=sys.stderr)
    if not args.out.is_file():
        print(f"screenshot_report: chromium wrote no screenshot:\n{result.stderr[-2000:]}", file=sys.stderr)
        return 1
    print(f"{args.out} ({report})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
