"""`path:line:col: severity CODE message [counterpart]`, one finding a line, then a summary."""

from __future__ import annotations

from collections import Counter

COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}


def related_note(f) -> str:
    if not f.related:
        return ""
    parts = []
    for r in f.related:
        span = f"{r.line}" if r.line == r.end_line else f"{r.line}-{r.end_line}"
        side = {"en": "EN", "fr": "FR"}.get(r.lang, "")
        parts.append(f"{side} line {span}".strip() if side else f"line {span}")
    return " [" + "; ".join(parts) + "]"


# What a terminal or a log viewer could act on: C0 controls but tab (ESC starts colour, title and
# cursor sequences; CR and LF start a line), DEL, C1 controls (U+009B is a one-character CSI),
# the bidi embeddings, overrides, isolates and marks (they reorder what is shown: "Trojan Source"),
# and the Unicode line and paragraph separators.
UNSAFE = [
    *range(0x09),
    *range(0x0A, 0x20),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x2028,
    0x2029,
]
_CONTROL = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in UNSAFE}


def safe(text: str) -> str:
    """Text from a notice or a file name, safe to print: every character in UNSAFE is shown as its
    escape (\\x1b, \\u202e), so one finding is one line and nothing reaches the terminal raw."""
    return str(text).translate(_CONTROL)


def format_finding(f, color: bool = False) -> str:
    import click

    code = f"{f.severity} {f.code}"
    if color:
        code = click.style(code, fg=COLORS[f.severity], bold=f.severity == "error")
        loc = click.style(f"{safe(f.path)}:{f.line}:{f.column}:", bold=True)
    else:
        loc = f"{safe(f.path)}:{f.line}:{f.column}:"
    return f"{loc} {code} {safe(f.message)}{related_note(f)}"


def not_run_note(skipped) -> str:
    """One line naming the rules that did not run because no model was used (`--model none`)."""
    codes = sorted(set().union(*skipped.values())) if skipped else []
    if not codes:
        return ""
    return f"Not run (--model none, no paragraph alignment by meaning): {', '.join(codes)}."


def fix_hint(f) -> str:
    """The one-line hint under a finding that carries a fix (indented: not a finding line)."""
    what = safe(f.fix.description)
    return f"    fix: {what} (vnlint --fix)" if f.fix.safe else f"    suggestion: {what} (vnlint --fix --unsafe-fixes)"


def render(findings, files, *, color=False, quiet=False, results=None, skipped=None, ignored=()) -> str:
    lines = []
    for f in findings:
        lines.append(format_finding(f, color))
        if f.fix is not None and not quiet:
            lines.append(fix_hint(f))
    if not quiet:
        sev = Counter(f.severity for f in findings)
        n_files = len(files)
        if findings:
            parts = [f"{sev[s]} {s}{'s' if sev[s] != 1 else ''}" for s in ("error", "warning", "info") if sev[s]]
            lines.append(
                f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} "
                f"({', '.join(parts)}) in {n_files} file{'s' if n_files != 1 else ''}."
            )
        else:
            lines.append(f"No findings in {n_files} file{'s' if n_files != 1 else ''}.")
        if ignored:
            n = len(ignored)
            lines.append(
                f"Skipped {n} file{'s' if n != 1 else ''} that {'are' if n != 1 else 'is'} "
                f"not {'notices' if n != 1 else 'a notice'} (no header fields, no numbered sections)."
            )
        note = not_run_note(skipped)
        if note:
            lines.append(note)
        n_safe = sum(1 for f in findings if f.fix is not None and f.fix.safe)
        n_unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
        if n_safe or n_unsafe:
            lines.append(
                f"{n_safe} fixable with vnlint --fix"
                + (f" ({n_unsafe} more with --unsafe-fixes)" if n_unsafe else "")
                + "."
            )
    return "\n".join(lines) + ("\n" if lines else "")
