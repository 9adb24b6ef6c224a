"""`path:line:col: CODE message [counterpart]`, one finding a line, then a summary."""

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

    code = f"{f.code}"
    if color:
        code = click.style(code, fg=COLORS[f.severity], bold=f.severity == "error")
        loc = click.style(f"{f.path}:{f.line}:{f.column}:", bold=True)
    else:
        loc = f"{safe(f.path)}:{f.line}:{f.column}:"
    return f"{loc} {code} {safe(f.message)}{related_note(f)}"


def fix_hint(f) -> str:
    """The one-line hint under a finding that carries a fix (indented: not a finding line)."""
    what = safe(f.fix.description)
    return f"    fix: {what} (vnlint --fix)" if f.fix.safe else f"    suggestion: {what} (vnlint --fix --unsafe-fixes)"


def render(findings, files, *, color=False, quiet=False, results=None) -> str:
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
            lines.append(f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} "
                         f"({', '.join(parts)}) in {n_files} file{'s' if n_files != 1 else ''}.")
        else:
            lines.append(f"No findings in {n_files} file{'s' if n_files != 1 else ''}.")
        n_safe = sum(1 for f in findings if f.fix is not None and f.fix.safe)
        n_unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.safe)
        if n_safe or n_unsafe:
            lines.append(f"{n_safe} fixable with vnlint --fix"
                         + (f" ({n_unsafe} more with --unsafe-fixes)" if n_unsafe else "") + ".")
    return "\n".join(lines) + ("\n" if lines else "")
