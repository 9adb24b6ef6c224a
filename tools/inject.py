"""Defect injection into the French half of a clean notice, for calibrating the semantic checks.

Every injection edits the physical lines of French blocks (as the reader found them), keeping the
file's layout: one paragraph a line, or hard-wrapped lines separated by blank lines (PDF text).
Each returns the new text, the place of the defect in the new file (French lines), the English
lines it concerns, and the codes that should report it.

Kinds (KINDS): drop-paragraph, drop-bullet, drop-sentence, cut-short, replace-unrelated,
untranslated, duplicate, drop-section; and word-level kinds (WORD_KINDS), driven by the lists of
tools/inject_words.toml: negation-flip, quantifier-flip, modality-flip, name-swap, number-swap,
term-substitution, opposite-flip. Each list is split in two halves (even positions: tuning, odd: reporting).
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field
from typing import Optional

from vnlint.model import FR, Alignment, Block, Notice
from vnlint.sentences import sentences, words

WORD_KINDS = (
    "negation-flip",
    "quantifier-flip",
    "modality-flip",
    "name-swap",
    "number-swap",
    "term-substitution",
    "term-substitution-2",
    "opposite-flip",
)
KINDS = (
    "drop-paragraph",
    "drop-bullet",
    "drop-sentence",
    "cut-short",
    "replace-unrelated",
    "untranslated",
    "duplicate",
    "drop-section",
) + WORD_KINDS
# The list of tools/inject_words.toml that drives each word-level kind.
WORD_LISTS = {
    "negation-flip": "negation",
    "quantifier-flip": "quantifier",
    "modality-flip": "modality",
    "name-swap": "names",
    "number-swap": "numbers",
    "term-substitution": "terms",
    # A second list of wrong terms (tools/inject_terms_v2.toml), written by someone who had not read
    # vnlint's glossary, lexicon or the first list: the lexicon was built without reading it.
    "term-substitution-2": "terms",
    "opposite-flip": "opposites",
}
WORD_FILES = {"term-substitution-2": "inject_terms_v2.toml"}

# Codes that count as finding the defect, and codes also explained by it (not counted as spurious).
EXPECTED = {
    "drop-paragraph": ({"VN300"}, {"VN301", "VN302", "VN303", "VN116"}),
    "drop-bullet": ({"VN300"}, {"VN114", "VN303", "VN302", "VN116"}),
    "drop-sentence": ({"VN303", "VN302"}, set()),
    "cut-short": ({"VN303", "VN302"}, {"VN300", "VN301"}),
    "replace-unrelated": ({"VN302", "VN300", "VN301", "VN303"}, {"VN116", "VN306"}),
    "untranslated": ({"VN304"}, {"VN302", "VN303"}),
    "duplicate": ({"VN305"}, {"VN301", "VN303", "VN302"}),
    "drop-section": ({"VN112"}, {"VN111", "VN113", "VN114", "VN116", "VN300", "VN306"}),
    "negation-flip": ({"VN600"}, {"VN303", "VN302"}),
    "quantifier-flip": ({"VN601", "VN602"}, {"VN303", "VN302"}),
    "modality-flip": ({"VN603"}, {"VN600", "VN303", "VN302"}),
    "name-swap": ({"VN604"}, {"VN408", "VN303", "VN302"}),
    "number-swap": ({"VN403"}, {"VN303", "VN302"}),
    # a wrong term that is the opposite attribute ("épreuve orale" for "written test") is opposite-mismatch's
    "term-substitution": ({"VN605", "VN408", "VN606"}, {"VN604", "VN303", "VN302"}),
    "term-substitution-2": ({"VN605", "VN408", "VN606"}, {"VN604", "VN303", "VN302"}),
    "opposite-flip": ({"VN606"}, {"VN408", "VN605", "VN303", "VN302"}),
}


def word_list(kind: str, half: str = "all") -> list[tuple[str, str]]:
    """The entries of the list behind a word-level kind: "tune" (even positions), "report" (odd), or all."""
    import tomllib
    from pathlib import Path

    name = WORD_FILES.get(kind, "inject_words.toml")
    table = tomllib.loads((Path(__file__).with_name(name)).read_text(encoding="utf-8"))
    entries = [tuple(e) for e in table[WORD_LISTS[kind]]]
    if half == "tune":
        return entries[0::2]
    if half == "report":
        return entries[1::2]
    return entries


@dataclass
class Injection:
    kind: str
    text: str  # the whole new file
    fr_span: tuple[int, int]  # French lines of the defect in the new file (window where a finding may point)
    en_span: Optional[tuple[int, int]]  # English lines concerned, in the new file
    description: str
    expected: set[str] = field(default_factory=set)
    explained: set[str] = field(default_factory=set)


# ----------------------------------------------------------------------------- line editing


def split_keep(text: str) -> list[str]:
    """Physical lines with their line ends (CRLF, CR and LF each end one line, as vnlint.source)."""
    parts = re.split(r"(\r\n|\r|\n)", text)
    out = [parts[k] + (parts[k + 1] if k + 1 < len(parts) else "") for k in range(0, len(parts), 2)]
    if out and out[-1] == "":
        out.pop()
    return out


def _is_blank(line: str) -> bool:
    return not line.strip()


def _eol(lines: list[str]) -> str:
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"


def _style(lines: list[str], block: Block) -> dict:
    """How a block is laid out: its text lines, wrap width, blank lines between, trailing space."""
    phys = [lines[i - 1].rstrip("\r\n") for i in range(block.line, block.end_line + 1)]
    text_lines = [p for p in phys if p.strip()]
    gapped = any(_is_blank(p) for p in phys)
    width = max((len(p.rstrip()) for p in text_lines), default=90)
    trailing = bool(text_lines) and all(p.endswith(" ") for p in text_lines)
    return {
        "text_lines": text_lines,
        "gapped": gapped,
        "width": max(width, 60),
        "trailing": trailing,
        "multi": len(text_lines) > 1,
    }


def _raw_text(lines: list[str], block: Block) -> str:
    st = _style(lines, block)
    out = ""
    for p in st["text_lines"]:
        p = p.strip()
        if out.endswith("-") and p[:1].islower():
            out = out + p
        else:
            out = f"{out} {p}" if out else p
    return out


def _render(text: str, st: dict) -> list[str]:
    """Physical lines for `text` in the style of a block."""
    if st["multi"]:
        parts = textwrap.wrap(text, width=st["width"], break_long_words=False, break_on_hyphens=False) or [text]
    else:
        parts = [text]
    if st["trailing"]:
        parts = [p + " " for p in parts]
    out: list[str] = []
    for k, p in enumerate(parts):
        if k and st["gapped"]:
            out.append("")
        out.append(p)
    return out


def _replace(lines: list[str], start: int, end: int, new: list[str]) -> list[str]:
    """Replace physical lines start..end (1-based, inclusive) by `new` (without line ends)."""
    eol = _eol(lines)
    return lines[: start - 1] + [n + eol for n in new] + lines[end:]


def _delete_block(lines: list[str], block: Block) -> tuple[list[str], int]:
    """Remove a block's lines and one blank separator; returns new lines and the line where it was."""
    start, end = block.line, block.end_line
    if end < len(lines) and _is_blank(lines[end]) and (start < 2 or _is_blank(lines[start - 2])):
        end += 1  # the blank line after it (keep one blank between neighbours)
    return lines[: start - 1] + lines[end:], start


def _shift(line: int, at: int, delta: int) -> int:
    """Where an original line is after `delta` lines were inserted (>0) or removed (<0) at `at`."""
    if line < at:
        return line
    if delta < 0 and line < at - delta:
        return at
    return line + delta


# ----------------------------------------------------------------------------- candidates


def _pairs_1to1(al: Alignment) -> dict[int, Block]:
    """FR block id -> its EN counterpart, for 1:1 pairs."""
    out = {}
    for bp in al.block_pairs():
        if len(bp.en) == 1 and len(bp.fr) == 1:
            out[id(bp.fr[0])] = bp.en[0]
    return out


def _fr_blocks(notice: Notice) -> list[Block]:
    return [b for s in notice.fr.sections for b in s.content()]


def _neighbours(notice: Notice, block: Block) -> tuple[int, int]:
    """First line of the French block before `block` and last line of the block after (any kind)."""
    blocks = notice.fr.blocks
    k = next((i for i, b in enumerate(blocks) if b is block), None)
    if k is None:
        return block.line, block.end_line
    prev = blocks[k - 1] if k > 0 else block
    nxt = blocks[k + 1] if k + 1 < len(blocks) else block
    return prev.line, nxt.end_line


class Injector:
    """Chooses targets deterministically (seeded) and applies injections to one notice."""

    def __init__(
        self, text: str, notice: Notice, alignment: Alignment, seed: str, donors: list[str], half: str = "all"
    ):
        self.half = half
        self.text = text
        self.lines = split_keep(text)
        self.notice = notice
        self.al = alignment
        self.rng = random.Random(seed)
        self.donors = donors
        self.counterpart = _pairs_1to1(alignment)

    def _choose(self, cands: list, n: int) -> list:
        cands = list(cands)
        self.rng.shuffle(cands)
        return cands[:n]

    def _en_span(self, fr_block: Block, at: int, delta: int) -> Optional[tuple[int, int]]:
        en = self.counterpart.get(id(fr_block))
        if en is None:
            return None
        return _shift(en.line, at, delta), _shift(en.end_line, at, delta)

    def _window(self, block: Block, at: int, delta: int) -> tuple[int, int]:
        a, b = _neighbours(self.notice, block)
        return _shift(a, at, delta), max(_shift(b, at, delta), _shift(a, at, delta))

    def _mk(self, kind, lines, window, en_span, desc) -> Injection:
        exp, expl = EXPECTED[kind]
        return Injection(kind, "".join(lines), window, en_span, desc, set(exp), set(exp) | set(expl))

    # -- kinds

    def make(self, kind: str, n: int) -> list[Injection]:
        if kind in WORD_KINDS:
            return self._substitute(kind, n)
        fn = getattr(self, "_" + kind.replace("-", "_"))
        return fn(n)

    def _substitute(self, kind: str, n: int) -> list[Injection]:
        """Replace one word or phrase of a French paragraph by a wrong one (a list entry)."""
        entries = word_list(kind, self.half)
        cands = []
        for b in self._paragraphs(6, ("paragraph", "bullet")):
            raw = _raw_text(self.lines, b)
            for k, (pattern, repl) in enumerate(entries):
                for m in re.finditer(rf"(?<![\w'’-]){pattern}(?![\w-])", raw, re.I):
                    if (
                        re.search(r"\b(?:ne|n['’])\s*\S*\s*$", raw[max(0, m.start() - 12) : m.start()], re.I)
                        and kind == "negation-flip"
                        and "pas" in repl
                    ):
                        continue  # already negated
                    cands.append((b, raw, m, k))
        out = []
        seen: set[int] = set()
        for b, raw, m, k in self._choose(cands, len(cands)):
            if id(b) in seen:
                continue
            seen.add(id(b))
            pattern, repl = entries[k]
            new = m.expand(repl)
            if m.group()[:1].isupper() and new[:1].islower():
                new = new[:1].upper() + new[1:]
            new_text = raw[: m.start()] + new + raw[m.end() :]
            out.append(self._rewrite(kind, b, new_text, f"French {b.kind} at line {b.line}: {m.group()!r} -> {new!r}"))
            if len(out) >= n:
                break
        return out

    def _paragraphs(self, min_words: int, kinds=("paragraph",), paired=True) -> list[Block]:
        """French blocks of these kinds with at least min_words words, and so their English counterpart."""
        return [
            b
            for b in _fr_blocks(self.notice)
            if b.kind in kinds
            and words(b.clean) >= min_words
            and (not paired or (id(b) in self.counterpart and words(self.counterpart[id(b)].clean) >= min_words))
        ]

    def _drop(self, kind: str, block: Block) -> Injection:
        new, at = _delete_block(self.lines, block)
        delta = len(new) - len(self.lines)
        return self._mk(
            kind,
            new,
            self._window(block, at, delta),
            self._en_span(block, at, delta),
            f"removed French {block.kind} at line {block.line}: {block.clean[:60]!r}",
        )

    def _drop_paragraph(self, n):
        return [self._drop("drop-paragraph", b) for b in self._choose(self._paragraphs(6), n)]

    def _drop_bullet(self, n):
        return [self._drop("drop-bullet", b) for b in self._choose(self._paragraphs(4, ("bullet",)), n)]

    def _rewrite(self, kind: str, block: Block, new_text: str, desc: str) -> Injection:
        st = _style(self.lines, block)
        rendered = _render(new_text, st)
        new = _replace(self.lines, block.line, block.end_line, rendered)
        delta = len(new) - len(self.lines)
        at = block.end_line + 1 if delta >= 0 else block.line + len(rendered)
        a, b = self._window(block, at, delta)
        return self._mk(kind, new, (a, b), self._en_span(block, at, delta), desc)

    def _drop_sentence(self, n):
        cands = []
        for b in self._paragraphs(10, ("paragraph", "bullet")):
            raw = _raw_text(self.lines, b)
            ss = sentences(raw, FR)
            if len(ss) < 2:
                continue
            for k, s in enumerate(ss):
                if words(s) >= 8 and s in raw:
                    cands.append((b, raw, s, k))
        out = []
        seen: set[int] = set()
        for b, raw, s, k in self._choose(cands, len(cands)):
            if id(b) in seen:
                continue
            seen.add(id(b))
            new_text = " ".join(raw.replace(s, " ", 1).split())
            out.append(
                self._rewrite(
                    "drop-sentence",
                    b,
                    new_text,
                    f"removed sentence {k + 1} of French {b.kind} at line {b.line}: {s[:60]!r}",
                )
            )
            if len(out) >= n:
                break
        return out

    def _cut_short(self, n):
        out = []
        for b in self._choose(self._paragraphs(20, ("paragraph", "bullet")), n):
            raw = _raw_text(self.lines, b)
            toks = raw.split()
            keep = max(5, int(len(toks) * self.rng.uniform(0.4, 0.6)))
            new_text = " ".join(toks[:keep]).rstrip(",;:") + "."
            out.append(
                self._rewrite(
                    "cut-short", b, new_text, f"cut French {b.kind} at line {b.line} after {keep} of {len(toks)} words"
                )
            )
        return out

    def _replace_unrelated(self, n):
        from rapidfuzz import fuzz

        own = [b.clean for b in _fr_blocks(self.notice)]
        donors = [t for t in self.donors if words(t) >= 8 and all(fuzz.token_set_ratio(t, o) < 70 for o in own)]
        out = []
        if not donors:
            return out
        for b in self._choose(self._paragraphs(8), n):
            donor = self.rng.choice(donors)
            out.append(
                self._rewrite(
                    "replace-unrelated", b, donor, f"replaced French paragraph at line {b.line} by {donor[:50]!r}"
                )
            )
        return out

    def _untranslated(self, n):
        out = []
        for b in self._choose(self._paragraphs(8), n):
            en = self.counterpart[id(b)]
            new_text = _raw_text(self.lines, en)
            out.append(
                self._rewrite(
                    "untranslated",
                    b,
                    new_text,
                    f"French paragraph at line {b.line} replaced by its English text (line {en.line})",
                )
            )
        return out

    def _duplicate(self, n):
        out = []
        for b in self._choose(self._paragraphs(6), n):
            st = _style(self.lines, b)
            copy = [self.lines[i - 1].rstrip("\r\n") for i in range(b.line, b.end_line + 1)]
            after_blank = b.end_line < len(self.lines) and _is_blank(self.lines[b.end_line])
            before_blank = b.line > 1 and _is_blank(self.lines[b.line - 2])
            # a blank line between the copies wherever blocks are separated by one (also at the end of file)
            sep = [""] if (after_blank or before_blank or st["gapped"]) else []
            new = _replace(self.lines, b.line, b.end_line, copy + sep + copy)
            delta = len(new) - len(self.lines)
            at = b.end_line + 1
            a, z = self._window(b, at, delta)
            out.append(
                self._mk(
                    "duplicate",
                    new,
                    (a, z),
                    self._en_span(b, at, delta),
                    f"French {b.kind} at line {b.line} pasted twice",
                )
            )
        return out

    def _drop_section(self, n):
        secs = [s for s in self.notice.fr.sections if s.heading is not None and s.content()]
        out = []
        for s in self._choose(secs, n):
            start = s.heading.line
            end = s.place.end_line
            # up to the line before the next block of the half (keeps the separator of the next one)
            later = [b.line for b in self.notice.fr.blocks if b.line > end]
            stop = (min(later) - 1) if later else end
            new = self.lines[: start - 1] + self.lines[stop:]
            delta = len(new) - len(self.lines)
            en_sec = next((p.en for p in self.al.sections if p.fr is s and p.en is not None), None)
            en_span = None
            if en_sec is not None:
                ep = en_sec.place
                en_span = (_shift(ep.line, start, delta), _shift(ep.end_line, start, delta))
            prev = max([b.line for b in self.notice.fr.blocks if b.end_line < start] or [start])
            out.append(
                self._mk(
                    "drop-section",
                    new,
                    (prev, max(prev, start + 1)),
                    en_span,
                    f"removed French section {s.key} ({s.title}) at lines {start}-{stop}",
                )
            )
        return out


def donor_paragraphs(notice: Notice) -> list[str]:
    """French paragraphs of a notice, as raw one-line text, to be pasted into another notice."""
    if notice.fr is None:
        return []
    out = []
    for b in _fr_blocks(notice):
        if b.kind == "paragraph" and words(b.clean) >= 8:
            out.append(" ".join(b.clean.split()))
    return out
