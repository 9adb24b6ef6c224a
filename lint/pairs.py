"""An English file and a French file linted as one notice (`vnlint pair EN FR`, or *_en.txt/*_fr.txt)."""

from __future__ import annotations

import os
import re

from .runner import FileResult, lint_notice
from .source import NotText, ReadError

PAIR_NAME = re.compile(r"^(?P<stem>.+?)[_.-](?P<lang>en|fr|EN|FR)(?P<ext>\.[A-Za-z]+)$")


def sibling_on_disk(path: str) -> str | None:
    """The other-language file of notice_fr.txt (notice_en.txt, also -en, .en, _EN...) beside it, if any."""
    m = PAIR_NAME.match(os.path.basename(path))
    if not m:
        return None
    lang, sep = m.group("lang"), os.path.basename(path)[len(m.group("stem"))]
    other = {"en": "fr", "fr": "en", "EN": "FR", "FR": "EN"}[lang]
    seps = [sep] + [s for s in "_-." if s != sep]
    for s in seps:  # the same spelling first: notice_fr.txt -> notice_en.txt, then notice-en.txt...
        for o in (other, other.swapcase()):
            candidate = os.path.join(os.path.dirname(path), f"{m.group('stem')}{s}{o}{m.group('ext')}")
            if os.path.isfile(candidate):
                return candidate
    return None


def group_pairs(files: list[str], on_disk: bool = False) -> tuple[list[str], list[tuple[str, str]]]:
    """Split files into singles and (en, fr) pairs named like notice_en.txt / notice_fr.txt.

    on_disk: a file whose partner is not among `files` (`vnlint notice_fr.txt`, or a pre-commit run
    where only one file of the pair is staged) is paired with the partner found beside it on disk.
    """
    by_key: dict[tuple[str, str, str], dict[str, str]] = {}
    for f in files:
        m = PAIR_NAME.match(os.path.basename(f))
        if m:
            key = (os.path.dirname(f), m.group("stem"), m.group("ext").lower())
            by_key.setdefault(key, {})[m.group("lang").lower()] = f
    paired = []
    used = set()
    for key, d in sorted(by_key.items()):
        if on_disk and len(d) == 1:
            ((lang, f),) = d.items()
            other = sibling_on_disk(f)
            if other is not None:
                d["fr" if lang == "en" else "en"] = other
        if "en" in d and "fr" in d:
            paired.append((d["en"], d["fr"]))
            used.update(d.values())
    return [f for f in files if f not in used], paired


def _read(path: str, settings):
    from .runner import DOC_SUFFIXES
    from .source import read_source

    if path.lower().endswith(DOC_SUFFIXES):
        from .documents import read_document

        return read_document(path, max_bytes=settings.max_file_size)
    return read_source(path, max_bytes=settings.max_file_size)


def _lang(source) -> str | None:
    """The language of a whole file, by a vote of function words."""
    from .lang import guess_lang

    return guess_lang(source.text[:50000], minimum=10)


def lint_pair(en_path: str, fr_path: str, settings, keep: bool = False) -> FileResult:
    """Both files are read; the EN file's lines and the FR file's lines keep their own numbers.

    The two texts are split as one notice (EN text, a blank line, FR text), so the halves, the
    suppressions and the fingerprints work as for a single file; findings are then moved back to
    the file and line they came from.
    """
    from . import engine
    from .model import Place
    from .source import source_from_text
    from .split import split
    from .suppress import apply_suppressions

    result = FileResult(en_path)
    sources = []
    for path in (en_path, fr_path):
        try:
            sources.append(_read(path, settings))
        except ReadError as exc:
            result.error = str(exc)
            return result
        except NotText as exc:
            result.findings.append(engine.file_finding(path, exc.rule, str(exc), settings))
    if len(sources) < 2:
        return result
    en_src, fr_src = sources
    if _lang(en_src) == "fr" and _lang(fr_src) == "en":
        # `vnlint pair notice_fr.txt notice_en.txt`: the files are taken for what they are.
        result.notes.append(
            f"{en_path} is in French and {fr_path} in English: "
            f"linted {fr_path} as the English half and {en_path} as the French half"
        )
        en_path, fr_path, en_src, fr_src = fr_path, en_path, fr_src, en_src
        result.path = en_path
    offset = len(en_src.lines) + 1
    combined = source_from_text(en_path, "\n".join(en_src.lines + [""] + fr_src.lines) + "\n")
    notice = split(combined)
    findings, alignment = lint_notice(notice, settings)

    def back(p: Place) -> Place:
        if p.line > offset:
            return Place(p.line - offset, p.end_line - offset, p.lang, p.column)
        return Place(p.line, min(p.end_line, offset - 1), p.lang, p.column)

    out = []
    for f in apply_suppressions(notice, findings, settings):
        here = back(Place(f.line, f.end_line, f.lang or "", f.column))
        path = fr_path if f.line > offset else en_path
        out.append(
            f.__class__(
                **{
                    **f.__dict__,
                    "path": path,
                    "line": here.line,
                    "end_line": here.end_line,
                    "related": tuple(back(r) for r in f.related),
                    "fix": _fix_in_file(f.fix, offset, f.line > offset),
                }
            )
        )
    result.findings = engine.sort_findings(out)
    result.pair_paths = (en_path, fr_path)  # reporters: related lines on the other side are in the other file
    if keep:
        # For the HTML report: lines above `pair_offset` are the EN file's, the others the FR file's.
        from .runner import display_alignment

        notice.pair_offset, notice.pair_paths = offset, (en_path, fr_path)
        result.notice, result.alignment = notice, display_alignment(notice, alignment, settings)
    return result


def _fix_in_file(fix, offset: int, in_fr: bool):
    """A fix's edits in the lines of the file the finding is in; none when they reach the other file."""
    import dataclasses

    if fix is None:
        return None
    shift = offset if in_fr else 0
    edits = [dataclasses.replace(e, line=e.line - shift, end_line=e.end_line - shift) for e in fix.edits]
    if any(e.line < 1 or (not in_fr and e.end_line >= offset) for e in edits):
        return None
    return dataclasses.replace(fix, edits=tuple(edits))
