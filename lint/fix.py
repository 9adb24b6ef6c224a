"""Fixes: the edits a finding carries, and `--fix` / `--diff`, which apply them to the files.

A check that knows the exact correction builds it here, next to its hit, from a span of a block's
clean text: :func:`edit` maps that span back to characters of the physical lines (markup, bullet
markers and reflow are in between) and gives up, returning None, when the mapping is not exact.
A fix is ``safe`` when the correction is certain (applied by ``--fix``); otherwise it is a
suggestion, applied only with ``--unsafe-fixes``.

Applying fixes never changes a byte it does not mean to: the file is decoded as vnlint read it,
edited by line and column, and encoded back with its own encoding, BOM and line endings; a file
whose bytes would not survive that round trip, or that changed since it was read, is refused.
Writes are atomic (a temporary file beside it, then a rename). .docx and .pdf are never modified.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .atomic import write_atomic
from .model import Block, Edit, Finding, Fix, Notice
from .source import split_lines

_LINE_END = re.compile(r"\r\n|\r|\n")


# ---------------------------------------------------------------- building fixes (used by checks)


def _raw_map(notice: Notice, block: Block) -> tuple[str, list[tuple[int, int]], list[int | None]]:
    """The raw text of `block` (its physical lines joined by "\\n"), each raw character's (line,
    column), and for each character of block.clean the index of the raw character it comes from
    (None where markup or collapsed spaces make it ambiguous)."""
    from .locate import _text_lines

    parts: list[str] = []
    where: list[tuple[int, int]] = []
    for n, raw, skip in _text_lines(notice, block):
        if parts:
            parts.append("\n")
            where.append((n, 0))
        parts.append(raw[skip:])
        where.extend((n, skip + i + 1) for i in range(len(raw) - skip))
    raw_text = "".join(parts)
    clean = block.clean
    index: list[int | None] = [None] * len(clean)
    matcher = difflib.SequenceMatcher(None, clean, raw_text, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            index[a + k] = b + k
    return raw_text, where, index


def edit(notice: Notice, block: Block, start: int, end: int, text: str) -> Edit | None:
    """An edit replacing characters ``start:end`` of ``block.clean`` with ``text`` (``start ==
    end``: an insertion before character ``start``), on the physical lines; None when the span
    cannot be located exactly (it runs over markup or a line break)."""
    clean = block.clean
    if notice is None or not (0 <= start <= end <= len(clean)) or (start == end and not 0 < start < len(clean)):
        return None
    raw_text, where, index = _raw_map(notice, block)
    if start == end:  # an insertion: both neighbours must be mapped, and next to each other
        left, right = index[start - 1], index[start]
        if left is None or right is None or right != left + 1 or raw_text[right - 1] == "\n":
            return None
        line, col = where[right]
        return Edit(line, col, line, col, text)
    first = index[start]
    if first is None:
        return None
    for k in range(start, end):
        if index[k] != first + (k - start) or raw_text[index[k]] == "\n":
            return None
    line, col = where[first]
    end_line, end_col = where[first + (end - start) - 1]
    if end_line != line:
        return None
    return Edit(line, col, line, end_col + 1, text)


def make_fix(edits: Iterable[Edit | None], safe: bool, description: str) -> Fix | None:
    """A fix from its edits; None when one of them could not be located (never half a fix)."""
    edits = list(edits)
    if not edits or any(e is None for e in edits):
        return None
    return Fix(tuple(sorted(set(edits), key=lambda e: (e.line, e.column, e.end_line, e.end_column))), safe, description)


def insert_after_line(notice: Notice, line: int, text: str) -> Edit | None:
    """Insert ``text`` as a new paragraph after physical line ``line``, with a blank line before it
    when the paragraphs around it are separated by blank lines."""
    lines = notice.source.lines
    if not 1 <= line <= len(lines):
        return None
    gap = "\n" if line < len(lines) and not lines[line].strip() else ""
    end = len(lines[line - 1]) + 1
    return Edit(line, end, line, end, "\n" + gap + text)


def replace_lines(notice: Notice, line: int, end_line: int, text: str) -> Edit | None:
    """Replace the text of physical lines ``line`` to ``end_line`` (their line breaks between
    included, the last one's kept) with ``text``."""
    lines = notice.source.lines
    if not 1 <= line <= end_line <= len(lines):
        return None
    return Edit(line, 1, end_line, len(lines[end_line - 1]) + 1, text)


# ---------------------------------------------------------------- applying fixes


class FixError(Exception):
    """A file that cannot be fixed: reported as one line, exit 2."""


def _line_starts(text: str) -> tuple[list[int], list[str]]:
    starts, ends = [0], []
    for m in _LINE_END.finditer(text):
        starts.append(m.end())
        ends.append(m.group())
    return starts, ends


def _bounds(notice: Notice, lang: str | None) -> tuple[int, int] | None:
    half = {"en": notice.en, "fr": notice.fr}.get(lang or "")
    if half is None:
        return None
    other = notice.fr if half is notice.en else notice.en
    lo, hi = half.line, len(notice.source.lines)
    if other is not None and other.line > half.line:
        hi = other.line - 1  # a half runs until the other one starts
    return lo, hi


def _in_half(notice: Notice, f: Finding) -> bool:
    """Every edit of the fix lies in the half the finding is about (never the English half for a
    finding about the French, and the reverse)."""
    b = _bounds(notice, f.lang)
    return b is not None and all(b[0] <= e.line and e.end_line <= b[1] for e in f.fix.edits)


def choose(findings: list[Finding], notice: Notice, unsafe: bool) -> tuple[list[Finding], int]:
    """The findings whose fix will be applied, without overlapping edits (the first one wins;
    the others wait for the next pass), and how many were held back for overlapping."""
    chosen: list[Finding] = []
    taken: list[tuple[tuple[int, int], tuple[int, int]]] = []
    held = 0
    n_lines = len(notice.source.lines)
    for f in sorted((f for f in findings if f.fix is not None and (f.fix.safe or unsafe)), key=Finding.sort_key):
        spans = []
        ok = _in_half(notice, f)
        for e in f.fix.edits:
            if not (1 <= e.line <= e.end_line <= n_lines):
                ok = False
                break
            spans.append(((e.line, e.column), (e.end_line, e.end_column)))
        if not ok:
            continue
        if any(a < d and c < b or (a == b == c == d) for a, b in spans for c, d in taken):
            held += 1
            continue
        taken.extend(spans)
        chosen.append(f)
    return chosen, held


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with the edits made (they must not overlap); "\\n" in an edit becomes the line
    ending of the line it is on (the first line ending of the file when that line has none)."""
    starts, ends = _line_starts(text)
    default = ends[0] if ends else "\n"
    out = text
    for e in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        a = starts[e.line - 1] + e.column - 1
        b = starts[e.end_line - 1] + e.end_column - 1
        eol = ends[e.line - 1] if e.line - 1 < len(ends) else default
        out = out[:a] + e.text.replace("\n", eol) + out[b:]
    return out


def encode_like(original: bytes, encoding: str, text: str) -> bytes:
    """``text`` encoded as ``original`` was: the same encoding, the same BOM (or none)."""
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding in ("utf-16", "utf-32"):
        for bom, name in (
            (codecs.BOM_UTF32_LE, "utf-32-le"),
            (codecs.BOM_UTF32_BE, "utf-32-be"),
            (codecs.BOM_UTF16_LE, "utf-16-le"),
            (codecs.BOM_UTF16_BE, "utf-16-be"),
        ):
            if original.startswith(bom) and name.startswith(encoding):
                return bom + text.encode(name)
    return text.encode(encoding)


@dataclass
class FileFix:
    path: str
    old: str = ""
    new: str = ""
    fixed: list[Finding] = field(default_factory=list)
    error: str | None = None
    data: bytes = b""  # the bytes that were read (and linted)
    encoding: str = "utf-8"
    real: str = ""  # the path as given (``path`` is as reports show it)

    @property
    def changed(self) -> bool:
        return self.new != self.old


def fix_file(path: str, settings, unsafe: bool = False, max_passes: int = 3) -> FileFix:
    """Lint ``path`` and apply its fixes in memory (several passes while overlapping fixes wait);
    nothing is written (see :func:`write`)."""
    import stat

    from . import engine
    from .runner import DOC_SUFFIXES, display_path, lint_notice
    from .source import NotText, source_from_bytes
    from .split import split
    from .suppress import apply_suppressions

    shown = display_path(path)
    result = FileFix(shown, real=path)
    if path == "-" or path.lower().endswith(DOC_SUFFIXES):
        return result  # standard input and documents are never modified
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return result
        with open(path, "rb") as fh:
            data = fh.read(settings.max_file_size + 1)
        if len(data) > settings.max_file_size:
            return result
        source = source_from_bytes(shown, data)
    except (NotText, OSError):
        return result  # reported by the lint that follows
    result.data, result.encoding = data, source.encoding
    try:
        if encode_like(data, source.encoding, source.text) != data:
            result.error = f"{shown}: its bytes do not survive decoding as {source.encoding}; not fixed"
            return result
    except (UnicodeError, LookupError):
        result.error = f"{shown}: cannot be written back as {source.encoding}; not fixed"
        return result
    result.old = result.new = source.text
    rules = None
    for _ in range(max_passes):
        notice = split(source)
        findings, _alignment = lint_notice(notice, settings, rules)
        findings = engine.sort_findings(apply_suppressions(notice, findings, settings))
        chosen, held = choose(findings, notice, unsafe)
        if not chosen:
            break
        text = apply_edits(source.text, [e for f in chosen for e in f.fix.edits])
        try:
            encode_like(data, source.encoding, text)
        except UnicodeError:
            result.error = f"{shown}: the fixed text cannot be written as {source.encoding}; not fixed"
            result.new = result.old
            return result
        result.fixed.extend(chosen)
        result.new = text
        source = source_from_bytes(shown, encode_like(data, source.encoding, text))
        if not held:
            break
        unsafe = False  # suggestions (paragraph insertions) are made once, never stacked
    return result


def write(fixed: FileFix) -> None:
    """Write the fixed text atomically, refusing when the file changed since it was read."""
    target = os.path.realpath(fixed.real)
    data = fixed.data
    try:
        with open(target, "rb") as fh:
            now = fh.read()
    except OSError as exc:
        raise FixError(f"{fixed.path}: cannot read it again: {exc.strerror or exc}") from None
    if now != data:
        raise FixError(f"{fixed.path}: changed since it was read; not fixed (run vnlint --fix again)")
    try:
        write_atomic(target, encode_like(data, fixed.encoding, fixed.new))
    except OSError as exc:
        raise FixError(f"{fixed.path}: cannot write: {exc.strerror or exc}") from None


def unified_diff(fixed: FileFix) -> str:
    """The change as a unified diff (``--- PATH`` / ``+++ PATH``), line endings shown as "\n".
    (difflib.unified_diff's matcher treats frequent lines such as blank ones as junk, which makes
    hunks that replace blank lines by blank lines; this one matches every line.)"""
    a = [line + "\n" for line in split_lines(fixed.old)]
    b = [line + "\n" for line in split_lines(fixed.new)]
    out = [f"--- {fixed.path}\n", f"+++ {fixed.path}\n"]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [" " + x for x in a[a1:a2]]
                continue
            out += ["-" + x for x in a[a1:a2]]
            out += ["+" + x for x in b[b1:b2]]
    return "".join(out) if len(out) > 2 else ""


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def run_fixes(
    files: list[str], resolver, unsafe: bool = False, diff: bool = False, quiet: bool = False
) -> tuple[int, list[str]]:
    """--fix (write) or --diff (print) over ``files``: (exit status for --diff, error lines).
    A notice in two files (*_en.txt / *_fr.txt) is not fixed."""
    import click

    from .pairs import group_pairs

    singles, _paired = group_pairs(files)
    results = [fix_file(p, resolver.for_path(p), unsafe) for p in singles]
    errors = [r.error for r in results if r.error]
    changed = [r for r in results if r.changed]
    n = sum(len(r.fixed) for r in changed)
    done = []
    if diff:
        for r in changed:
            click.echo(unified_diff(r), nl=False)
        done = changed
    else:
        for r in changed:
            try:
                write(r)
                done.append(r)
            except FixError as exc:
                errors.append(str(exc))
        n = sum(len(r.fixed) for r in done)
    if not quiet:
        verb = "would fix" if diff else "fixed"
        click.echo(
            f"vnlint: {verb} {n} finding{'s' if n != 1 else ''} in {len(done)} file{'s' if len(done) != 1 else ''}",
            err=True,
        )
    return (1 if changed else 0), errors
