"""The trainer's view of the room, as a web page (``/room?token=...`` of ``trustsim serve``).

One self-contained page (no script or font from elsewhere: a training room's network often
has no way out). It asks the server for the room's state every two seconds and draws one
row per trainee; ``p`` pauses or resumes the room, ``d`` opens the debrief report of every
session. Every text a trainee's session wrote is put on the page as text, never as HTML.
"""

from __future__ import annotations

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>trustsim: the room</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.3em; margin: 0 0 .3em; }
  #bar { display: flex; gap: 1em; align-items: center; margin-bottom: 1em; flex-wrap: wrap; }
  button { font-size: 1em; padding: .35em .9em; cursor: pointer; }
  #state { font-weight: bold; }
  .paused #state { color: #b00; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid #ddd;
           vertical-align: top; }
  th { background: #f3f3f3; position: sticky; top: 0; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .obj { display: inline-block; min-width: 1.3em; text-align: center; border-radius: 3px;
         margin-right: 2px; font-weight: bold; }
  .on_track, .met { background: #d8f0d8; color: #175117; }
  .at_risk { background: #fbe7c2; color: #7a4b00; }
  .failed { background: #f6d0d0; color: #8a1010; }
  .away { color: #999; }
  .idle { color: #b00; font-weight: bold; }
  .acts { font-size: .9em; color: #444; }
  #error { color: #b00; }
  kbd { border: 1px solid #aaa; border-radius: 3px; padding: 0 .3em; font-size: .9em; }
</style></head>
<body>
<h1>trustsim: the room</h1>
<div id="bar">
  <span id="state">…</span>
  <button id="pause" title="p">Pause the room (<kbd>p</kbd>)</button>
  <input id="message" size="36" placeholder="Message shown while paused (optional)">
  <button id="report" title="d">Debrief report (<kbd>d</kbd>)</button>
  <span id="error"></span>
</div>
<table><thead><tr><th>Seat</th><th>Scenario</th><th>Turn</th><th>Objectives</th>
<th>Trust in them</th><th>Last acts</th><th>Last move</th></tr></thead>
<tbody id="rows"><tr><td colspan="7">Waiting for the first trainee…</td></tr></tbody></table>
<script>
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const q = "?token=" + encodeURIComponent(token);
let paused = false;
const MARK = {on_track: "✓", met: "✓", at_risk: "!", failed: "✗"};

function cell(tr, text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = text;
  tr.appendChild(td);
  return td;
}
function idle(s) {
  if (s < 60) return Math.floor(s) + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  return Math.floor(s / 3600) + " h ago";
}
function draw(state) {
  paused = state.paused;
  document.body.classList.toggle("paused", paused);
  const n = state.sessions.length, here = state.sessions.filter(s => s.connected);
  const playing = here.filter(s => s.stage === "playing").length;
  document.getElementById("state").textContent = (paused ? "PAUSED · " : "") +
    here.length + " connected · " + playing + " playing · " + n + " joined" +
    (paused && state.message ? " · “" + state.message + "”" : "");
  document.getElementById("pause").firstChild.textContent =
    paused ? "Resume the room (" : "Pause the room (";
  const rows = document.getElementById("rows");
  rows.replaceChildren();
  if (!n) {
    const tr = document.createElement("tr");
    cell(tr, "Waiting for the first trainee…").colSpan = 7;
    rows.appendChild(tr);
  }
  for (const s of state.sessions) {
    const tr = document.createElement("tr");
    if (!s.connected) tr.className = "away";
    cell(tr, "Seat " + s.seat + (s.name ? " · " + s.name : "") +
             (s.connected ? "" : " (left)"));
    cell(tr, s.scenario || (s.connected ? "choosing a scenario" : "–"));
    cell(tr, s.stage === "picking" ? "–" :
             (s.stage === "over" ? (s.won ? "won" : "lost") + " · " : "") +
             s.turn + "/" + s.turns, "num");
    const objectives = cell(tr, "");
    for (const o of s.objectives) {
      const span = document.createElement("span");
      span.className = "obj " + o.state;
      span.textContent = MARK[o.state] || "?";
      span.title = o.text + (o.value === null ? "" : " (" + o.value.toFixed(2) +
                   (o.target === null ? "" : " of " + o.target) + ")");
      objectives.appendChild(span);
    }
    if (s.objectives.length)
      objectives.appendChild(document.createTextNode(
        " " + s.on_track + "/" + s.objectives.length + " on track"));
    cell(tr, s.trust_in_player === null ? "–" : s.trust_in_player.toFixed(2), "num");
    cell(tr, s.last_acts.join(" · ") || "–", "acts");
    cell(tr, idle(s.idle), s.connected && s.stage === "playing" && s.idle > 180 ? "idle" : "");
    rows.appendChild(tr);
  }
}
async function call(path, options) {
  const response = await fetch(path + q, options);
  if (!response.ok) throw new Error(response.status === 403 ?
    "this page needs the room's token (printed by trustsim serve)" :
    "the server answered " + response.status);
  return response;
}
async function refresh() {
  try {
    draw(await (await call("/room/state")).json());
    document.getElementById("error").textContent = "";
  } catch (e) {
    document.getElementById("error").textContent = e.message;
  }
}
async function togglePause() {
  const message = document.getElementById("message").value;
  await call(paused ? "/room/resume" : "/room/pause",
             {method: "POST", headers: {"Content-Type": "application/json"},
              body: JSON.stringify({message: message})});
  refresh();
}
function report() { window.open("/room/report.html" + q, "_blank"); }
document.getElementById("pause").onclick = togglePause;
document.getElementById("report").onclick = report;
document.addEventListener("keydown", e => {
  if (e.target.tagName === "INPUT" || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "p") togglePause();
  if (e.key === "d") report();
});
refresh();
setInterval(refresh, 2000);
</script>
</body></html>
"""

FORBIDDEN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trustsim: the room</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>This page is the trainer's</h1>
<p>The room view needs the token that <code>trustsim serve</code> printed when it started:
open the address it printed, with <code>?token=…</code> at its end.</p></body></html>
"""

__all__ = ["FORBIDDEN_PAGE", "PAGE"]
