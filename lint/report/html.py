"""One self-contained HTML page (inline CSS and JS, nothing fetched): for each file, the findings and
the notice with English and French side by side, aligned as vnlint aligned them; each finding is
marked at its line and at its counterpart. Findings can be filtered by severity and code, in the
page or from the address: report.html?sev=error,warning&code=VN300,VN403.
"""

from __future__ import annotations

import html
import json
from collections import Counter

from .. import __version__
from .text import related_note

SEVERITIES = ("error", "warning", "info")

CSS = """
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--line:#ddd;--muted:#666;--hit-err:#fdecea;
--hit-warn:#fff4e0;--hit-info:#e8f1fc;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0;color:#1b1b1b;background:#fafafa;font-size:14px;line-height:1.45}
header{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:10px 20px}
header h1{font-size:18px;margin:0 0 4px}
.summary{color:var(--muted);margin:0 0 6px}
.filters{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
.filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
.filters legend{float:left;font-weight:600;margin-right:6px}
.filters label{white-space:nowrap;cursor:pointer}
main{padding:10px 20px 40px}
nav ul{margin:4px 0 12px;padding-left:20px}
section.file{background:#fff;border:1px solid var(--line);border-radius:6px;margin:14px 0;padding:8px 14px}
section.file h2{font-size:16px;margin:6px 0;word-break:break-all}
.counts{color:var(--muted);font-weight:normal;font-size:13px}
ol.findings{padding-left:0;list-style:none;margin:6px 0 12px}
ol.findings li{padding:3px 6px;border-left:4px solid transparent;margin:2px 0}
li.sev-error{border-color:var(--err)!important}li.sev-warning{border-color:var(--warn)!important}
li.sev-info{border-color:var(--info)!important}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.sev{display:inline-block;min-width:52px;font-size:12px;text-transform:uppercase}
.sev-error .sev{color:var(--err)}.sev-warning .sev{color:var(--warn)}.sev-info .sev{color:var(--info)}
.where{color:var(--muted)}
table.aligned{border-collapse:collapse;width:100%;table-layout:fixed}
table.aligned th{text-align:left;border-bottom:2px solid var(--line);padding:4px}
table.aligned td{vertical-align:top;border-bottom:1px solid #eee;padding:3px 6px;word-wrap:break-word}
td.ln{width:52px;color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;text-align:right}
col.ln{width:56px}
tr.kind-section td{font-weight:600;background:#f4f4f4}
tr.kind-title td{font-weight:600}
tr.kind-field td.txt{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
td.missing{color:#aaa;font-style:italic}
td.gap{border:2px dashed var(--err);color:var(--err)}
mark.word{border-radius:2px;padding:0 1px;color:inherit}
mark.word.sev-error{background:#f8c9c4}mark.word.sev-warning{background:#ffe0a8}mark.word.sev-info{background:#cfe2fa}
mark.word.rel{background:none!important;outline:1px dashed currentColor}
mark.word.off{background:none!important;outline:none}
.pairing{font-style:italic}
td.hit-error{background:var(--hit-err)}td.hit-warning{background:var(--hit-warn)}td.hit-info{background:var(--hit-info)}
a.mark{display:inline-block;font:600 11px ui-monospace,Menlo,Consolas,monospace;padding:0 4px;margin:0 2px;
border-radius:3px;color:#fff;text-decoration:none;vertical-align:1px}
a.mark.sev-error{background:var(--err)}a.mark.sev-warning{background:var(--warn)}a.mark.sev-info{background:var(--info)}
a.mark.rel{background:#fff!important;border:1px dashed currentColor}
a.mark.rel.sev-error{color:var(--err)}a.mark.rel.sev-warning{color:var(--warn)}a.mark.rel.sev-info{color:var(--info)}
.score{color:var(--muted);font-size:11px}
.only-hits tr.row:not(.has-hit):not(.kind-section){display:none}
[hidden]{display:none!important}
:target{outline:2px solid #7e57c2}
footer{color:var(--muted);font-size:12px;padding:0 20px 20px}
.fix{margin:3px 0 2px 56px;font-size:13px}.fix .kind{font-weight:600}.fix.safe .kind{color:#2e7d32}
.fix pre{white-space:pre-wrap;margin:2px 0;padding:4px 6px;background:#f4f7f4;border:1px solid var(--line);
border-radius:4px;font:12.5px ui-monospace,Menlo,Consolas,monospace}
.fix button.copy{font-size:12px;cursor:pointer}
"""

JS = r"""
(function () {
  "use strict";
  var doc = document;
  function all(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function checked(cls) {
    return all("input." + cls).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
  }
  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    ["sev", "code"].forEach(function (key) {
      var v = params.get(key);
      if (v === null) { return; }
      var want = v.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      all("input.f-" + key).forEach(function (i) {
        i.checked = want.some(function (w) { return i.value === w || i.value.indexOf(w) === 0; });
      });
    });
    if (params.get("only") === "1") { doc.getElementById("f-only").checked = true; }
  }
  function apply() {
    var sev = checked("f-sev"), codes = checked("f-code");
    var visible = 0;
    all("[data-code]").forEach(function (el) {
      var show = sev.indexOf(el.getAttribute("data-sev")) >= 0 && codes.indexOf(el.getAttribute("data-code")) >= 0;
      el.hidden = !show;
      if (show && el.tagName === "LI") { visible += 1; }
    });
    all("mark.word").forEach(function (m) {
      var on = sev.indexOf(m.getAttribute("data-wsev")) >= 0 && codes.indexOf(m.getAttribute("data-wcode")) >= 0;
      m.classList.toggle("off", !on);
    });
    all("td.txt").forEach(function (td) {
      var marks = all("a.mark", td).filter(function (m) { return !m.hidden && !m.hasAttribute("data-word"); });
      ["error", "warning", "info"].forEach(function (s) { td.classList.remove("hit-" + s); });
      if (marks.length) {
        var worst = ["error", "warning", "info"].filter(function (s) {
          return marks.some(function (m) { return m.getAttribute("data-sev") === s; });
        })[0];
        td.classList.add("hit-" + worst);
      }
    });
    all("tr.row").forEach(function (tr) {
      tr.classList.toggle("has-hit", all("a.mark", tr).some(function (m) { return !m.hidden; }));
    });
    all("section.file").forEach(function (s) {
      var n = all("ol.findings li", s).filter(function (li) { return !li.hidden; }).length;
      var out = s.querySelector(".shown");
      if (out) { out.textContent = String(n); }
    });
    doc.body.classList.toggle("only-hits", doc.getElementById("f-only").checked);
    doc.body.setAttribute("data-visible-findings", String(visible));
    doc.getElementById("visible").textContent = String(visible);
  }
  all("input.f-sev, input.f-code, #f-only").forEach(function (i) { i.addEventListener("change", apply); });
  all("button.copy").forEach(function (b) {
    b.addEventListener("click", function () {
      var text = b.parentNode.querySelector("pre").textContent;
      function done() { b.textContent = "Copied"; setTimeout(function () { b.textContent = "Copy"; }, 1500); }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {});
        return;
      }
      var area = doc.createElement("textarea");
      area.value = text;
      doc.body.appendChild(area);
      area.select();
      try { doc.execCommand("copy"); done(); } catch (e) { /* copying is not allowed here */ }
      doc.body.removeChild(area);
    });
  });
  all("button[data-codes]").forEach(function (b) {
    b.addEventListener("click", function () {
      var on = b.getAttribute("data-codes") === "all";
      all("input.f-code").forEach(function (i) { i.checked = on; });
      apply();
    });
  });
  fromAddress();
  apply();
  doc.documentElement.setAttribute("data-vnlint-ready", "1");
})();
"""


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _span(a: int, b: int) -> str:
    return f"{a}" if a == b else f"{a}-{b}"


def _notice_for(result):
    """The notice and alignment of a result; re-read (structure only) when the run did not keep them."""
    if result.notice is not None and result.alignment is not None:
        return result.notice, result.alignment
    if result.error or result.path == "-":
        return None, None
    try:
        from ..structure_align import align
        from ..config import Settings
        from ..runner import load_notice

        s = Settings()
        s.model = "none"
        notice = load_notice(result.path, s)
        return notice, align(notice)
    except Exception:  # not readable as a notice: the findings say why
        return None, None


def _badges(idx: int, here) -> str:
    out = []
    for k, f, role in here:
        word = ' data-word="1"' if "word" in role.split() else ""
        out.append(
            f'<a class="mark {role} sev-{_e(f.severity)}" href="#f{idx}-n{k}" data-code="{_e(f.code)}" '
            f'data-sev="{_e(f.severity)}"{word} title="{_e(f.code + " " + f.message)}">{_e(f.code)}</a>'
        )
    return "".join(out)


def _gap_row(rows: list[dict], lang, related) -> int | None:
    """The row whose `lang` side is empty and whose other side is exactly the finding's counterpart:
    where a paragraph of the other side has no translation (VN300's French gap)."""
    if lang not in ("en", "fr"):
        return None
    other = "fr" if lang == "en" else "en"
    for a, b, rel_lang, *_ in related:
        if rel_lang not in (None, other):
            continue
        for r, row in enumerate(rows):
            cell = row.get(other)
            if row.get(lang) is None and cell and cell.get("lines") == [a, b] and row["kind"] == "unpaired":
                return r
    return None


def _cell_blocks(notice, cell: dict, side: str) -> list:
    half = notice.en if side == "en" else notice.fr
    lo, hi = cell["lines"]
    return [b for b in (half.blocks if half else []) if lo <= b.line and b.end_line <= hi and b.kind != "url"]


def _word_span(notice, cell: dict, side: str, line: int, column: int, end_column: int):
    """(start, end) in the cell's text of the word at line:column-end_column, or None."""
    from ..model import clean_text
    from ..locate import span_place

    if notice is None or line > len(notice.source.lines):
        return None
    word = clean_text(notice.source.lines[line - 1][column - 1 : end_column - 1])
    text = cell.get("text", "")
    if not word:
        return None
    blocks = _cell_blocks(notice, cell, side)
    found = []
    k = text.find(word)
    while k >= 0:
        found.append(k)
        k = text.find(word, k + 1)
    for k in found:  # the occurrence that is at that line and column
        pos = 0
        for b in blocks:
            n = len(b.clean)
            if pos <= k < pos + n:
                p = span_place(notice, b, k - pos, k - pos + len(word))
                if (p.line, p.column) == (line, column):
                    return k, k + len(word)
                break
            pos += n + 1
    return (found[0], found[0] + len(word)) if found else None


def _highlight(text: str, spans, idx: int) -> str:
    """The cell's text, escaped, with each word span in a <mark> (overlaps: the first one wins)."""
    out, pos = [], 0
    for start, end, k, f, role in sorted(spans, key=lambda t: (t[0], -t[1])):
        if start < pos:
            continue
        out.append(_e(text[pos:start]))
        out.append(
            f'<mark class="word {role} sev-{_e(f.severity)}" data-wcode="{_e(f.code)}" '
            f'data-wsev="{_e(f.severity)}" title="{_e(f.code + " " + f.message)}">{_e(text[start:end])}</mark>'
        )
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _file_section(idx: int, path: str, findings, result) -> str:
    """One file's section: its heading, its findings, and its halves side by side with the findings marked."""
    notice, alignment = _notice_for(result) if result is not None else (None, None)
    offset = getattr(notice, "pair_offset", None) if notice is not None else None
    pair_paths = getattr(notice, "pair_paths", None) if notice is not None else None
    out = [f'<section class="file" id="file-{idx}" data-path="{_e(path)}">']
    out += _file_heading(path, findings, notice, alignment, pair_paths)
    table_rows = _table_rows(notice, alignment)
    marks, first_row, words = _marks(findings, table_rows, notice, offset, pair_paths)
    out += _findings_list(idx, findings, first_row, pair_paths)
    if table_rows:
        out += _aligned_table(idx, table_rows, marks, words, offset, pair_paths)
    elif result is not None and not result.error:
        out.append('<p class="where">The notice could not be shown side by side (see the findings).</p>')
    out.append("</section>")
    return "\n".join(out)


def _file_heading(path: str, findings, notice, alignment, pair_paths) -> list[str]:
    """The file's name and counts, its two files (a pair) and how its halves were paired."""
    sev = Counter(f.severity for f in findings)
    counts = ", ".join(f"{sev[s]} {s}{'s' if sev[s] != 1 else ''}" for s in SEVERITIES if sev[s]) or "no findings"
    out = [
        f'<h2>{_e(path)} <span class="counts">— {counts}; shown: <span class="shown">{len(findings)}</span></span></h2>'
    ]
    if pair_paths:
        out.append(f'<p class="where">English: {_e(pair_paths[0])} · French: {_e(pair_paths[1])}</p>')
    if alignment is not None and notice is not None and notice.en is not None and notice.fr is not None:
        from ..show import pairing_note

        note = pairing_note(alignment, "none" if not alignment.semantic else "")
        out.append(
            f'<p class="where pairing" data-pairing="{"meaning" if alignment.semantic else "structure"}">'
            f"{_e(note[0].upper() + note[1:])}.</p>"
        )
    return out


def _table_rows(notice, alignment) -> list[dict]:
    """The rows of the side-by-side table (vnlint.show), without the preamble's empty heading row."""
    from ..show import rows as aligned_rows

    table_rows = []
    if notice is not None and alignment is not None:
        try:
            table_rows = aligned_rows(notice, alignment)
        except Exception:  # pragma: no cover - the findings are still shown
            table_rows = []
        # The unnumbered preamble has no heading: no row for it, only for its paragraphs.
        table_rows = [
            r
            for r in table_rows
            if not (r["kind"] == "section" and all(not r.get(k) or r[k].get("lines") is None for k in ("en", "fr")))
        ]
    return table_rows


def _marks(findings, table_rows: list[dict], notice, offset, pair_paths):
    """Where each finding goes in the table: the findings of each cell (row, side), the first row of each
    finding (its link target) and the word spans of word-level findings in each cell."""

    # Where each finding points, in the notice's own line numbers (pairs: the combined text).
    def own(line: int, lang, is_fr_file: bool) -> int:
        if offset and (is_fr_file or lang == "fr"):
            return line + offset
        return line

    marks: dict[tuple[int, str], list[tuple[int, object, str]]] = {}
    first_row: dict[int, int] = {}
    words: dict[tuple[int, str], list[tuple[int, int, int, object, str]]] = {}  # cell -> (start, end, k, f, role)
    for k, f in enumerate(findings):
        is_fr_file = bool(pair_paths) and f.path == pair_paths[1]
        places = [
            (own(f.line, f.lang, is_fr_file), own(f.end_line, f.lang, is_fr_file), f.lang, "at", f.column, f.end_column)
        ]
        places += [
            (own(r.line, r.lang, False), own(r.end_line, r.lang, False), r.lang or None, "rel", r.column, r.end_column)
            for r in f.related
        ]
        gap = _gap_row(table_rows, f.lang, places[1:])
        if gap is not None:
            # A paragraph missing on this side (VN300): marked as the gap between its neighbours, in
            # the empty cell facing the paragraph, not on the neighbour the finding's line names.
            marks.setdefault((gap, f.lang), []).append((k, f, "at"))
            first_row.setdefault((k, "at"), gap)
            places = places[1:]
        for a, b, lang, role, col, end_col in places:
            for r, row in enumerate(table_rows):
                for side in ("en", "fr"):
                    cell = row.get(side)
                    if not cell or not cell.get("lines"):
                        continue
                    if lang and lang != side:
                        continue
                    lo, hi = cell["lines"]
                    if a <= hi and lo <= b:
                        span = _word_span(notice, cell, side, a, col, end_col) if end_col else None
                        if span is not None:
                            words.setdefault((r, side), []).append((*span, k, f, role))
                        marks.setdefault((r, side), []).append((k, f, role if span is None else role + " word"))
                        first_row.setdefault((k, role), r)
    return marks, first_row, words


def _findings_list(idx: int, findings, first_row: dict, pair_paths) -> list[str]:
    """The list of the file's findings, each linked to its first row in the table."""
    if not findings:
        return ['<p class="where">No findings.</p>']
    out = ['<ol class="findings">']
    for k, f in enumerate(findings):
        row_no = first_row.get((k, "at"), first_row.get((k, "rel")))
        target = f' href="#f{idx}-r{row_no}"' if row_no is not None else ""
        rel = related_note(f)
        where = f"{_e(f.path)}:{_span(f.line, f.end_line)}" if pair_paths else f"line {_span(f.line, f.end_line)}"
        out.append(
            f'<li id="f{idx}-n{k}" class="finding sev-{_e(f.severity)}" data-code="{_e(f.code)}" '
            f'data-sev="{_e(f.severity)}"><span class="sev">{_e(f.severity)}</span> '
            f'<a class="where"{target}>{where}</a> <span class="code">{_e(f.code)}</span> '
            f'<span class="rule">{_e(f.rule)}</span>: {_e(f.message)}<span class="where">{_e(rel)}</span>'
            + (f" <em>Suggestion: {_e(f.suggestion)}</em>" if f.suggestion and f.fix is None else "")
            + _fix_html(f)
            + "</li>"
        )
    out.append("</ol>")
    return out


def _aligned_table(idx: int, table_rows: list[dict], marks: dict, words: dict, offset, pair_paths) -> list[str]:
    """The halves side by side, one row per aligned unit, the cells that findings point at marked."""
    en_label = "English" + (f" ({_e(pair_paths[0])})" if pair_paths else "")
    fr_label = "Français" + (f" ({_e(pair_paths[1])})" if pair_paths else "")
    out = [
        '<table class="aligned"><colgroup><col class="ln"><col><col class="ln"><col></colgroup>'
        f"<thead><tr><th>line</th><th>{en_label}</th><th>ligne</th><th>{fr_label}</th></tr></thead><tbody>"
    ]
    for r, row in enumerate(table_rows):
        cells = []
        any_hit = False
        for side in ("en", "fr"):
            cell = row.get(side)
            if cell is None:
                here = marks.get((r, side), [])
                if here:
                    any_hit = True
                    worst = next(s_ for s_ in SEVERITIES if any(f.severity == s_ for _, f, _ in here))
                    cells.append(
                        f'<td class="ln"></td><td class="txt missing gap hit-{worst}" lang="{side}">'
                        f"{_badges(idx, here)} — missing here —</td>"
                    )
                else:
                    cells.append('<td class="ln"></td><td class="txt missing">—</td>')
                continue
            lines = cell.get("lines")
            if lines and offset and side == "fr":
                lines = [lines[0] - offset, lines[1] - offset]
            ln = _span(*lines) if lines else ""
            here = marks.get((r, side), [])
            badges = _badges(idx, here)
            # Word-level findings light their words, not the whole cell.
            worst = next(
                (s for s in SEVERITIES if any(f.severity == s for _, f, role in here if "word" not in role)), None
            )
            any_hit = any_hit or bool(here)
            cls = f"txt {side}" + (f" hit-{worst}" if worst else "")
            text = _highlight(cell.get("text", ""), words.get((r, side), []), idx)
            cells.append(
                f'<td class="ln">{_e(ln)}</td><td class="{cls}" lang="{side}">{badges}'
                f"{' ' if badges else ''}{text}</td>"
            )
        score = row.get("score")
        title = f' title="similarity {score:+.2f}"' if isinstance(score, (int, float)) else ""
        out.append(
            f'<tr id="f{idx}-r{r}" class="row kind-{_e(row["kind"])}{" has-hit" if any_hit else ""}"'
            f"{title}>{''.join(cells)}</tr>"
        )
    out.append("</tbody></table>")
    return out


def render(findings, files, *, color=False, quiet=False, results=None, selected=None) -> str:
    from ..codes import CODES

    by_path: dict[str, list] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    result_by_path = {r.path: r for r in (results or [])}
    # A pair's findings are on its EN or FR file; show them in the pair's one section.
    pair_of: dict[str, str] = {}
    for r in results or []:
        paths = getattr(r.notice, "pair_paths", None) if r.notice is not None else None
        if paths:
            pair_of[paths[1]] = r.path
    paths = []
    for p in list(files) + [f.path for f in findings]:
        p = pair_of.get(p, p)
        if p not in paths:
            paths.append(p)
    grouped = {p: [] for p in paths}
    for f in findings:
        grouped[pair_of.get(f.path, f.path)].append(f)

    sev = Counter(f.severity for f in findings)
    codes = Counter(f.code for f in findings)
    n_files = len(paths)
    summary = (
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} "
        f"({', '.join(f'{sev[s]} {s}' + ('s' if sev[s] != 1 else '') for s in SEVERITIES if sev[s]) or 'none'}) "
        f"in {n_files} file{'s' if n_files != 1 else ''}"
    )

    sev_boxes = "".join(
        f'<label><input type="checkbox" class="f-sev" value="{s}" checked> {s} ({sev[s]})</label>' for s in SEVERITIES
    )
    code_boxes = "".join(
        f'<label title="{_e(CODES[c].name if c in CODES else c)}"><input type="checkbox" class="f-code" '
        f'value="{_e(c)}" checked> {_e(c)} {_e(CODES[c].name if c in CODES else "")} ({n})</label>'
        for c, n in sorted(codes.items())
    )
    nav = ""
    if n_files > 1:
        nav = (
            "<nav><ul>"
            + "".join(
                f'<li><a href="#file-{i}">{_e(p)}</a> <span class="counts">({len(grouped[p])})</span></li>'
                for i, p in enumerate(paths)
            )
            + "</ul></nav>"
        )
    sections = [_file_section(i, p, grouped[p], result_by_path.get(p)) for i, p in enumerate(paths)]
    data = json.dumps({"version": 1, "findings": len(findings), "files": n_files})
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vnlint {_e(__version__)}">
<title>vnlint report — {_e(summary)}</title>
<style>{CSS}</style>
</head>
<body data-visible-findings="{len(findings)}">
<header>
<h1>vnlint report</h1>
<p class="summary">{_e(summary)}; shown: <span id="visible">{len(findings)}</span></p>
<form class="filters" onsubmit="return false">
<fieldset><legend>Severity</legend>{sev_boxes}</fieldset>
<fieldset><legend>Code</legend>{code_boxes or '<span class="where">none</span>'}
<button type="button" data-codes="all">all</button><button type="button" data-codes="none">none</button></fieldset>
<label><input type="checkbox" id="f-only"> only rows with findings</label>
</form>
</header>
<main>
{nav}
{chr(10).join(sections)}
</main>
<footer>vnlint {_e(__version__)} · <script type="application/json" id="vnlint-data">{data}</script></footer>
<script>{JS}</script>
</body>
</html>
"""


def _fix_html(f) -> str:
    """The fix or suggestion beside a finding: what it does, the text it writes, a copy button."""
    if f.fix is None:
        return ""
    kind = "Fix (vnlint --fix)" if f.fix.safe else "Suggestion (vnlint --fix --unsafe-fixes)"
    text = "\n".join(e.text.strip("\n") for e in f.fix.edits if e.text.strip())
    body = (
        f'<pre>{_e(text)}</pre><button type="button" class="copy" title="Copy the suggested text">Copy</button>'
        if text
        else ""
    )
    return (
        f'<div class="fix{" safe" if f.fix.safe else ""}"><span class="kind">{kind}</span>: '
        f"{_e(f.fix.description)}{body}</div>"
    )
