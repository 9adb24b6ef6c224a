"""A translation memory of standard paragraphs: approved English -> French renderings.

``vnlint tm build DIR -o tm.json`` aligns the notices of DIR (which the user approves) and keeps
every 1:1 pair of paragraphs or bullets that the semantic checks do not question; a pair met in
several notices counts once per notice, and the rendering met most often wins.
``vnlint tm import FILE.tmx -o tm.json`` reads the TMX every CAT tool exports (parsed with the
standard library's expat, refusing DTDs and entity declarations, as defusedxml does).

With ``--tm FILE`` (or ``tm = "FILE"`` in the configuration), a French paragraph that is missing
(VN300) or that differs from the approved rendering of a known English paragraph (VN302, VN303)
carries the approved text as a suggestion (an unsafe fix: inserted, or substituted, only with
``--unsafe-fixes``).

File format (JSON): ``{"version": 1, "kind": "vnlint-tm", "units": [{"en": ..., "fr": ...,
"count": N}, ...]}``; ``en`` is the English text as vnlint compares it, ``fr`` the French text as
written in the notice (Markdown kept).
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import BlockPair, Fix, Notice, Place, clean_text
from .text import quote

VERSION = 1
KIND = "vnlint-tm"
MIN_WORDS = 4
FUZZY = 95  # rapidfuzz ratio of normalised English texts for a near match


class TMError(Exception):
    """An unreadable translation memory or TMX file: a usage error (exit 2)."""


def key(text: str) -> str:
    """English text normalised for lookup: case, punctuation, quotes and spaces do not count."""
    return " ".join(re.findall(r"[^\W_]+", clean_text(text).casefold()))


@dataclass
class Memory:
    units: dict[str, Counter]  # normalised English -> Counter of French renderings
    english: dict[str, str]  # normalised English -> the English as first met

    def add(self, en: str, fr: str, count: int = 1) -> None:
        k = key(en)
        fr = fr.strip()
        if len(k.split()) < MIN_WORDS or not fr:
            return
        self.units.setdefault(k, Counter())[fr] += count
        self.english.setdefault(k, clean_text(en))

    def lookup(self, en: str) -> tuple[str, int] | None:
        """The approved French for this English text, with its weight; near matches count."""
        k = key(en)
        if len(k.split()) < MIN_WORDS:
            return None
        found = self.units.get(k)
        if found is None and self.units:
            from rapidfuzz import fuzz, process

            best = process.extractOne(k, list(self.units), scorer=fuzz.ratio, score_cutoff=FUZZY)
            found = self.units[best[0]] if best else None
        if not found:
            return None
        fr, n = max(found.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))
        return fr, n

    def to_json(self) -> dict:
        units = [
            {"en": self.english[k], "fr": fr, "count": n}
            for k in sorted(self.units)
            for fr, n in sorted(self.units[k].items())
        ]
        return {"version": VERSION, "kind": KIND, "units": units}

    def save(self, path: str) -> None:
        from .atomic import write_atomic

        write_atomic(path, (json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n").encode("utf-8"))

    def __len__(self) -> int:
        return sum(len(c) for c in self.units.values())


def empty() -> Memory:
    return Memory({}, {})


def load(path: str) -> Memory:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise TMError(f"{path}: cannot read translation memory: {exc.strerror or exc}") from None
    return _load(path, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load(path: str, size: int, mtime: int) -> Memory:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as exc:
        raise TMError(f"{path}: not a vnlint translation memory ({exc})") from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND or not isinstance(doc.get("units"), list):
        raise TMError(f"{path}: not a vnlint translation memory (build one with `vnlint tm build`)")
    mem = empty()
    for u in doc["units"]:
        if isinstance(u, dict) and isinstance(u.get("en"), str) and isinstance(u.get("fr"), str):
            n = u.get("count", 1)
            mem.add(u["en"], u["fr"], n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 1)
    return mem


def of(ctx) -> Memory | None:
    """The memory the settings name, or None. An unreadable one was refused when the settings were made."""
    path = getattr(ctx.settings, "tm", None)
    if not path:
        return None
    try:
        return load(path)
    except TMError:
        return None


# ---------------------------------------------------------------- suggestions (used by checks)


def _shown(fr: str) -> str:
    return quote(clean_text(fr), 70)


def _times(n: int) -> str:
    return f"{n} time{'s' if n != 1 else ''}"


def missing_fix(ctx, block, where: Place) -> Fix | None:
    """For an English block with no French counterpart: insert its approved French after ``where``."""
    from .fix import insert_after_line, make_fix

    mem = of(ctx)
    found = mem.lookup(block.clean) if mem else None
    if found is None:
        return None
    fr, n = found
    fr = _as_kind(ctx.notice, block.kind, fr, where.line)
    return make_fix(
        [insert_after_line(ctx.notice, where.end_line, fr)],
        safe=False,
        description=f"insert the approved French (translation memory, {_times(n)}): {_shown(fr)}",
    )


def replace_fix(ctx, pair: BlockPair) -> Fix | None:
    """For a pair whose French is not the approved rendering of its English: substitute it. When
    the English side is two paragraphs (the aligner paired both with one French paragraph, as
    when the French of one of them is missing), each gets its approved French."""
    from .fix import make_fix, replace_lines

    mem = of(ctx)
    if mem is None or not pair.en or not pair.fr:
        return None
    found = [mem.lookup(b.clean) for b in pair.en]
    unknown = [i for i, f in enumerate(found) if f is None]
    if len(unknown) == len(found) or len(unknown) > 1:
        return None
    first, last = pair.fr[0], pair.fr[-1]
    lines = ctx.notice.source.lines
    gap = "\n\n" if first.end_line < len(lines) and not lines[first.end_line].strip() else "\n"
    texts = [_as_kind(ctx.notice, b.kind, f[0], first.line) if f else "" for b, f in zip(pair.en, found)]
    if unknown:
        # Two English paragraphs, the French of only one of them (the aligner paired them all): the
        # French stays, as written, for the one the memory does not know; the other's is added.
        texts[unknown[0]] = "\n".join(lines[first.line - 1 : last.end_line])
    elif key(" ".join(texts)) == key(pair.fr_text):
        return None
    n = min(f[1] for f in found if f)
    return make_fix(
        [replace_lines(ctx.notice, first.line, last.end_line, gap.join(texts))],
        safe=False,
        description=f"use the approved French (translation memory, {_times(n)}): "
        + "; ".join(_shown(t) for t, f in zip(texts, found) if f),
    )


_MARKER = re.compile(r"^\s*(?:[-\u2022\u2023\u25aa\u25cf\u00b7\u2013\u2014*o\uf0b7]|\d+[.)])\s+")


def _as_kind(notice: Notice, kind: str, fr: str, near: int) -> str:
    """A paragraph loses any bullet marker; a bullet takes the marker of the French bullets next to
    where it goes (the memory's notices may write them otherwise)."""
    m = _MARKER.match(fr)
    body = fr[m.end() :] if m else fr
    if kind != "bullet":
        return body
    lines = notice.source.lines
    for n in range(max(1, near), min(len(lines), near + 4) + 1):
        there = _MARKER.match(lines[n - 1])
        if there:
            return there.group(0) + body
    return (m.group(0) if m else "- ") + body


# ---------------------------------------------------------------- building and importing


def learn(mem: Memory, notice: Notice, alignment, findings) -> int:
    """Add the notice's 1:1 pairs that no semantic finding questions; returns how many."""
    doubted = {"VN302", "VN303", "VN304", "VN305"}
    bad_lines = {n for f in findings if f.code in doubted for n in range(f.line, f.end_line + 1)}
    bad_lines |= {n for f in findings if f.code in doubted for r in f.related for n in range(r.line, r.end_line + 1)}
    pairs: set[tuple[str, str]] = set()
    for bp in list(alignment.block_pairs()):
        if len(bp.en) != 1 or len(bp.fr) != 1 or bp.weak:
            continue
        en, fr = bp.en[0], bp.fr[0]
        if en.kind != fr.kind or en.kind not in ("paragraph", "bullet"):
            continue
        if any(n in bad_lines for b in (en, fr) for n in range(b.line, b.end_line + 1)):
            continue
        pairs.add((en.clean, " ".join(fr.text.split())))
    for en, fr in sorted(pairs):  # once per notice: a pair met in more notices weighs more
        mem.add(en, fr)
    return len(pairs)


def build(paths: Iterable[str], settings_for) -> tuple[Memory, int, list[str]]:
    """A memory from the notices under ``paths``: (memory, notices read, errors)."""
    from .runner import expand_paths, lint_notice, load_notice
    from .source import NotText, ReadError

    files, errors = expand_paths(paths)
    mem, n = empty(), 0
    for path in files:
        settings = settings_for(path)
        try:
            notice = load_notice(path, settings)
        except (ReadError, NotText) as exc:
            errors.append(str(exc))
            continue
        if notice.en is None or notice.fr is None:
            continue
        findings, alignment = lint_notice(notice, settings)
        if not alignment.semantic:
            continue
        learn(mem, notice, alignment, findings)
        n += 1
    return mem, n, errors


def read_tmx(path: str) -> Memory:
    """The EN -> FR units of a TMX file (any English and French variants: en-GB, fr-BE...)."""
    from xml.parsers import expat

    mem = empty()
    state = {"tu": None, "lang": None, "seg": None, "skip": 0}

    def forbid(*_args):
        raise TMError(f"{path}: TMX with a DTD or entity declarations is refused")

    def start(name, attrs):
        if name == "tu":
            state["tu"] = {}
        elif name == "tuv" and state["tu"] is not None:
            lang = attrs.get("xml:lang") or attrs.get("lang") or ""
            state["lang"] = re.split(r"[-_]", lang.strip().casefold())[0]
        elif name == "seg" and state["lang"]:
            state["seg"] = []
        elif state["seg"] is not None and name in ("bpt", "ept", "ph", "it", "ut"):
            state["skip"] += 1  # native markup codes, not text

    def end(name):
        if name in ("bpt", "ept", "ph", "it", "ut") and state["skip"]:
            state["skip"] -= 1
        elif name == "seg" and state["seg"] is not None:
            state["tu"].setdefault(state["lang"], " ".join("".join(state["seg"]).split()))
            state["seg"] = None
        elif name == "tuv":
            state["lang"] = None
        elif name == "tu" and state["tu"] is not None:
            tu = state["tu"]
            if tu.get("en") and tu.get("fr"):
                mem.add(tu["en"], tu["fr"])
            state["tu"] = None

    def text(data):
        if state["seg"] is not None and not state["skip"]:
            state["seg"].append(data)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with open(path, "rb") as fh:
            parser.ParseFile(fh)
    except OSError as exc:
        raise TMError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except expat.ExpatError as exc:
        raise TMError(f"{path}: not a valid TMX file: {exc}") from None
    return mem
