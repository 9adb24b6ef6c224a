"""Inline suppressions, written as comments that survive in .txt and .md notices.

  <!-- vnlint: disable=VN300,VN403 -->   on its own line: the next non-blank line
  ... text ... <!-- vnlint: disable=VN300 -->   at the end of a line: that line
  <!-- vnlint: disable-file=VN502 -->     anywhere: the whole file
  # vnlint: disable=VN300                 the same, in plain-text form

Codes may be given as codes (VN300), prefixes (VN3) or rule names (paragraph-missing).
A suppression that silences nothing is reported as VN117 (unused-suppression).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .codes import BY_NAME, resolve
from .model import Finding, Notice

DIRECTIVE = re.compile(
    r"(?:<!--|#|\[//\]:\s*#\s*\()\s*vnlint:\s*(disable|disable-file|disable-next-line)"
    r"\s*=\s*([\w\-, ]+?)\s*(?:-->|\))?\s*$",
    re.I,
)
COMMENT_ONLY = re.compile(r"^\s*(?:<!--.*-->|#\s*vnlint:.*|\[//\]:\s*#.*)\s*$", re.I)


@dataclass
class Suppression:
    line: int  # where the directive is written
    target: tuple[int, int] | None  # line span it covers; None: whole file
    codes: set[str]
    used: set[str] = field(default_factory=set)
    # As written: each code, prefix or rule name and the codes it stands for. A prefix (VN3) or a
    # family is "used" when any of its codes silenced something.
    selectors: dict[str, set[str]] = field(default_factory=dict)


def parse_suppressions(lines: list[str]) -> list[Suppression]:
    out: list[Suppression] = []
    for no, text in enumerate(lines, start=1):
        m = DIRECTIVE.search(text)
        if not m:
            continue
        kind, spec = m.group(1).lower(), m.group(2)
        codes: set[str] = set()
        selectors: dict[str, set[str]] = {}
        for part in re.split(r"[,\s]+", spec.strip()):
            if part:
                selectors[part] = {c.code for c in resolve(part)}
                codes.update(selectors[part])
        if kind == "disable-file":
            out.append(Suppression(no, None, codes, selectors=selectors))
        elif COMMENT_ONLY.match(text) or kind == "disable-next-line":
            nxt = no + 1
            while nxt <= len(lines) and (not lines[nxt - 1].strip() or COMMENT_ONLY.match(lines[nxt - 1])):
                nxt += 1
            out.append(Suppression(no, (nxt, nxt), codes, selectors=selectors))
        else:
            out.append(Suppression(no, (no, no), codes, selectors=selectors))
    return out


def _covers(s: Suppression, f: Finding) -> bool:
    if f.code not in s.codes:
        return False
    if s.target is None:
        return True
    lo, hi = s.target
    spans = [(f.line, f.end_line)] + [(r.line, r.end_line) for r in f.related]
    return any(a <= hi and lo <= b for a, b in spans)


def apply_suppressions(notice: Notice, findings: list[Finding], settings) -> list[Finding]:
    """The findings a notice reports: inline suppressions applied, then findings about one defect
    folded into one (engine.fold_overlaps; after suppression, so a suppressed code is not folded in)."""
    from .engine import fold_overlaps

    return fold_overlaps(_suppressed(notice, findings, settings))


def _suppressed(notice: Notice, findings: list[Finding], settings) -> list[Finding]:
    sups = parse_suppressions(notice.source.lines)
    if not sups:
        return findings
    kept = []
    for f in findings:
        hit = [s for s in sups if _covers(s, f)]
        for s in hit:
            s.used.add(f.code)
        if not hit:
            kept.append(f)
    unused_code = BY_NAME["unused-suppression"]
    if unused_code.code in settings.select:
        from .engine import to_finding
        from .model import Hit, Place

        n = max(1, len(notice.source.lines))
        for s in sups:
            # Unused: silenced nothing, and ran (a code left out by --select may be needed another
            # time), or names no code at all (a typo).
            idle = sorted(
                sel
                for sel, codes in s.selectors.items()
                if not codes & s.used and unused_code.code not in codes and (not codes or codes & settings.select)
            )
            if idle:
                msg = f"suppression of {', '.join(idle)} silences nothing"
                kept.append(to_finding(notice.path, unused_code, Hit(Place(s.line, s.line), msg), notice, settings, n))
    return kept
