
(function () {
  "use strict";
  var MOD = ["asserted", "threatened", "negated", "other"];
  var MOD_COLORS = {asserted: "#2e7d32", threatened: "#ef8c00", negated: "#9aa3ad", other: "#7e57c2"};
  var FALLBACK = ["#1f6fb5", "#d1495b", "#2a9d8f", "#8a5cc2", "#e07a1f", "#4d8c2a", "#c2477f", "#5d6d7e"];
  var SVGNS = "http://www.w3.org/2000/svg";
  var T = {START: 0, END: 1, ACTION: 2, RULE: 3, PLUGIN: 4, MOD: 5, CUE: 6, ACTOR: 7, TARGET: 8, AMOUNTS: 9, SCORE: 10};

  window.addEventListener("error", function (e) {
    var box = document.getElementById("pc-js-errors");
    if (box) { box.hidden = false; box.textContent += "Script error: " + e.message + "\n"; }
  });

  function el(tag, props, kids) {
    var n = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") n.textContent = props[k];
      else if (k === "className" || k === "title" || k === "type" || k === "value" || k === "hidden") n[k] = props[k];
      else n.setAttribute(k, props[k]);
    });
    (kids || []).forEach(function (c) { if (c != null) n.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return n;
  }
  function svg(tag, attrs, text) {
    var n = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text != null) n.textContent = text;
    return n;
  }
  function tip(node, text) { node.appendChild(svg("title", {}, text)); return node; }
  function fmt(n) { return typeof n === "number" ? n.toLocaleString("en-US", {maximumFractionDigits: 2}) : String(n); }
  function sum(obj) { return Object.keys(obj || {}).reduce(function (a, k) { return a + obj[k]; }, 0); }

  function main() {
    var records = Array.prototype.map.call(document.querySelectorAll("script.pc-rec"), function (n) { return JSON.parse(n.textContent); });
    var node = document.getElementById("pc-summary");
    var summary = node ? JSON.parse(node.textContent) : null;
    var colors = (summary && summary.colors) || {};
    var next = Object.keys(colors).length;
    function color(a) { if (!colors[a]) colors[a] = FALLBACK[next++ % FALLBACK.length]; return colors[a]; }
    overview(summary, records, color);
    list(records, color, summary);
    document.documentElement.setAttribute("data-pc-ready", String(records.length));
  }

  // -- overview ---------------------------------------------------------------------------
  function overview(s, records, color) {
    var root = document.getElementById("pc-overview");
    if (!s) { root.appendChild(el("p", {className: "pc-err", text: "This report is incomplete (the run did not finish): " + records.length + " articles, no overview."})); return; }
    var cards = [[s.records, "records"], [s.articles, "articles profiled"], [s.with_actions, "with policy actions"], [s.error_records, "failed records"]];
    root.appendChild(el("div", {className: "pc-cards"}, cards.map(function (c) { return el("div", {className: "pc-card"}, [el("b", {text: fmt(c[0])}), el("span", {text: c[1]})]); })));
    var grid = el("div", {className: "pc-grid"});
    root.appendChild(grid);
    var names = Object.keys(s.actions);
    var box = el("div", {}, [el("h3", {text: "Mentions per action type, by modality"})]);
    box.appendChild(legend(MOD.map(function (m) { return [m, MOD_COLORS[m]]; })));
    box.appendChild(names.length ? actionChart(s.actions, names, color) : el("p", {className: "pc-note", text: "No policy actions found."}));
    grid.appendChild(box);
    var series = s.dates && s.dates.series || [];
    if (series.length) {
      var tl = el("div", {}, [el("h3", {text: "Articles per " + s.dates.bucket + ", by dominant action" + (s.dates.undated ? " (" + s.dates.undated + " undated)" : "")})]);
      tl.appendChild(legend(names.map(function (a) { return [a, color(a)]; }).concat([["none", "#d5dae0"]])));
      tl.appendChild(timeline(series, names, color));
      grid.appendChild(tl);
    }
    if (names.length) root.appendChild(facts(s.actions, names, color));
  }

  function legend(items) {
    return el("div", {className: "pc-legend"}, items.map(function (i) { return el("span", {}, [el("span", {className: "pc-sw", style: "background:" + i[1]}), i[0]]); }));
  }

  function plural(n, word) { return fmt(n) + " " + word + (n === 1 ? "" : "s"); }

  // One bar per action, as long as its mentions, split by the modality of each mention: a
  // threatened or denied share stays visible beside an asserted one (a bar coloured by each
  // article's strongest modality showed all green as soon as one mention was asserted).
  function actionChart(actions, names, color) {
    var max = Math.max.apply(null, names.map(function (a) { return actions[a].mentions; })) || 1;
    var chart = el("div", {className: "pc-action-chart", role: "img", "aria-label": "Mentions per action type, by modality"});
    names.forEach(function (a) {
      var st = actions[a], track = el("div", {className: "pc-track"});
      var kinds = MOD.concat(Object.keys(st.modality).filter(function (m) { return MOD.indexOf(m) < 0; }));
      kinds.forEach(function (m) {
        var n = st.modality[m] || 0; if (!n) return;
        track.appendChild(el("div", {className: "pc-bar", "data-modality": m, style: "width:" + (n / max * 100).toFixed(2) + "%;background:" + (MOD_COLORS[m] || "#777"), title: a + ": " + plural(n, "mention") + " " + m}));
      });
      var negatedOnly = Object.keys(st.modality).every(function (m) { return m === "negated" || !st.modality[m]; });
      var label = [el("span", {className: "pc-sw", style: "background:" + color(a)}), a];
      if (negatedOnly) label.push(el("span", {className: "pc-negated-only", title: "every mention is negated (ruled out, refused, denied)", text: " (negated only)"}));
      var mix = kinds.filter(function (m) { return st.modality[m]; }).map(function (m) { return m + " " + st.modality[m]; }).join(", ");
      chart.appendChild(el("div", {className: "pc-bar-row" + (negatedOnly ? " pc-negated" : "")}, [
        el("span", {className: "pc-bar-label"}, label),
        track,
        el("span", {className: "pc-bar-count", title: "mentions: " + mix, text: plural(st.articles, "article") + ", " + plural(st.mentions, "mention")})
      ]));
    });
    return chart;
  }

  function timeline(series, names, color) {
    var width = 820, height = 220, left = 40, bottom = 40, top = 10;
    var max = Math.max.apply(null, series.map(function (p) { return p.articles; })) || 1;
    var step = (width - left - 10) / series.length, bw = Math.min(48, Math.max(2, step * 0.8)), plotH = height - bottom - top;
    var chart = svg("svg", {"class": "pc-chart pc-timeline", viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "Articles over time"});
    chart.appendChild(svg("line", {x1: left, y1: top + plotH, x2: width - 5, y2: top + plotH, stroke: "#999"}));
    chart.appendChild(svg("text", {x: 2, y: top + 10}, String(max)));
    chart.appendChild(svg("text", {x: 2, y: top + plotH}, "0"));
    var every = Math.ceil(series.length / 7);
    series.forEach(function (p, i) {
      var x = left + i * step + (step - bw) / 2, y = top + plotH, none = p.articles;
      names.concat(Object.keys(p.dominant || {}).filter(function (a) { return names.indexOf(a) < 0; })).forEach(function (a) {
        var n = (p.dominant || {})[a] || 0; if (!n) return;
        var hh = n / max * plotH; y -= hh; none -= n;
        chart.appendChild(tip(svg("rect", {"class": "pc-bar", x: x, y: y, width: bw, height: hh, fill: color(a)}), p.date + ": " + n + " " + a));
      });
      if (none > 0) { var hn = none / max * plotH; y -= hn; chart.appendChild(tip(svg("rect", {x: x, y: y, width: bw, height: hn, fill: "#d5dae0"}), p.date + ": " + none + " without actions")); }
      if (i % every === 0) {
        var mid = Math.min(Math.max(x + bw / 2, left + 32), width - 36);
        chart.appendChild(svg("text", {x: mid, y: height - bottom + 16, "font-size": 11, "text-anchor": "middle"}, p.date));
      }
    });
    return chart;
  }

  function facts(actions, names, color) {
    var wrap = el("div", {className: "pc-facts"});
    names.forEach(function (a) {
      var st = actions[a], items = [];
      function names_of(list) { return list.map(function (x) { return x.name + " (" + x.articles + ")"; }).join("; "); }
      if (st.actors.length) items.push(el("li", {text: "actors: " + names_of(st.actors.slice(0, 5))}));
      if (st.targets.length) items.push(el("li", {text: "targets: " + names_of(st.targets.slice(0, 5))}));
      st.pairs.slice(0, 3).forEach(function (p) { items.push(el("li", {text: p.actor + " \u2192 " + p.target + " (" + p.articles + ")"})); });
      Object.keys(st.amounts.totals).forEach(function (u) { items.push(el("li", {text: "total: " + fmt(st.amounts.totals[u]) + " " + u})); });
      if (st.amounts.rates.length) items.push(el("li", {text: "rates seen: " + st.amounts.rates.map(function (r) { return fmt(r) + "%"; }).join(", ")}));
      if (!items.length) items.push(el("li", {className: "pc-note", text: "no actors or figures found"}));
      wrap.appendChild(el("div", {className: "pc-fact", style: "border-left-color:" + color(a)}, [el("b", {text: a}), el("ul", {}, items)]));
    });
    return wrap;
  }

  // -- article list -----------------------------------------------------------------------
  var COLS = [
    ["id", "ID", function (r) { return r.id == null ? "" : String(r.id); }],
    ["date", "Date", function (r) { return r.date || ""; }],
    ["lang", "Lang", function (r) { return r.lang || ""; }],
    ["dominant", "Dominant", function (r) { return r.dominant || ""; }],
    ["actions", "Actions", function (r) { return Object.keys(r.actions || {}).length; }],
    ["mentions", "Mentions", function (r) { return Object.keys(r.actions || {}).reduce(function (a, k) { return a + r.actions[k].n; }, 0); }],
    ["score", "Score", function (r) { return Object.keys(r.actions || {}).reduce(function (a, k) { return a + r.actions[k].s; }, 0); }],
    ["errors", "Errors", function (r) { return (r.error ? 1 : 0) + (r.errors || []).length; }]
  ];

  function list(records, color, summary) {
    var root = document.getElementById("pc-articles");
    var hasDate = records.some(function (r) { return r.date; });
    var cols = COLS.filter(function (c) { return hasDate || c[0] !== "date"; });
    var actionNames = Object.keys(summary ? summary.actions : {});
    records.forEach(function (r) { Object.keys(r.actions || {}).forEach(function (a) { if (actionNames.indexOf(a) < 0) actionNames.push(a); }); });
    var search = el("input", {type: "search", placeholder: "Filter: id, actor, target, words in the text\u2026", "aria-label": "Text filter"});
    var dom = select("Dominant", ["(any dominant)"].concat(actionNames, ["(none)"]));
    var act = select("Action", ["(any action)"].concat(actionNames));
    var mod = select("Modality", ["(any modality)"].concat(MOD));
    var errs = el("input", {type: "checkbox", "aria-label": "Only records with errors"});
    var count = el("span", {className: "pc-count"});
    root.appendChild(el("div", {className: "pc-controls"}, [search, dom, act, mod, el("label", {}, [errs, " errors only"]), count]));
    var table = el("table", {className: "pc-list"});
    var tbody = el("tbody");
    var head = el("tr");
    var sortKey = null, sortDir = 1;
    cols.forEach(function (c) {
      var th = el("th", {scope: "col", "data-col": c[0]}, [el("button", {type: "button", text: c[1]})]);
      th.firstChild.addEventListener("click", function () {
        sortDir = sortKey === c[0] ? -sortDir : 1; sortKey = c[0];
        head.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
        sortRows(c[2]);
      });
      head.appendChild(th);
    });
    table.appendChild(el("thead", {}, [head]));
    table.appendChild(tbody);
    root.appendChild(table);
    var rows = records.map(function (r, i) { return row(r, i, cols, color); });
    rows.forEach(function (x) { tbody.appendChild(x.tr); });

    function sortRows(key) {
      var coll = new Intl.Collator(undefined, {numeric: true});
      rows.sort(function (a, b) {
        var x = key(a.rec), y = key(b.rec);
        var c = typeof x === "number" && typeof y === "number" ? x - y : coll.compare(String(x), String(y));
        return (c || a.index - b.index) * sortDir;
      });
      rows.forEach(function (x) { tbody.appendChild(x.tr); if (x.detail) tbody.appendChild(x.detail); });
    }
    function apply() {
      var q = search.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (x) {
        var r = x.rec, ok = true;
        if (q) { if (x.hay == null) x.hay = haystack(r); ok = x.hay.indexOf(q) >= 0; }
        if (ok && dom.selectedIndex > 0) ok = dom.value === "(none)" ? !r.dominant : r.dominant === dom.value;
        if (ok && act.selectedIndex > 0) ok = !!(r.actions && r.actions[act.value]);
        if (ok && mod.selectedIndex > 0) ok = Object.keys(r.actions || {}).some(function (a) { return (r.actions[a].mix || {})[mod.value]; });
        if (ok && errs.checked) ok = !!(r.error || (r.errors || []).length);
        x.tr.hidden = !ok; if (x.detail) x.detail.hidden = !ok || !x.open;
        if (ok) shown++;
      });
      count.textContent = "showing " + shown + " of " + rows.length;
    }
    var timer = null;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
    [dom, act, mod, errs].forEach(function (c) { c.addEventListener("change", apply); });
    apply();
    var first = rows.filter(function (x) { return x.rec.t && x.rec.t.length; })[0];
    if (first) first.toggle();
  }

  function select(label, options) {
    return el("select", {"aria-label": label}, options.map(function (o) { return el("option", {value: o, text: o}); }));
  }

  function haystack(r) {
    var parts = [r.id, r.dominant, r.lang, r.date, r.error].concat(r.errors || [], Object.keys(r.actions || {}));
    Object.keys(r.actions || {}).forEach(function (a) { parts = parts.concat(r.actions[a].actors || [], r.actions[a].targets || []); });
    parts.push(r.x != null ? r.x : (r.ss || []).map(function (s) { return s[1]; }).join(" "));
    return parts.filter(function (p) { return p != null; }).join("\n").toLowerCase();
  }

  function chip(a, info, color) {
    var mix = Object.keys(info.mix || {}).map(function (m) { return m + " " + info.mix[m]; }).join(", ");
    return el("span", {className: "pc-chip pc-m-" + info.m, style: "background:" + color(a), title: a + ": " + info.n + " mentions, score " + info.s + " (" + mix + ")"}, [a + " " + info.n]);
  }

  function row(r, index, cols, color) {
    var x = {rec: r, index: index, open: false, detail: null};
    var tr = el("tr", {"data-id": r.id == null ? "" : String(r.id)});
    cols.forEach(function (c) {
      var k = c[0], td;
      if (k === "id") { var b = el("button", {type: "button", className: "pc-toggle", text: r.id == null ? "(no id)" : String(r.id)}); b.addEventListener("click", function () { x.toggle(); }); td = el("td", {}, [b]); }
      else if (k === "dominant") td = el("td", {}, [r.dominant ? chip(r.dominant, r.actions[r.dominant], color) : el("span", {className: "pc-note", text: r.error ? "error" : "\u2013"})]);
      else if (k === "actions") td = el("td", {}, Object.keys(r.actions || {}).map(function (a) { return chip(a, r.actions[a], color); }));
      else if (k === "errors") td = el("td", {className: r.error || (r.errors || []).length ? "pc-err" : "", text: r.error || (r.errors || []).join("; ")});
      else { var v = c[2](r); td = el("td", {className: typeof v === "number" ? "pc-num" : "", text: typeof v === "number" ? fmt(Math.round(v * 100) / 100) : v}); }
      tr.appendChild(td);
    });
    x.tr = tr;
    x.toggle = function () {
      x.open = !x.open;
      tr.classList.toggle("pc-open", x.open);
      if (!x.detail) {
        x.detail = el("tr", {className: "pc-detail-row"}, [el("td", {colspan: cols.length}, [detail(r, color)])]);
        tr.parentNode.insertBefore(x.detail, tr.nextSibling);
      }
      x.detail.hidden = !x.open;
    };
    return x;
  }

  // -- one article ------------------------------------------------------------------------
  function tagTip(t) {
    var lines = [t[T.ACTION] + " \u00b7 rule " + t[T.RULE] + " \u00b7 plugin " + t[T.PLUGIN] + " \u00b7 score " + t[T.SCORE],
                 "modality: " + t[T.MOD] + (t[T.CUE] ? " (cue: \u201c" + t[T.CUE] + "\u201d)" : "")];
    if (t[T.ACTOR] || t[T.TARGET]) lines.push("actor: " + (t[T.ACTOR] || "\u2013") + " \u2192 target: " + (t[T.TARGET] || "\u2013"));
    if (t[T.AMOUNTS].length) lines.push("amounts: " + t[T.AMOUNTS].join("; "));
    return lines.join("\n");
  }

  function highlighted(parent, text, offset, tags, color) {
    var cuts = [0, text.length], inside = [];
    tags.forEach(function (t) {
      var s = t[T.START] - offset, e = t[T.END] - offset;
      if (s >= 0 && e <= text.length && s < e) { cuts.push(s, e); inside.push(t); }
    });
    cuts = cuts.sort(function (a, b) { return a - b; }).filter(function (c, i, a) { return i === 0 || c !== a[i - 1]; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], piece = text.slice(a, b);
      var over = inside.filter(function (t) { return t[T.START] - offset <= a && t[T.END] - offset >= b; });
      if (!over.length) { parent.appendChild(document.createTextNode(piece)); continue; }
      var c = color(over[0][T.ACTION]);
      var style = "border-bottom-color:" + c + ";background:" + c + "2e";
      if (over.length > 1) style += ";box-shadow:inset 0 -6px 0 " + color(over[1][T.ACTION]) + "55";
      parent.appendChild(el("mark", {className: "pc-hl", "data-action": over[0][T.ACTION], style: style, title: over.map(tagTip).join("\n\n")}, [piece]));
    }
  }

  function spanText(r, t) {
    if (r.x != null) return r.x.slice(t[T.START], t[T.END]);
    var s = (r.ss || []).filter(function (s) { return s[0] <= t[T.START] && t[T.END] <= s[0] + s[1].length; })[0];
    return s ? s[1].slice(t[T.START] - s[0], t[T.END] - s[0]) : "";
  }

  function detail(r, color) {
    var box = el("div", {className: "pc-detail"});
    if (r.error) { box.appendChild(el("p", {className: "pc-err", text: "This record could not be profiled: " + r.error})); return box; }
    var tags = r.t || [], body = el("div", {className: "pc-text"});
    if (r.x != null) highlighted(body, r.x, 0, tags, color);
    else {
      (r.ss || []).forEach(function (s) { var p = el("p"); highlighted(p, s[1], s[0], tags, color); body.appendChild(p); });
      if (!(r.ss || []).length) body.appendChild(el("span", {className: "pc-note", text: "No tagged sentences."}));
    }
    if (r.x == null) box.appendChild(el("p", {className: "pc-note", text: "Full text not included in this report: tagged sentences only."}));
    box.appendChild(body);
    (r.errors || []).forEach(function (e) { box.appendChild(el("p", {className: "pc-err", text: "\u26a0 " + e})); });
    if (tags.length) {
      var ev = el("table", {className: "pc-evidence"}, [el("tr", {}, ["action", "matched", "modality", "actor \u2192 target", "amounts", "rule"].map(function (h) { return el("th", {text: h}); }))]);
      tags.forEach(function (t) {
        ev.appendChild(el("tr", {}, [
          el("td", {}, [el("span", {className: "pc-sw", style: "background:" + color(t[T.ACTION])}), t[T.ACTION]]),
          el("td", {text: spanText(r, t) || "\u2013"}),
          el("td", {text: t[T.MOD] + (t[T.CUE] ? " (" + t[T.CUE] + ")" : "")}),
          el("td", {text: (t[T.ACTOR] || "\u2013") + " \u2192 " + (t[T.TARGET] || "\u2013")}),
          el("td", {text: t[T.AMOUNTS].join("; ")}),
          el("td", {text: t[T.RULE]})
        ]));
      });
      box.appendChild(ev);
    }
    return box;
  }

  document.addEventListener("DOMContentLoaded", main);
})();
