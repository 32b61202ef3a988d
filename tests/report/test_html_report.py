"""The HTML report: self-contained, streamed, escaped against hostile text, and (when Chromium is
installed) rendered in a real headless browser without page errors."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from sample_profiles import (
    ACTIONS,
    EXTRADITION_TEXT,
    HOSTILE,
    REWARD_TEXT,
    SANCTIONS_TEXT,
    Mark,
    empty_profile,
    extradition_profile,
    hostile_profile,
    make_profile,
    reward_profile,
    sanctions_profile,
)

from classifier.model import ErrorRecord
from classifier.report.htmlassets import JS
from classifier.report.htmlreport import HtmlWriter, compact, content_security_policy, script_json

REPO = Path(__file__).resolve().parents[2]
DATA_BLOCK = re.compile(r'<script type="application/json" (?:class="pc-rec"|id="pc-summary")>(.*?)</script>', re.S)


def load_script_module():
    spec = importlib.util.spec_from_file_location("screenshot_report", REPO / "scripts" / "screenshot_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report(items, actions=ACTIONS, title="Test report") -> str:
    out = io.StringIO()
    writer = HtmlWriter(out, actions=actions, title=title)
    for record, text, date in items:
        writer.write(record, text=text, date=date)
    writer.close()
    return out.getvalue()


def hostile_text(profile) -> str:
    return "".join(s.text if i == 0 else " " + s.text for i, s in enumerate(profile.sentences))


def basic_items():
    return [
        (reward_profile(), REWARD_TEXT, "2024-03-01"),
        (sanctions_profile(), SANCTIONS_TEXT, "2024-03-02"),
        (extradition_profile(), EXTRADITION_TEXT, None),
        (empty_profile(), None, "2024-03-09"),
        (ErrorRecord("broken-1", "MissingText", "record has no 'text' field", line=4), None, None),
    ]


def blocks(page: str) -> list[dict]:
    return [json.loads(raw) for raw in DATA_BLOCK.findall(page)]


# -- structure and streaming ----------------------------------------------------------------


def test_page_is_complete_and_holds_one_block_per_record():
    page = report(basic_items())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    data = blocks(page)
    assert len(data) == 6  # five records and the summary
    assert [d.get("id") for d in data[:5]] == ["reward-1", "sanctions-1", "extradition-1", "quiet-1", "broken-1"]
    summary = data[-1]
    assert summary["records"] == 5 and summary["error_records"] == 1
    assert list(summary["colors"])[:5] == ACTIONS
    assert data[4]["error"] == "MissingText: record has no 'text' field"


def test_record_data_round_trips():
    profile = sanctions_profile()
    data = blocks(report([(profile, SANCTIONS_TEXT, "2024-01-01")]))[0]
    assert data == json.loads(json.dumps(compact(profile, SANCTIONS_TEXT, "2024-01-01")))
    assert data["x"] == SANCTIONS_TEXT
    for tag in data["t"]:
        start, end, action = tag[0], tag[1], tag[2]
        assert action in ("sanctions", "tariffs") and SANCTIONS_TEXT[start:end]
    tariffs = next(t for t in data["t"] if t[2] == "tariffs")
    assert tariffs[5:9] == ["threatened", "threatened to", "Iran", "United States"]
    assert tariffs[9] == ["25%"]


def test_streams_head_first_then_records_then_summary():
    out = io.StringIO()
    writer = HtmlWriter(out, actions=ACTIONS)
    head = out.getvalue()
    assert "<style>" in head and "<script>" in head and 'id="pc-articles"' in head and 'class="pc-rec"' not in head
    writer.write(reward_profile(), REWARD_TEXT)
    assert out.getvalue().count('class="pc-rec"') == 1 and 'id="pc-summary"' not in out.getvalue()
    writer.close()
    writer.close()  # idempotent
    assert out.getvalue().count('id="pc-summary"') == 1


def test_without_text_only_sentences_are_kept():
    data = blocks(report([(sanctions_profile(), None, None)]))[0]
    assert "x" not in data and len(data["ss"]) == 3
    wrong = blocks(report([(sanctions_profile(), "Some other text entirely.", None)]))[0]
    assert "x" not in wrong  # text that does not match the tags is not trusted


def test_offsets_are_utf16_for_javascript():
    text = "\U0001F6A2\U0001F6A2 Ottawa imposed sanctions on the firm."
    profile = make_profile("emoji", text, [Mark("imposed sanctions", "sanctions")])
    tag = blocks(report([(profile, text, None)]))[0]["t"][0]
    assert (tag[0], tag[1]) == (text.index("imposed") + 2, text.index("imposed") + 2 + len("imposed sanctions"))
    sentences_only = blocks(report([(profile, None, None)]))[0]
    assert sentences_only["t"][0][:2] == [tag[0], tag[1]]


def test_self_contained_no_external_resources():
    page = report(basic_items())
    assert not re.search(r"""(?:src|href)\s*=|<link\b|@import|url\(""", page, re.I)
    assert set(re.findall(r"https?://[^\s\"')]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in page


def test_csp_allows_exactly_the_report_script():
    page = report(basic_items())
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert scripts == [JS]
    digest = base64.b64encode(hashlib.sha256(JS.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in content_security_policy()
    assert content_security_policy() in page


# -- hostile input --------------------------------------------------------------------------


def test_script_json_escapes_everything_that_could_end_the_block():
    value = {"a": "</script><script>alert(1)</script>", "b": "<!-- & \u2028 \u2029"}
    text = script_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_hostile_text_cannot_inject_markup():
    profile = hostile_profile()
    text = hostile_text(profile)
    page = report([(profile, text, "2024-01-01")], actions=ACTIONS + [HOSTILE[0]], title=HOSTILE[1])
    for payload in HOSTILE[:3]:
        assert payload not in page
    assert "<img" not in page  # as markup: it only appears escaped (&lt;img, \u003cimg)
    assert page.count("</script>") == page.count("<script")  # no block closed early
    assert "\u2028" not in page and "\u2029" not in page
    assert "<title>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</title>" in page
    data = blocks(page)[0]
    assert data["id"] == profile.id and data["x"] == text  # escaped, not altered
    assert HOSTILE[0] in data["actions"]["sanctions"]["actors"]


def test_js_never_writes_html_strings():
    assert "innerHTML" not in JS and "outerHTML" not in JS and "insertAdjacentHTML" not in JS
    assert "document.write" not in JS and "eval(" not in JS


# -- scale ----------------------------------------------------------------------------------

TEMPLATES = [
    ("The Treasury imposed sanctions on {n} firms linked to the network on {day}. ", "imposed sanctions", "sanctions"),
    ("Officials offered a reward of ${n} million for information on the fugitive. ", "offered a reward", "rewards"),
    ("The court extradited {n} suspects to Spain after a long hearing. ", "extradited", "extradition"),
    ("The ministry threatened a tariff of {n}% on imported steel and aluminium. ", "threatened a tariff", "tariffs"),
    ("Jets struck a depot near the border, the army said on {day}. ", "struck a depot", "military"),
]
FILLER = ("Analysts said the decision followed months of talks between the two governments. "
          "Markets reacted calmly, and opposition lawmakers asked for more details about the plan. ")


def generated(count: int = 500):
    """Articles of a few sentences, 1-3 tagged, dated one per day from 2023-01-01."""
    import datetime

    start = datetime.date(2023, 1, 1)
    for i in range(count):
        day = start + datetime.timedelta(days=i)
        picks = [TEMPLATES[(i + k * 2) % len(TEMPLATES)] for k in range(1 + i % 3)]
        text = "".join(t.format(n=(i % 40) + 2, day=day.isoformat()) for t, _, _ in picks) + FILLER
        marks, cursor = [], 0
        for _, phrase, action in picks:
            at = text.find(phrase, cursor)
            marks.append(Mark(phrase, action, modality="threatened" if action == "tariffs" else "asserted",
                              actor="Country A", target="Country B", after=at))
            cursor = at + len(phrase)
        if i % 97 == 0:
            yield ErrorRecord(f"gen-{i}", "InvalidText", "field 'text' must be a string"), None, day.isoformat()
            continue
        yield make_profile(f"gen-{i:03d}", text, marks), text, day.isoformat()


def test_500_articles_make_a_reasonable_file():
    items = list(generated(500))
    page = report(items)
    text_bytes = sum(len((t or "").encode()) for _, t, _ in items)
    size = len(page.encode())
    assert size < 2_000_000
    assert (size - text_bytes) / len(items) < 1500, "per-article overhead beyond its text"
    summary = blocks(page)[-1]
    assert summary["records"] == 500 and summary["dates"]["bucket"] == "month"
    assert len(summary["dates"]["series"]) == 17


# -- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    shot = load_script_module()
    binary = shot.find_browser()
    if binary is None:
        pytest.skip("no chromium binary found (apt-get install chromium, or set POLICY_CLASSIFIER_CHROMIUM)")
    return shot, binary


def render(browser, tmp_path: Path, page: str, name: str = "report.html"):
    shot, binary = browser
    path = tmp_path / name
    path.write_text(page, encoding="utf-8")
    result = shot.dump_dom(path, binary)
    return result.stdout, shot.console_errors(result.stderr)


@pytest.mark.browser
def test_browser_renders_chart_timeline_and_highlights(browser, tmp_path):
    items = [(sanctions_profile(), SANCTIONS_TEXT, "2024-03-02")] + basic_items()
    dom, errors = render(browser, tmp_path, report(items))
    assert errors == []
    assert 'data-pc-ready="6"' in dom, dom[:2000]
    assert 'id="pc-js-errors" hidden=""' in dom
    assert 'class="pc-action-chart"' in dom and dom.count('class="pc-bar"') >= 4
    assert re.search(r'<svg class="pc-chart pc-timeline".*?<rect class="pc-bar"', dom, re.S)
    marks = re.findall(r'<mark class="pc-hl" data-action="(\w+)"[^>]*title="([^"]*)"', dom)
    assert {a for a, _ in marks} == {"sanctions", "tariffs"}  # the first article is opened
    assert any("threatened to" in t and "Iran" in t and "25%" in t for _, t in marks)
    assert dom.count("<tr data-id=") == 6


@pytest.mark.browser
def test_browser_hostile_text_stays_text(browser, tmp_path):
    profile = hostile_profile()
    page = report([(profile, hostile_text(profile), None)], title=HOSTILE[0])
    dom, errors = render(browser, tmp_path, page)
    assert errors == []
    assert 'data-pc-ready="1"' in dom
    assert "<img" not in dom and "<script>alert" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text, highlighted article open
    assert 'class="pc-hl"' in dom


HARNESS = """<script>
window.alert = function () { document.documentElement.setAttribute("data-alerted", "1"); };
document.addEventListener("DOMContentLoaded", function () { setTimeout(function () {
  var out = {};
  function ids() {
    return Array.prototype.filter.call(document.querySelectorAll("table.pc-list tbody tr[data-id]"),
      function (r) { return !r.hidden; }).map(function (r) { return r.getAttribute("data-id"); });
  }
  function click(col) { document.querySelector('th[data-col="' + col + '"] button').click(); }
  out.initial = ids();
  click("id"); out.idAsc = ids(); click("id"); out.idDesc = ids();
  click("mentions"); out.mentionsAsc = ids();
  var search = document.querySelector("input[type=search]");
  search.value = "CARTEL"; search.dispatchEvent(new Event("input"));
  setTimeout(function () {
    out.text = ids();
    search.value = ""; search.dispatchEvent(new Event("input"));
    setTimeout(function () {
      var act = document.querySelector('select[aria-label="Action"]');
      act.value = "tariffs"; act.dispatchEvent(new Event("change")); out.action = ids();
      act.selectedIndex = 0; act.dispatchEvent(new Event("change"));
      var dom = document.querySelector('select[aria-label="Dominant"]');
      dom.value = "(none)"; dom.dispatchEvent(new Event("change")); out.noDominant = ids();
      dom.selectedIndex = 0; dom.dispatchEvent(new Event("change"));
      document.querySelector('tr[data-id="sanctions-1"] .pc-toggle').click();
      out.marks = document.querySelectorAll("mark.pc-hl").length;
      out.count = document.querySelector(".pc-count").textContent;
      out.imgs = document.querySelectorAll("img").length;
      var pre = document.createElement("pre"); pre.id = "pc-test"; pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    }, 300);
  }, 300);
}, 50); });
</script>
"""


@pytest.mark.browser
def test_browser_sorting_and_filtering(browser, tmp_path):
    """Drive the list like a reader would. The page is loaded with its CSP relaxed so the test
    script can run, which also proves the escaping alone stops the hostile record's payloads."""
    profile = hostile_profile()
    page = report(basic_items() + [(profile, hostile_text(profile), None)])
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    page = page.replace("<head>\n", "<head>\n" + HARNESS, 1)
    dom, errors = render(browser, tmp_path, page, "harness.html")
    assert errors == []
    assert 'data-alerted="1"' not in dom
    found = re.search(r'<pre id="pc-test">(.*?)</pre>', dom, re.S)
    assert found, dom[-3000:]
    out = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                     .replace("&amp;", "&"))
    assert out["initial"][:5] == ["reward-1", "sanctions-1", "extradition-1", "quiet-1", "broken-1"]
    assert out["idAsc"] == [profile.id, "broken-1", "extradition-1", "quiet-1", "reward-1", "sanctions-1"]
    assert out["idDesc"] == list(reversed(out["idAsc"]))
    # ties keep input order: quiet-1/broken-1 (0), reward-1/extradition-1 (1), hostile (2), sanctions-1 (3)
    assert out["mentionsAsc"] == ["quiet-1", "broken-1", "reward-1", "extradition-1", profile.id, "sanctions-1"]
    assert out["text"] == ["reward-1", "extradition-1"]  # "cartel" in their text, any case
    assert sorted(out["action"]) == sorted(["sanctions-1", profile.id])
    assert sorted(out["noDominant"]) == ["broken-1", "quiet-1"]
    assert out["marks"] == 4 and out["imgs"] == 0  # reward-1 (opened at load): 1, sanctions-1: 3
    assert out["count"] == "showing 6 of 6"


@pytest.mark.browser
def test_browser_handles_500_articles_lazily(browser, tmp_path):
    dom, errors = render(browser, tmp_path, report(list(generated(500))))
    assert errors == []
    assert 'data-pc-ready="500"' in dom
    assert dom.count("<tr data-id=") == 500
    assert dom.count('class="pc-detail-row"') == 1  # only the opened article was rendered
    assert 'class="pc-chart pc-timeline"' in dom


@pytest.mark.browser
def test_screenshot_script_writes_a_png(browser, tmp_path):
    shot, _ = browser
    png = tmp_path / "report.png"
    assert shot.main(["--demo", str(tmp_path / "demo.html"), "--out", str(png), "--window-size", "1280,2000"]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


@pytest.mark.browser
def test_browser_bars_show_the_modality_mix_of_mentions(browser, tmp_path, engine):
    """One asserted and three threatened tariff mentions: both shares drawn, the threatened one
    three times as wide; an action only ever ruled out is marked 'negated only'."""
    mixed = ("Canada imposed tariffs on steel. Washington threatened tariffs on lumber. "
             "Officials threatened new tariffs on cars. The minister threatened tariffs on wine.")
    denied = "The government ruled out military action against its neighbour."
    items = [(engine.classify(mixed, id="mixed"), mixed, None), (engine.classify(denied, id="denied"), denied, None)]
    assert items[0][0].actions["tariffs"].modality == {"asserted": 1, "threatened": 3}
    dom, errors = render(browser, tmp_path, report(items, actions=list(engine.actions)))
    assert errors == []
    widths = dict(re.findall(r'<div class="pc-bar" data-modality="(\w+)" style="width:([\d.]+)%', dom))
    assert float(widths["threatened"]) == pytest.approx(3 * float(widths["asserted"]), rel=0.01)
    assert "(negated only)" in dom and "Mentions per action type, by modality" in dom
