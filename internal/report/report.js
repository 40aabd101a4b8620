"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fmt(v) {
    return Math.abs(v) >= 1000 ? v.toLocaleString("en", { maximumFractionDigits: 0 }) : v.toLocaleString("en", { maximumFractionDigits: 2 });
  }

  // bars draws one bar per item: label(i) under it, value(i) its height, tip(i) its tooltip.
  function bars(container, n, value, label, tip) {
    const W = 1000, H = 240, left = 50, bottom = 30, top = 10;
    const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img" });
    let hi = 0;
    for (let i = 0; i < n; i++) hi = Math.max(hi, value(i));
    if (hi <= 0) hi = 1;
    const bw = (W - left) / n;
    s.appendChild(svg("line", { class: "axis", x1: left, y1: H - bottom, x2: W, y2: H - bottom }));
    s.appendChild(svg("text", { x: left - 6, y: top + 10, "text-anchor": "end" }, fmt(hi)));
    s.appendChild(svg("text", { x: left - 6, y: H - bottom, "text-anchor": "end" }, "0"));
    const every = Math.max(1, Math.ceil(n / 12));
    for (let i = 0; i < n; i++) {
      const h = (value(i) / hi) * (H - bottom - top);
      const r = svg("rect", { class: "bar", x: left + i * bw + bw * 0.1, y: H - bottom - h, width: Math.max(bw * 0.8, 1), height: Math.max(h, 0) });
      r.appendChild(svg("title", {}, tip(i)));
      s.appendChild(r);
      if (i % every === 0) s.appendChild(svg("text", { x: left + i * bw + bw / 2, y: H - bottom + 16, "text-anchor": "middle" }, label(i)));
    }
    container.appendChild(s);
    container.dataset.drawn = String(n);
  }

  function empty(container, text) {
    container.appendChild(el("p", { class: "empty" }, text));
  }

  function perDay(days) {
    const c = document.getElementById("per-day");
    if (!days || days.length === 0) return empty(c, "No predictions yet: run pltv backfill or pltv demo.");
    const total = days.reduce((a, d) => a + d.count, 0), value = days.reduce((a, d) => a + d.value, 0);
    c.appendChild(el("p", {}, `${fmt(total)} predictions over ${days.length} dates, ${fmt(value)} of predicted value.`));
    bars(c, days.length, (i) => days[i].count, (i) => days[i].date.slice(4),
      (i) => `${days[i].date}: ${days[i].count} predictions, ${fmt(days[i].value)} predicted value`);
  }

  function distribution(bins) {
    const c = document.getElementById("distribution");
    if (!bins || bins.length === 0) return empty(c, "No predicted values yet.");
    bars(c, bins.length, (i) => bins[i].count, (i) => fmt(bins[i].from),
      (i) => `${fmt(bins[i].from)} to ${fmt(bins[i].to)}: ${bins[i].count} customers`);
  }

  // flatten turns nested metrics into rows of a dotted key and a value.
  function flatten(v, prefix, out) {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const k of Object.keys(v)) flatten(v[k], prefix ? prefix + "." + k : k, out);
    } else if (Array.isArray(v)) {
      out.push([prefix, v.length + " values"]);
    } else {
      out.push([prefix, typeof v === "number" ? fmt(v) : String(v)]);
    }
    return out;
  }

  function evaluation(ev) {
    const c = document.getElementById("eval");
    if (!ev) return empty(c, "The evaluation has not run: pltv evaluate writes its charts and metrics here.");
    for (const ch of ev.charts || []) {
      const fig = el("figure", {});
      fig.appendChild(el("img", { src: "data:image/png;base64," + ch.png, alt: ch.name, class: "eval-chart" }));
      fig.appendChild(el("figcaption", {}, ch.name));
      c.appendChild(fig);
    }
    if (ev.metrics) {
      const t = el("table", { id: "metrics" });
      for (const [k, v] of flatten(ev.metrics, "", [])) {
        const tr = el("tr", {});
        tr.appendChild(el("th", {}, k));
        tr.appendChild(el("td", {}, v));
        t.appendChild(tr);
      }
      c.appendChild(t);
    }
  }

  function grid(stages, rows) {
    const c = document.getElementById("grid");
    if (!rows || rows.length === 0) return empty(c, "No date has run yet.");
    const t = el("table", {});
    const head = el("tr", {});
    head.appendChild(el("th", {}, "date"));
    for (const s of stages) head.appendChild(el("th", {}, s));
    t.appendChild(head);
    for (const r of rows) {
      const tr = el("tr", {});
      tr.appendChild(el("td", {}, r.date));
      r.cells.forEach((cell, i) => {
        const td = el("td", { class: "cell " + cell.state, title: `${r.date} ${stages[i]}: ${cell.state}${cell.error ? ": " + cell.error : ""}` },
          cell.state === "rows" ? fmt(cell.rows) : cell.state);
        tr.appendChild(td);
      });
      t.appendChild(tr);
    }
    c.appendChild(t);
    c.dataset.drawn = String(rows.length);
  }

  function execs(list) {
    const c = document.getElementById("executions");
    if (!list || list.length === 0) return empty(c, "No workflow has run yet.");
    const t = el("table", {});
    const head = el("tr", {});
    for (const h of ["started", "workflow", "argument", "state", "steps", "seconds", "error"]) head.appendChild(el("th", {}, h));
    t.appendChild(head);
    for (const x of list) {
      const tr = el("tr", { class: x.state });
      for (const v of [new Date(x.start).toISOString().replace("T", " ").slice(0, 19), x.workflow, x.argument, x.state, x.steps, x.seconds.toFixed(1), x.error || ""]) {
        tr.appendChild(el("td", {}, String(v)));
      }
      t.appendChild(tr);
    }
    c.appendChild(t);
  }

  document.getElementById("generated").textContent = "Generated " + new Date(DATA.generated).toISOString().replace("T", " ").slice(0, 19) + " UTC";
  perDay(DATA.days);
  distribution(DATA.histogram);
  evaluation(DATA.eval);
  grid(DATA.stages, DATA.grid);
  execs(DATA.executions);
})();
