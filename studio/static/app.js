// strand studio: the page. The text in the editor is the single source of
// truth; everything else is drawn from the server's answers about it.
"use strict";

const $ = (id) => document.getElementById(id);
const editor = $("editor");
const backdrop = $("backdrop");
const canvas = $("canvas");
const viewport = $("viewport");

const state = {
  analysis: null,   // the last /api/analyze answer shown
  current: 0,       // index of the current statement
  uploads: {},      // tensor name → {b64, shape}
  seq: 0,           // request counter: late answers are dropped
  shown: 0,         // seq of the analysis on screen
  edits: 0,         // changes of the text so far
  drawn: 0,         // edits reflected by the analysis on screen
  evalSeq: 0,
  view: null,       // zoom and pan of the diagram canvas
  term: 0,          // contraction term shown
  examples: [],
  // Keystroke-to-render latencies in ms, for the browser test and the curious.
  latencies: [],
};
window.strandStudio = state;
const defaultView = { scale: 1.5, x: 0, y: 0 };
state.view = { ...defaultView };

// ---- server calls ----------------------------------------------------------

async function api(path, body) {
  const resp = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Strand": "1" },
    body: JSON.stringify(body),
  });
  const type = resp.headers.get("Content-Type") || "";
  if (!resp.ok) {
    let msg = resp.status + " " + resp.statusText;
    if (type.startsWith("application/json")) msg = (await resp.json()).error || msg;
    throw new Error(msg);
  }
  return type.startsWith("application/json") && !resp.headers.get("Content-Disposition") ? resp.json() : resp;
}

function shapes() {
  const out = {};
  for (const [name, u] of Object.entries(state.uploads)) if (u.shape) out[name] = u.shape;
  return out;
}

function status(msg, bad) {
  const el = $("status");
  el.textContent = msg;
  el.classList.toggle("bad", !!bad);
}

// ---- the editor ------------------------------------------------------------

let timer = 0;
let lastKey = 0; // time of the last edit not yet drawn
let lastLength = 0; // the text's length when its marks were placed

editor.addEventListener("input", () => {
  state.edits++;
  lastKey = performance.now();
  clearTimeout(timer);
  timer = setTimeout(analyze, 25);
  // Until the new analysis arrives, marks after the edit move with the text.
  const delta = editor.value.length - lastLength;
  const at = editor.selectionStart - Math.max(delta, 0);
  if (state.analysis) for (const e of state.analysis.errors) if (e.offset >= at) e.offset = Math.max(at, e.offset + delta);
  syncBackdrop();
});
editor.addEventListener("scroll", () => { backdrop.scrollTop = editor.scrollTop; placeBubble(); });
for (const ev of ["click", "keyup", "select"]) editor.addEventListener(ev, pickCurrentFromCaret);

function setText(text) {
  state.edits++;
  editor.value = text;
  lastKey = performance.now();
  analyze();
}

async function analyze() {
  const seq = ++state.seq;
  const text = editor.value;
  const edits = state.edits;
  const since = lastKey;
  lastKey = 0;
  let a;
  try {
    a = await api("/api/analyze", { text, shapes: shapes() });
  } catch (e) {
    if (seq === state.seq) status(e.message, true);
    return;
  }
  if (seq < state.shown || text !== editor.value) return;
  state.shown = seq;
  state.analysis = a;
  render(a);
  state.drawn = edits;
  if (since) {
    const ms = performance.now() - since;
    state.latencies.push(ms);
    status(`rendered ${ms.toFixed(0)} ms after the last keystroke`);
  }
  scheduleEval();
}

function escapeHTML(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// syncBackdrop redraws the error marks under the text.
function syncBackdrop() {
  const text = editor.value;
  lastLength = text.length;
  const a = state.analysis;
  const marks = [];
  if (a && a.errors) {
    a.errors.forEach((e, i) => { if (e.offset >= 0 && e.offset <= text.length) marks.push({ at: e.offset, err: e, i }); });
  }
  marks.sort((p, q) => p.at - q.at);
  let html = "";
  let pos = 0;
  for (const m of marks) {
    if (m.at < pos) continue;
    html += escapeHTML(text.slice(pos, m.at));
    const cp = text.codePointAt(m.at);
    const ch = cp === undefined ? "" : String.fromCodePoint(cp);
    const eol = ch === "" || ch === "\n";
    html += `<mark class="err${eol ? " eol" : ""}" data-line="${m.err.line}" data-col="${m.err.col}" data-i="${m.i}">${eol ? "" : escapeHTML(ch)}</mark>`;
    pos = m.at + (eol ? 0 : ch.length);
  }
  html += escapeHTML(text.slice(pos)) + "\n";
  backdrop.innerHTML = html;
  backdrop.scrollTop = editor.scrollTop;
  placeBubble();
}

// placeBubble shows the first error's message just under its mark.
function placeBubble() {
  const bubble = $("error-bubble");
  const mark = backdrop.querySelector("mark.err");
  const a = state.analysis;
  if (!mark || !a || !a.errors.length) { bubble.hidden = true; return; }
  const e = a.errors[+mark.dataset.i];
  const wrap = $("editor-wrap").getBoundingClientRect();
  const r = mark.getBoundingClientRect();
  bubble.textContent = e.msg;
  bubble.hidden = false;
  bubble.style.left = Math.max(0, Math.min(r.left - wrap.left, wrap.width - bubble.offsetWidth - 4)) + "px";
  bubble.style.top = (r.bottom - wrap.top + 3) + "px";
}

function showErrors(a) {
  const list = $("errors");
  list.innerHTML = "";
  for (const e of a.errors) {
    const li = document.createElement("li");
    li.innerHTML = (e.line ? `<span class="where">${e.line}:${e.col}</span>` : "") + escapeHTML(e.msg);
    if (e.offset >= 0) li.addEventListener("click", () => { editor.focus(); editor.setSelectionRange(e.offset, e.offset); });
    list.appendChild(li);
  }
  const assumed = Object.entries(a.assumed || {});
  $("assumed").textContent = assumed.length
    ? "sizes not declared, taken as " + assumed.map(([k, v]) => `${k}=${v}`).join(" ") + " (declare them with a dim line)"
    : "";
  $("form").textContent = a.form;
}

// ---- the diagram -----------------------------------------------------------

function render(a) {
  $("hover").hidden = true;
  $("results").classList.add("stale");
  showErrors(a);
  syncBackdrop();
  canvas.innerHTML = "";
  if (a.errors.length && !a.statements.length) {
    canvas.innerHTML = `<p class="note">The diagram returns when the text parses.</p>`;
  } else if (!a.statements.length) {
    canvas.innerHTML = `<p class="note">${escapeHTML(a.note || "Nothing to draw.")}</p>`;
  }
  for (const st of a.statements) {
    const fig = document.createElement("figure");
    fig.dataset.index = st.index;
    const cap = document.createElement("figcaption");
    cap.textContent = `line ${st.line}  ${st.source}`;
    fig.appendChild(cap);
    if (st.error) {
      const p = document.createElement("div");
      p.className = "draw-error";
      p.textContent = st.error.msg;
      fig.appendChild(p);
    } else {
      const holder = document.createElement("div");
      holder.innerHTML = st.svg;
      const svg = holder.querySelector("svg");
      fig.appendChild(svg);
      addHitAreas(svg);
      const byID = new Map(st.nodes.map((n) => [n.id, n]));
      svg.querySelectorAll("g.tensor").forEach((g) => {
        const n = byID.get(g.dataset.id);
        if (!n || !n.pinnable || a.form !== "program") g.classList.add("fixed");
      });
    }
    fig.addEventListener("pointerdown", () => selectStatement(st.index));
    canvas.appendChild(fig);
  }
  pickCurrentFromCaret();
  showStatement();
}

// addHitAreas lays a wide transparent copy of every wire and free leg
// under the tensors, so that a thin leg is easy to point at.
function addHitAreas(svg) {
  const g = document.createElementNS("http://www.w3.org/2000/svg", "g");
  g.setAttribute("class", "hits");
  svg.querySelectorAll("path.wire, path.stub").forEach((p) => {
    const h = document.createElementNS("http://www.w3.org/2000/svg", "path");
    h.setAttribute("d", p.getAttribute("d"));
    h.setAttribute("class", "hit");
    h.dataset.leg = p.dataset.leg;
    if (p.classList.contains("stub")) h.dataset.free = "1";
    g.appendChild(h);
  });
  const tensors = svg.querySelector("g.tensors");
  svg.insertBefore(g, tensors);
}

// selectStatement makes a statement current: its figure framed, its
// contraction shown and its diagram the one exported.
function selectStatement(i) {
  const a = state.analysis;
  if (!a || !a.statements.length) return;
  i = Math.max(0, Math.min(i, a.statements.length - 1));
  if (i !== state.current) {
    state.current = i;
    state.term = 0;
  }
  showStatement();
}

function pickCurrentFromCaret() {
  const a = state.analysis;
  if (!a || !a.statements.length) return;
  const caret = editor.selectionStart;
  let cur = 0;
  a.statements.forEach((st, i) => { if (st.offset <= caret) cur = i; });
  if (cur !== state.current) {
    state.current = cur;
    state.term = 0;
    showStatement();
  }
}

function currentStatement() {
  const a = state.analysis;
  return a && a.statements.length ? a.statements[Math.min(state.current, a.statements.length - 1)] : null;
}

function showStatement() {
  canvas.querySelectorAll("figure").forEach((f) => f.classList.toggle("current", +f.dataset.index === state.current));
  showContraction();
}

function applyView() {
  const v = state.view;
  canvas.style.transform = `translate(${v.x}px, ${v.y}px) scale(${v.scale})`;
}

viewport.addEventListener("wheel", (e) => {
  e.preventDefault();
  const v = state.view;
  const r = viewport.getBoundingClientRect();
  const px = e.clientX - r.left, py = e.clientY - r.top;
  const k = Math.exp(-e.deltaY * 0.0015);
  const scale = Math.max(0.2, Math.min(8, v.scale * k));
  v.x = px - (px - v.x) * (scale / v.scale);
  v.y = py - (py - v.y) * (scale / v.scale);
  v.scale = scale;
  applyView();
}, { passive: false });

$("fit").addEventListener("click", () => { state.view = { ...defaultView }; applyView(); });

// Dragging: a tensor is moved in its SVG and, when dropped, its pin is
// written into the text by the server; the background pans the view.
let drag = null;

viewport.addEventListener("pointerdown", (e) => {
  if (e.button !== 0) return;
  const g = e.target.closest("g.tensor");
  const fig = e.target.closest("figure");
  if (g && fig && !g.classList.contains("fixed")) {
    const svg = g.ownerSVGElement;
    drag = { kind: "tensor", g, svg, fig, id: g.dataset.id, start: svgPoint(svg, e), dx: 0, dy: 0 };
    g.classList.add("dragging");
  } else {
    drag = { kind: "pan", x: e.clientX, y: e.clientY, vx: state.view.x, vy: state.view.y };
    viewport.classList.add("panning");
  }
  viewport.setPointerCapture(e.pointerId);
});

viewport.addEventListener("pointermove", (e) => {
  if (!drag) { hover(e); return; }
  if (drag.kind === "pan") {
    state.view.x = drag.vx + e.clientX - drag.x;
    state.view.y = drag.vy + e.clientY - drag.y;
    applyView();
    return;
  }
  const p = svgPoint(drag.svg, e);
  drag.dx = p.x - drag.start.x;
  drag.dy = p.y - drag.start.y;
  drag.g.setAttribute("transform", `translate(${drag.dx} ${drag.dy})`);
});

viewport.addEventListener("pointercancel", () => {
  if (drag && drag.kind === "tensor") drag.g.removeAttribute("transform");
  drag = null;
  viewport.classList.remove("panning");
});

viewport.addEventListener("pointerup", async (e) => {
  const d = drag;
  drag = null;
  viewport.classList.remove("panning");
  if (!d || d.kind !== "tensor") return;
  d.g.classList.remove("dragging");
  if (Math.hypot(d.dx, d.dy) < 2) { d.g.removeAttribute("transform"); return; }
  const st = state.analysis.statements.find((s) => s.index === +d.fig.dataset.index);
  const n = st && st.nodes.find((x) => x.id === d.id);
  if (!n) return;
  try {
    const r = await api("/api/move", {
      text: editor.value, shapes: shapes(), statement: st.index, node: n.id, x: n.x + d.dx, y: n.y + d.dy,
    });
    setText(r.text);
    // The caret goes to the end of the statement moved in, which keeps it
    // current.
    editor.setSelectionRange(r.end, r.end);
    status(`pinned ${n.name}`);
  } catch (err) {
    d.g.removeAttribute("transform");
    status(err.message, true);
  }
});

function svgPoint(svg, e) {
  const m = svg.getScreenCTM().inverse();
  const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(m);
  return { x: p.x, y: p.y };
}

// hover shows a tensor's name, kind and shape, or a leg's name and size.
function hover(e) {
  const box = $("hover");
  const fig = e.target.closest && e.target.closest("figure");
  const a = state.analysis;
  const st = fig && a && a.statements.find((s) => s.index === +fig.dataset.index);
  let text = "";
  if (st) {
    const g = e.target.closest("g.tensor");
    const leg = e.target.closest("path.hit");
    if (g) {
      const n = st.nodes.find((x) => x.id === g.dataset.id);
      if (n) {
        text = `${n.name}  ${n.kind}${n.bubble ? "  (inside a bubble)" : ""}\nshape (${n.shape.join(", ")})` +
          (n.legs.length ? "\nlegs " + n.legs.map((l) => `${l.name}=${l.size}`).join(" ") : "") +
          (n.pin ? `\npinned at (${n.pin.x}, ${n.pin.y})` : "");
      } else {
        const t = g.querySelector("title");
        text = t ? t.textContent : "";
      }
    } else if (leg) {
      const name = leg.dataset.leg;
      const size = st.legs[name];
      text = `leg ${name}` + (size !== undefined ? `  size ${size}` : "") + (leg.dataset.free ? "  (free)" : "");
    }
  }
  if (!text) { box.hidden = true; return; }
  box.textContent = text;
  box.hidden = false;
  const r = $("diagram-pane").getBoundingClientRect();
  box.style.left = Math.min(e.clientX - r.left + 14, r.width - box.offsetWidth - 4) + "px";
  box.style.top = (e.clientY - r.top + 14) + "px";
}
viewport.addEventListener("pointerleave", () => { $("hover").hidden = true; });

// ---- the contraction pane --------------------------------------------------

function showContraction() {
  const st = currentStatement();
  const table = $("path-table");
  const summary = $("path-summary");
  const slider = $("step");
  const termSel = $("term");
  table.innerHTML = "";
  clearHighlight();
  const cs = st && !st.error ? st.contractions : [];
  if (!cs.length) {
    summary.innerHTML = `<span class="muted">${st ? "Nothing to contract: the statement has fewer than two tensors with data." : "No statement."}</span>`;
    slider.max = 0;
    slider.value = 0;
    $("step-label").textContent = "";
    termSel.hidden = true;
    return;
  }
  termSel.hidden = cs.length < 2;
  termSel.innerHTML = cs.map((c, i) => `<option value="${i}">${escapeHTML(c.label)}</option>`).join("");
  state.term = Math.min(state.term, cs.length - 1);
  termSel.value = state.term;
  const c = cs[state.term];
  // Keep the step while the same contraction is redrawn (typing elsewhere).
  const key = c.operands.join(" ") + "|" + c.steps.map((s) => s.expr).join("|");
  if (key !== state.pathKey) slider.value = 0;
  state.pathKey = key;
  summary.innerHTML = `<b>${escapeHTML(c.operands.join(" "))}</b><br>` +
    `${c.steps.length} pairwise steps by <code>${escapeHTML(c.method)}</code>${c.optimal ? " (optimal)" : ""} · ` +
    `${fmtNum(c.flops)} FLOPs · largest intermediate ${fmtNum(c.largest)} elements · ` +
    `naive ${fmtNum(c.naive)} FLOPs (speed-up ${c.speedup.toPrecision(3)}×)`;
  table.innerHTML = `<tr><th>step</th><th>contract</th><th>sum over</th><th class="num">FLOPs</th><th class="num">size</th></tr>` +
    c.steps.map((s, i) => `<tr data-step="${i + 1}"><td>${i + 1}</td><td><code>${escapeHTML(s.expr)}</code></td>` +
      `<td><code>${escapeHTML(s.contracted.join(" ") || "—")}</code></td><td class="num">${fmtNum(s.flops)}</td>` +
      `<td class="num">${fmtNum(s.size)}</td></tr>`).join("");
  table.querySelectorAll("tr[data-step]").forEach((tr) => tr.addEventListener("click", () => {
    slider.value = tr.dataset.step;
    highlightStep();
  }));
  slider.max = c.steps.length;
  slider.value = Math.min(+slider.value, c.steps.length);
  highlightStep();
}

function fmtNum(s) {
  const n = Number(s);
  if (!isFinite(n)) return s;
  return n < 1e6 ? n.toLocaleString("en") : n.toExponential(2);
}

function clearHighlight() {
  canvas.querySelectorAll(".hl-a, .hl-b, .hl-done, .hl-wire").forEach((el) => el.classList.remove("hl-a", "hl-b", "hl-done", "hl-wire"));
}

// highlightStep colours the two sides of step k on the diagram (pink and
// blue), greys the tensors contracted before, and marks the summed legs.
function highlightStep() {
  clearHighlight();
  const st = currentStatement();
  const k = +$("step").value;
  const rows = $("path-table").querySelectorAll("tr[data-step]");
  rows.forEach((tr) => tr.classList.toggle("active", +tr.dataset.step === k));
  if (!st || !st.contractions.length || k === 0) { $("step-label").textContent = ""; return; }
  const c = st.contractions[state.term];
  const s = c.steps[k - 1];
  $("step-label").textContent = `${k} / ${c.steps.length}: ${s.expr}`;
  const fig = canvas.querySelector(`figure[data-index="${st.index}"]`);
  if (!fig) return;
  const mark = (ids, cls) => ids.forEach((id) => {
    const g = fig.querySelector(`g.tensor[data-id="${CSS.escape(id)}"]`);
    if (g) g.classList.add(cls);
  });
  for (let i = 0; i < k - 1; i++) { mark(c.steps[i].a, "hl-done"); mark(c.steps[i].b, "hl-done"); }
  fig.querySelectorAll(".hl-done").forEach((g) => {
    if (s.a.includes(g.dataset.id) || s.b.includes(g.dataset.id)) g.classList.remove("hl-done");
  });
  mark(s.a, "hl-a");
  mark(s.b, "hl-b");
  for (const leg of s.contracted) {
    fig.querySelectorAll(`path.wire[data-leg="${CSS.escape(leg)}"]`).forEach((p) => p.classList.add("hl-wire"));
  }
}

$("step").addEventListener("input", highlightStep);
$("term").addEventListener("change", () => { state.term = +$("term").value; $("step").value = 0; showContraction(); });

// ---- the numbers pane ------------------------------------------------------

let evalTimer = 0;
function scheduleEval() {
  clearTimeout(evalTimer);
  const a = state.analysis;
  if (!a || a.errors.length || !a.statements.length) {
    $("results").innerHTML = a && a.note ? `<span class="muted">${escapeHTML(a.note)}</span>` : "";
    $("inputs").innerHTML = "";
    return;
  }
  evalTimer = setTimeout(evaluate, 120);
}

async function evaluate() {
  const seq = ++state.evalSeq;
  const inputs = {};
  for (const [name, u] of Object.entries(state.uploads)) inputs[name] = u.b64;
  const seed = Math.max(0, Math.floor(+$("seed").value || 0));
  let r;
  try {
    r = await api("/api/eval", { text: editor.value, seed, inputs });
  } catch (e) {
    if (seq === state.evalSeq) {
      $("results").innerHTML = `<div class="bad">${escapeHTML(e.message)}</div>`;
    }
    return;
  }
  if (seq !== state.evalSeq) return;
  $("results").classList.remove("stale");
  let reshaped = false;
  for (const inp of r.inputs) {
    const u = state.uploads[inp.name];
    if (u && inp.source === "uploaded" && String(u.shape) !== String(inp.shape)) { u.shape = inp.shape; reshaped = true; }
  }
  showNumbers(r);
  if (reshaped) analyze();
}

function showNumbers(r) {
  const rows = r.inputs.map((inp) => `<tr><td><code>${escapeHTML(inp.name)}</code></td><td>${inp.kind}</td>` +
    `<td>(${inp.shape.join(", ")})</td><td>${inp.source === "uploaded" ? "uploaded .npy" : "random, seed " + r.seed}</td>` +
    `<td><button data-upload="${escapeHTML(inp.name)}">upload .npy</button>` +
    (inp.source === "uploaded" ? ` <button data-clear="${escapeHTML(inp.name)}">use random</button>` : "") + `</td></tr>`);
  $("inputs").innerHTML = r.inputs.length ? `<table>${rows.join("")}</table>` : "";
  $("inputs").querySelectorAll("button[data-upload]").forEach((b) => b.addEventListener("click", () => upload(b.dataset.upload)));
  $("inputs").querySelectorAll("button[data-clear]").forEach((b) => b.addEventListener("click", () => {
    delete state.uploads[b.dataset.clear];
    analyze();
  }));
  const out = [];
  for (const e of r.errors) out.push(`<div class="bad">${e.line ? `line ${e.line}:${e.col}: ` : ""}${escapeHTML(e.msg)}</div>`);
  for (const v of r.results) {
    let head = `<span class="muted">line ${v.line}</span> <code>${escapeHTML(v.source)}</code><br>`;
    if (v.equation) {
      const q = v.equation;
      head += `<span class="badge ${q.pass ? "pass" : "fail"}">${q.pass ? "PASS" : "FAIL"}</span> ` +
        `${q.relation === "==" ? "equal" : "not equal"} · max |lhs − rhs| = ${fmtFloat(q.maxError)} (tolerance ${fmtFloat(q.tolerance)})`;
    } else {
      head += `${v.name ? "<code>" + escapeHTML(v.name) + "</code> " : ""}shape (${v.shape.join(", ")})` +
        (v.legs.length ? ` · legs <code>${escapeHTML(v.legs.join(" "))}</code>` : " · a scalar") +
        ` · ‖·‖ = ${fmtFloat(v.norm)}`;
    }
    const values = v.values ? `<pre>${escapeHTML(v.values)}</pre>` : (v.equation ? "" : `<div class="muted">${v.size} values (shown up to 256)</div>`);
    out.push(`<div class="result">${head}${values}</div>`);
  }
  $("results").innerHTML = out.join("");
}

function fmtFloat(x) {
  if (typeof x !== "number") return String(x);
  if (x === 0) return "0";
  return Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6 ? x.toExponential(2) : x.toPrecision(4);
}

function upload(name) {
  const input = $("upload");
  input.value = "";
  input.onchange = async () => {
    const f = input.files[0];
    if (!f) return;
    const buf = new Uint8Array(await f.arrayBuffer());
    let bin = "";
    for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
    state.uploads[name] = { b64: btoa(bin), shape: null };
    status(`${f.name} uploaded as ${name}`);
    evaluate();
  };
  input.click();
}

$("seed").addEventListener("input", scheduleEval);

// ---- exports, links, gallery -----------------------------------------------

document.querySelectorAll("#exports button").forEach((b) => b.addEventListener("click", async () => {
  const st = currentStatement();
  try {
    const whole = $("export-scope").value === "all";
    const statement = whole ? -1 : (st ? st.index : 0);
    const resp = await api("/api/export", { text: editor.value, shapes: shapes(), statement, format: b.dataset.format });
    const blob = await resp.blob();
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(cd);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = m ? m[1] : "strand";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    status(`exported ${a.download}`);
  } catch (e) {
    status(e.message, true);
  }
}));

function encodeText(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  bytes.forEach((b) => { bin += String.fromCharCode(b); });
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeText(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

$("copy-link").addEventListener("click", async () => {
  history.replaceState(null, "", "#t=" + encodeText(editor.value));
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    status("link copied: the text travels in the address, nothing is stored");
  } catch (e) {
    status("link in the address bar (copying was refused): " + url.length + " characters");
  }
});

$("gallery-toggle").addEventListener("click", () => { $("gallery").hidden = !$("gallery").hidden; });

function openExample(name) {
  const ex = state.examples.find((e) => e.name === name);
  if (!ex) { status(`no example ${name}`, true); return; }
  history.replaceState(null, "", "#ex=" + encodeURIComponent(name));
  document.querySelectorAll("#gallery li").forEach((li) => {
    li.classList.toggle("current", li.dataset.name === name);
    if (li.dataset.name === name) li.scrollIntoView({ block: "nearest" });
  });
  state.view = { ...defaultView };
  applyView();
  state.current = 0;
  state.uploads = {}; // a new example starts from random tensors
  setText(ex.text);
  editor.setSelectionRange(0, 0);
  editor.scrollTop = 0;
}

async function start() {
  applyView();
  let g = { start: "", examples: [] };
  try {
    g = await (await fetch("/api/examples")).json();
  } catch (e) {
    status("could not load the gallery: " + e.message, true);
  }
  state.examples = g.examples;
  const list = $("gallery-list");
  for (const ex of g.examples) {
    const li = document.createElement("li");
    li.dataset.name = ex.name;
    li.innerHTML = `${escapeHTML(ex.name)}<small>${escapeHTML(ex.title)}</small>`;
    li.addEventListener("click", () => openExample(ex.name));
    list.appendChild(li);
  }
  fromAddress(g.start);
}

// fromAddress loads the text the address's fragment carries (#t=…), or
// the example it names (#ex=…), or else the start example.
function fromAddress(fallback) {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("t")) {
    try {
      setText(decodeText(params.get("t")));
      return;
    } catch (e) {
      status("the link's text could not be read: " + e.message, true);
    }
  }
  const name = params.get("ex") || fallback;
  if (name) openExample(name);
}

// A link pasted into this tab changes only the fragment: load it too.
window.addEventListener("hashchange", () => fromAddress(""));

start();
