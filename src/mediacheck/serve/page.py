"""The one page of `mediacheck serve`: pick or drop, hand over, watch, read, download.

Everything inline (no CDN, no external font); the script runs under a per-page nonce
and a Content Security Policy that allows talking to this server only. The report is
shown in a sandboxed frame (no script may run in it, whatever a file name contains).
"""

from __future__ import annotations

import json
from html import escape

from mediacheck.words.serve import page_words


def human(n: int) -> str:
    """A size for people: 4 GB, 500 MB (binary units, as Windows Explorer counts)."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) else \
                f"{value:.1f} {unit}"  # fmt: skip
    return f"{n} B"


CSS = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI","Microsoft YaHei","PingFang SC",
"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1c1c1c;background:#f4f5f7}
main{max-width:64rem;margin:0 auto;padding:1.2rem}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}
.drop{border:3px dashed #8a94a6;border-radius:10px;background:#fff;padding:2rem 1rem;
text-align:center;margin:1rem 0}
.drop.over{border-color:#1d5f8c;background:#eef5fb}
.drop p{margin:.4rem 0;font-size:1.15rem}
button,.button{font:inherit;font-size:1.05rem;padding:.55rem 1.2rem;margin:.3rem;border-radius:6px;
border:1px solid #1d5f8c;background:#fff;color:#1d5f8c;cursor:pointer;display:inline-block;
text-decoration:none}
button.primary{background:#1d5f8c;color:#fff}
button:disabled{opacity:.5;cursor:default}
input[type=file]{position:absolute;left:-9999px}
progress{width:100%;height:1.4rem}
.status{font-size:1.1rem;margin:.6rem 0;min-height:1.6em}
.error{color:#b3261e;font-weight:600}
.meta{color:#5b5b5b;font-size:.9rem}
iframe{width:100%;height:75vh;border:1px solid #ccc;background:#fff;border-radius:6px}
.downloads{margin:.6rem 0}
[hidden]{display:none!important}
"""

SCRIPT = r"""
(() => {
const W = JSON.parse(document.getElementById("words").textContent);
const token = document.querySelector('meta[name="mc-token"]').content;
const limit = Number(document.body.dataset.limit);
const $ = (id) => document.getElementById(id);
const fmt = (s, p) => s.replace(/\{(\w+)\}/g, (_, k) => (k in p ? p[k] : "{" + k + "}"));
const size = (n) => n >= 1 << 30 ? (n / (1 << 30)).toFixed(1) + " GB"
  : n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB";
let chosen = [];  // {file, path}
let job = null;
let timer = null;

function say(text, isError) {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", !!isError);
}
function choose(items) {
  chosen = items;
  const total = items.reduce((a, it) => a + it.file.size, 0);
  $("chosen").textContent = items.length ? fmt(W.chosen, {n: items.length, size: size(total)}) : "";
  $("start").disabled = !items.length;
  if (total > limit) say(fmt(W.too_big, {size: size(total), limit: size(limit)}), true);
  else say("");
}
function fromInput(input) {
  choose(Array.from(input.files).map((f) => ({file: f, path: f.webkitRelativePath || f.name})));
}
$("files").addEventListener("change", (e) => fromInput(e.target));
$("folder").addEventListener("change", (e) => fromInput(e.target));

// Dropped folders: walk them with the File System entries API.
function readAll(reader) {
  return new Promise((resolve, reject) => {
    const out = [];
    const next = () => reader.readEntries((batch) => {
      if (!batch.length) return resolve(out);
      out.push(...batch); next();
    }, reject);
    next();
  });
}
async function walk(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({file, path: entry.fullPath.replace(/^\/+/, "")});
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry.createReader())) await walk(child, out);
  }
}
const zone = $("drop");
["dragenter", "dragover"].forEach((t) => zone.addEventListener(t, (e) => {
  e.preventDefault(); zone.classList.add("over");
}));
["dragleave", "drop"].forEach((t) => zone.addEventListener(t, () => zone.classList.remove("over")));
zone.addEventListener("drop", async (e) => {
  e.preventDefault();
  const entries = Array.from(e.dataTransfer.items || [])
    .map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
  const out = [];
  if (entries.length) { for (const en of entries) await walk(en, out); }
  else Array.from(e.dataTransfer.files).forEach((f) => out.push({file: f, path: f.name}));
  choose(out);
});

const lang = document.documentElement.lang.slice(0, 2);
function api(method, url) {
  const x = new XMLHttpRequest();
  x.open(method, url + (url.includes("?") ? "&" : "?") + "lang=" + lang);
  x.setRequestHeader("X-MC-Token", token);
  return x;
}
function answer(x) {
  try { return JSON.parse(x.responseText); } catch (err) { return {}; }
}
$("start").addEventListener("click", () => {
  if (!chosen.length) return say(W.nothing, true);
  const form = new FormData();
  chosen.forEach((it) => form.append("files", it.file, it.path));
  const x = api("POST", "/api/jobs");
  $("start").disabled = true;
  $("bar").hidden = false;
  x.upload.onprogress = (e) => {
    if (!e.lengthComputable) return;
    const pct = Math.floor((100 * e.loaded) / e.total);
    $("bar").value = pct; $("bar").max = 100;
    say(fmt(W.uploading, {pct}));
  };
  x.onload = () => {
    const a = answer(x);
    if (x.status !== 201) {
      $("start").disabled = false;
      return say(a.error || x.statusText, true);
    }
    job = a.job;
    say(W.queued);
    poll();
  };
  x.onerror = () => { $("start").disabled = false; say(W.lost, true); };
  x.send(form);
});
function poll() {
  const x = api("GET", "/api/jobs/" + job);
  x.onload = () => {
    const s = answer(x);
    if (x.status !== 200) return say(s.error || x.statusText, true);
    if (s.state === "running" || s.state === "queued") {
      $("bar").max = Math.max(1, s.total); $("bar").value = s.done;
      say(s.state === "queued" ? W.queued : fmt(W.checking, {done: s.done, total: s.total}));
    } else if (s.state === "reporting") {
      say(W.reporting);
    } else if (s.state === "done") {
      return show();
    } else if (s.state === "failed") {
      return say(fmt(W.failed, {message: s.message || ""}), true);
    }
    timer = setTimeout(poll, 600);
  };
  x.onerror = () => say(W.lost, true);
  x.send();
}
function show() {
  const base = "/jobs/" + job + "/report?lang=" + lang + "&token=" + encodeURIComponent(token);
  $("bar").hidden = true;
  say(W.done);
  $("frame").src = base;
  $("frame").hidden = false;
  $("dl-html").href = base + "&download=1";
  $("dl-xlsx").href = base + "&download=1&format=xlsx";
  $("dl-csv").href = base + "&download=1&format=csv";
  $("result").hidden = false;
  $("again").hidden = false;
}
function cancel() {
  if (!job) return;
  navigator.sendBeacon("/api/jobs/" + job + "/cancel?token=" + encodeURIComponent(token));
}
$("again").addEventListener("click", () => {
  clearTimeout(timer); cancel(); job = null;
  $("frame").hidden = true; $("frame").removeAttribute("src");
  $("result").hidden = true; $("again").hidden = true;
  $("files").value = ""; $("folder").value = "";
  choose([]);
});
// A closed tab cancels its check (the server also gives up on a page that stops polling).
window.addEventListener("pagehide", () => { if (job) cancel(); });
})();
"""


def render_page(token: str, nonce: str, lang: str, limit_total: int, limit_file: int) -> str:
    w = page_words(lang)
    words_json = json.dumps(w, ensure_ascii=False).replace("<", "\\u003c")
    limits = w["limits"].format(total=human(limit_total), file=human(limit_file))
    e = {k: escape(v) for k, v in w.items()}
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="mc-token" content="{escape(token)}">
<title>{e["title"]}</title><style>{CSS}</style></head>
<body data-limit="{limit_total}"><main>
<h1>{e["title"]}</h1>
<p>{e["intro"]}</p>
<section id="drop" class="drop" aria-label="{e["drop"]}">
<p>{e["drop"]}</p><p class="meta">{e["or"]}</p>
<label class="button" for="files">{e["pick_files"]}</label>
<label class="button" for="folder">{e["pick_folder"]}</label>
<input id="files" type="file" multiple>
<input id="folder" type="file" multiple webkitdirectory>
<p id="chosen" aria-live="polite"></p>
<button id="start" class="primary" type="button" disabled>{e["start"]}</button>
<button id="again" type="button" hidden>{e["again"]}</button>
<p class="meta">{escape(limits)}</p>
</section>
<progress id="bar" value="0" max="100" hidden aria-label="{e["title"]}"></progress>
<p id="status" class="status" role="status" aria-live="polite"></p>
<section id="result" hidden>
<p class="downloads"><a id="dl-html" class="button" download>{e["download"]}</a>
<a id="dl-xlsx" class="button" download>{e["download_xlsx"]}</a>
<a id="dl-csv" class="button" download>{e["download_csv"]}</a></p>
<iframe id="frame" title="{e["report_frame"]}" sandbox="" hidden></iframe>
</section>
<p class="meta">{e["privacy"]}</p>
</main>
<script id="words" type="application/json">{words_json}</script>
<script nonce="{nonce}">{SCRIPT}</script>
</body></html>
"""
