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


_CONTROL = {c: f"\\x{c:02x}" for c in list(range(0, 32)) + [127] if c not in (9,)}


def safe(text: str) -> str:
    """Control characters from a notice (ESC...) are shown escaped, never sent to the terminal."""
    return text.translate(_CONTROL)


def format_finding(f, color: bool = False) -> str:
    import click

    code = f"{f.severity} {f.code}"
    if color:
        code = click.style(code, fg=COLORS[f.severity], bold=f.severity == "error")
        loc = click.style(f"{f.path}:{f.line}:{f.column}:", bold=True)
    else:
        loc = f"{safe(f.path)}:{f.line}:{f.column}:"
    return f"{loc} {code} {safe(f.message)}{related_note(f)}"


def not_run_note(skipped) -> str:
    """One line naming the rules that did not run because no model was used (`--model none`)."""
    codes = sorted(set().union(*skipped.values())) if skipped else []
    if not codes:
        return ""
    return (f"Not run (--model none, no paragraph alignment by meaning): {', '.join(codes)}.")


def render(findings, files, *, color=False, quiet=False, results=None, skipped=None, ignored=()) -> str:
    lines = [format_finding(f, color) for f in findings]
    if not quiet:
        sev = Counter(f.severity for f in findings)
        n_files = len(files)
        if findings:
            parts = [f"{sev[s]} {s}{'s' if sev[s] != 1 else ''}" for s in ("error", "warning", "info") if sev[s]]
            lines.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} "
                         f"({', '.join(parts)}) in {n_files} file{'s' if n_files != 1 else ''}.")
        else:
            lines.append(f"No findings in {n_files} file{'s' if n_files != 1 else ''}.")
        if ignored:
            n = len(ignored)
            lines.append(f"Skipped {n} file{'s' if n != 1 else ''} that {'are' if n != 1 else 'is'} "
                         f"not {'notices' if n != 1 else 'a notice'} (no header fields, no numbered sections).")
        note = not_run_note(skipped)
        if note:
            lines.append(note)
    return "\n".join(lines) + ("\n" if lines else "")
