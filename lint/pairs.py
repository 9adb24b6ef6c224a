"""An English file and a French file linted as one notice (`vnlint pair EN FR`, or *_en.txt/*_fr.txt)."""

from __future__ import annotations

import os
import re

from .runner import FileResult, lint_notice, load_notice
from .source import NotText, ReadError

PAIR_NAME = re.compile(r"^(?P<stem>.+?)[_.-](?P<lang>en|fr|EN|FR)(?P<ext>\.[A-Za-z]+)$")


def group_pairs(files: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Split files into singles and (en, fr) pairs named like notice_en.txt / notice_fr.txt."""
    by_key: dict[tuple[str, str, str], dict[str, str]] = {}
    for f in files:
        m = PAIR_NAME.match(os.path.basename(f))
        if m:
            key = (os.path.dirname(f), m.group("stem"), m.group("ext").lower())
            by_key.setdefault(key, {})[m.group("lang").lower()] = f
    paired = []
    used = set()
    for key, d in sorted(by_key.items()):
        if "en" in d and "fr" in d:
            paired.append((d["en"], d["fr"]))
            used.update(d.values())
    return [f for f in files if f not in used], paired


def lint_pair(en_path: str, fr_path: str, settings) -> FileResult:
    """Both files are read; the EN file's lines and the FR file's lines keep their own numbers."""
    from . import engine
    from .suppress import apply_suppressions

    shown = f"{en_path}+{fr_path}"
    result = FileResult(en_path)
    try:
        en_notice = load_notice(en_path, settings)
        fr_notice = load_notice(fr_path, settings)
    except ReadError as exc:
        result.error = str(exc)
        return result
    except NotText as exc:
        result.findings.append(engine.file_finding(shown, exc.rule, str(exc), settings))
        return result
    notice = en_notice
    notice.fr = fr_notice.fr or fr_notice.en
    if notice.fr is not None:
        notice.fr.lang = "fr"
    notice.problems = [p for p in notice.problems if p.rule != "french-half-missing"]
    findings, _ = lint_notice(notice, settings)
    # Findings on the French side belong to the French file.
    out = []
    for f in apply_suppressions(notice, findings, settings):
        path = fr_path if f.lang == "fr" else en_path
        out.append(f.__class__(**{**f.__dict__, "path": path}))
    result.findings = engine.sort_findings(out)
    return result
