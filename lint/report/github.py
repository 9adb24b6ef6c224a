"""GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` annotation a finding.

  ::error file=notices/a.txt,line=60,endLine=61,col=1,title=VN114 bullet-count-mismatch::section 2 has ...

Escaping follows the Actions toolkit (@actions/core, command.ts): in the message `%`, CR and LF are
percent-encoded; in property values `:` and `,` are too. Every other character a terminal or the
Actions log viewer could act on (ESC, C1 controls, bidi overrides: report.text.UNSAFE) is shown
escaped first, as in the text format.
"""

from __future__ import annotations

from .text import _CONTROL, related_note

_UNSAFE = {c: e for c, e in _CONTROL.items() if c not in (0x0A, 0x0D)}  # CR and LF: percent-encoded

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.translate(_UNSAFE).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(f) -> str:
    props = [
        ("file", f.path),
        ("line", str(f.line)),
        ("endLine", str(max(f.line, f.end_line))),
        ("col", str(f.column)),
        ("title", f"{f.code} {f.rule}"),
    ]
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(f.severity, 'warning')} {head}::{escape_data(f.message + related_note(f))}"


def render(findings, files, *, color=False, quiet=False, results=None, selected=None) -> str:
    lines = [annotation(f) for f in findings]
    return "\n".join(lines) + ("\n" if lines else "")
