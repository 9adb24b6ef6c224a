"""SARIF 2.1.0 (GitHub code scanning, GitLab, Azure DevOps, VS Code's SARIF viewer).

One run; tool.driver.rules lists every rule with its documentation (What / Why / Bad / Good from the
rule's docstring); each result has the finding's lines, and the counterpart on the other side of the
notice as a related location. partialFingerprints carry vnlint's content fingerprint, so a finding
keeps its identity when lines move.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

from .. import __version__

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_PARTS = re.compile(r"^(Why|Bad|Good):\s*", re.M)


def doc_parts(doc: str) -> dict[str, str]:
    """A rule docstring split into what (first line), what_more, why, bad and good."""
    doc = (doc or "").strip()
    out = {"what": "", "what_more": "", "why": "", "bad": "", "good": ""}
    if not doc:
        return out
    pieces = _PARTS.split(doc)
    head = pieces[0].strip()
    first, _, rest = head.partition("\n")
    out["what"] = first.strip()
    out["what_more"] = " ".join(rest.split())
    for label, body in zip(pieces[1::2], pieces[2::2]):
        out[label.lower()] = " ".join(body.split())
    return out


def _uri(path: str) -> str:
    """A relative URI for relative paths (resolved against the checkout), a file: URI otherwise."""
    p = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return "file://" + quote(p)
    if p.startswith("./"):
        p = p[2:]
    return quote(p)


def _region(line: int, end_line: int, column: int | None = None, end_column: int | None = None) -> dict:
    """SARIF columns are 1-based and endColumn is exclusive, as vnlint's end_column."""
    region = {"startLine": max(1, line), "endLine": max(1, line, end_line)}
    if column:
        region["startColumn"] = max(1, column)
        if end_column and end_column > column and region["endLine"] == region["startLine"]:
            region["endColumn"] = end_column
    return region


def _side(lang) -> str:
    return {"en": "English", "fr": "French"}.get(lang or "", "")


def _span(p) -> str:
    return f"line {p.line}" if p.line == p.end_line else f"lines {p.line}-{p.end_line}"


def _rule_descriptor(code, rule) -> dict:
    parts = doc_parts(rule.doc if rule else "")
    what = parts["what"] or code.name.replace("-", " ")
    text_help = [what]
    if parts["what_more"]:
        text_help.append(parts["what_more"])
    md_help = [f"**{what}**"] + ([parts["what_more"]] if parts["what_more"] else [])
    for label in ("why", "bad", "good"):
        if parts[label]:
            text_help.append(f"{label.capitalize()}: {parts[label]}")
            md_help.append(f"**{label.capitalize()}:** {parts[label]}")
    full = " ".join(x for x in (what, parts["what_more"], f"Why: {parts['why']}" if parts["why"] else "") if x)
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": what},
        "fullDescription": {"text": full},
        "help": {"text": "\n".join(text_help), "markdown": "\n\n".join(md_help)},
        "defaultConfiguration": {"level": LEVELS[code.severity]},
        "properties": {"tags": [code.family], "family": code.family, "scope": rule.scope if rule else "document"},
    }


def _fix(fix, uri: str) -> dict:
    """A SARIF fix (3.55): the replacements in the finding's file; ``safe`` is a property."""
    return {
        "description": {"text": fix.description + ("" if fix.safe else " (suggestion: vnlint --fix --unsafe-fixes)")},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": e.line,
                            "startColumn": e.column,
                            "endLine": e.end_line,
                            "endColumn": e.end_column,
                        },
                        **({"insertedContent": {"text": e.text}} if e.text else {}),
                    }
                    for e in fix.edits
                ],
            }
        ],
        "properties": {"safe": fix.safe},
    }


def render(findings, files, *, color=False, quiet=False, results=None, selected=None, skipped=None) -> str:
    from ..codes import CODES
    from ..engine import load_checks

    registered = load_checks()
    codes = [c for c in CODES.values() if not c.retired or any(f.code == c.code for f in findings)]
    rules = [_rule_descriptor(c, registered.get(c.code)) for c in codes]
    index = {c.code: i for i, c in enumerate(codes)}
    pair_of = _pair_files(results)
    artifacts = [{"location": {"uri": _uri(p)}} for p in sorted(set(files) | {f.path for f in findings}) if p != "-"]
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vnlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [_invocation(results, skipped, index)],
                "artifacts": artifacts,
                "columnKind": "unicodeCodePoints",
                "results": [_result(f, index, pair_of) for f in findings],
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _pair_files(results) -> dict[str, dict[str, str]]:
    """For a notice in two files (`vnlint pair`, *_en.txt/*_fr.txt), each file -> {"en": ..., "fr": ...}:
    a related place on the other side is in the other file."""
    pair_of: dict[str, dict[str, str]] = {}
    for res in results or []:
        paths = getattr(res, "pair_paths", None)
        if paths:
            for p in paths:
                pair_of[p] = {"en": paths[0], "fr": paths[1]}
    return pair_of


def _result(f, index: dict[str, int], pair_of: dict[str, dict[str, str]]) -> dict:
    """One finding as a SARIF result, its related places as linked relatedLocations."""
    uri = _uri(f.path)
    message = f.message
    related = []
    links = []
    for i, r in enumerate(f.related, start=1):
        label = " ".join(x for x in (_side(r.lang), _span(r)) if x)
        r_uri = _uri(pair_of[f.path].get(r.lang, f.path)) if f.path in pair_of else uri
        related.append(
            {
                "id": i,
                "physicalLocation": {
                    "artifactLocation": {"uri": r_uri},
                    "region": _region(r.line, r.end_line, r.column if r.end_column else None, r.end_column),
                },
                "message": {"text": label},
            }
        )
        links.append(f"[{label}]({i})")
    if links:
        # With embedded links, literal brackets must be escaped (SARIF 2.1.0, 3.11.6).
        message = re.sub(r"([\\\[\]])", r"\\\1", message) + f" (see {'; '.join(links)})"
    res = {
        "ruleId": f.code,
        "ruleIndex": index[f.code] if f.code in index else -1,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": _region(f.line, f.end_line, f.column, f.end_column),
                },
            }
        ],
        "properties": {
            "severity": f.severity,
            "rule": f.rule,
            **({"lang": f.lang} if f.lang else {}),
            **({"section": f.section} if f.section else {}),
        },
    }
    if res["ruleIndex"] < 0:
        del res["ruleIndex"]
    if related:
        res["relatedLocations"] = related
    if f.fingerprint:
        res["partialFingerprints"] = {"vnlintContent/v1": f.fingerprint}
    if f.suggestion:
        res["properties"]["suggestion"] = f.suggestion
    if f.fix is not None:
        res["fixes"] = [_fix(f.fix, uri)]
    return res


def _invocation(results, skipped, index: dict[str, int]) -> dict:
    """Whether the run succeeded, with a notification per file that failed and per rule that did not
    run (it needs the model; --model none), so that a clean report is not read as "checked and found
    nothing"."""
    from ..codes import CODES

    errors = [r.error for r in (results or []) if getattr(r, "error", None)]
    invocation = {"executionSuccessful": not errors}
    notifications = [{"level": "error", "message": {"text": e}} for e in errors]
    not_run: dict[str, list[str]] = {}
    for path, codes_ in sorted((skipped or {}).items()):
        for code in codes_:
            not_run.setdefault(code, []).append(path)
    for code, paths in sorted(not_run.items()):
        ref = {"id": code, **({"index": index[code]} if code in index else {})}
        notifications.append(
            {
                "level": "note",
                "message": {
                    "text": f"{code} {CODES[code].name} did not run: it needs the model (--model none)"
                    f" ({len(paths)} file{'s' if len(paths) != 1 else ''})"
                },
                "associatedRule": ref,
            }
        )
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation
