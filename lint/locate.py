"""Where a piece of a block's clean text is on the physical lines: line, column and end column.

Blocks are reflowed (several physical lines joined, markup and bullet markers dropped); a finding
about one word points at the line and column where that word is written. Nothing here raises.
"""

from __future__ import annotations

import re
from typing import Optional

from .model import Block, Notice, Place, clean_text
from .text import BULLET_MARK

# ------------------------------------------------------------------ locating text on physical lines


def line_of(notice: Notice, block: Block, needle: str) -> int:
    """The physical line of `block` where `needle` starts (the block's first line if not found).

    Reflowed blocks join several physical lines; a finding about one word points at its own line.
    """
    lines = notice.source.lines if notice is not None and notice.source is not None else []
    if not needle or not lines:
        return block.line
    first = needle.strip().split()[0] if needle.strip() else needle
    first = first.strip("*_[](){}<>\"'«»")
    if not first:
        return block.line
    for n in range(block.line, min(block.end_line, len(lines)) + 1):
        if first in lines[n - 1]:
            return n
    low = first.casefold()
    for n in range(block.line, min(block.end_line, len(lines)) + 1):
        if low in lines[n - 1].casefold():
            return n
    return block.line


def place_of(notice: Notice, block: Block, needle: str, offset: Optional[int] = None) -> Place:
    """The place of `needle` in `block`: its line, column and end column (span_place). With
    `offset` (into block.clean), the occurrence that starts there; without, the first one (exact
    case first). A needle that is not a word (a colon, a quote mark) is placed with the word it
    touches. Where the needle cannot be found, the line where it would be, with no column."""
    clean = block.clean
    start = None
    if offset is not None and 0 <= offset <= len(clean):
        start = offset
        if needle and not clean.startswith(needle, offset) and clean.find(needle, offset) >= 0:
            start = clean.find(needle, offset)  # the offset of the phrase that holds the needle
    elif needle:
        start = clean.find(needle)
        if start < 0 and len(clean.casefold()) == len(clean):
            start = clean.casefold().find(needle.casefold())
        start = start if start >= 0 else None
    if start is None:
        n = line_of(notice, block, needle)
        return Place(n, n, block.lang)
    end = start + max(1, len(needle))
    if not _WORDISH.search(clean[start:end]):
        # Punctuation: the word it is attached to ("mot:" , "«mot"), else the word before it.
        after = _WORDISH.match(clean, end)
        before = [m for m in _WORDISH.finditer(clean, 0, start) if m.end() == start]
        if after is not None:
            end = after.end()
        elif before:
            start = before[-1].start()
        else:
            n = line_at(notice, block, start)
            return Place(n, n, block.lang)
    return span_place(notice, block, start, end)


def pair_place(notice: Notice, blocks: list[Block], start: int, end: int) -> Optional[Place]:
    """The place of characters start:end of a pair side's text (" ".join of its blocks' clean
    text, as BlockPair.en_text / fr_text), or None when the span is not inside one block."""
    pos = 0
    for b in blocks:
        n = len(b.clean)
        if pos <= start < pos + n:
            return span_place(notice, b, start - pos, min(end, pos + n) - pos)
        pos += n + 1
    return None


_WORDISH = re.compile(r"[^\W_]+")


def _text_lines(notice: Notice, block: Block) -> list[tuple[int, str, int]]:
    """The physical lines that hold the text of `block`: (line number, raw line, offset where the
    block's text starts on it). URL-only lines and page numbers inside a wrapped paragraph are not
    part of its text; nor is a bullet's marker."""
    from .reflow import PAGE_NUMBER, URL_ONLY

    lines = notice.source.lines if notice is not None and notice.source is not None else []
    out = []
    for n in range(block.line, min(block.end_line, len(lines)) + 1):
        raw = lines[n - 1]
        if n != block.line and (not raw.strip() or URL_ONLY.match(raw) or PAGE_NUMBER.match(raw)):
            continue
        m = BULLET_MARK.match(raw) if block.kind == "bullet" and n == block.line else None
        out.append((n, raw, m.end() if m else 0))
    return out


def line_at(notice: Notice, block: Block, offset: int) -> int:
    """The physical line of `block` holding character `offset` of block.clean, found by counting
    words (markup and line breaks change characters, not words)."""
    rows = _text_lines(notice, block)
    if block.end_line <= block.line or not rows:
        return block.line
    want = len(_WORDISH.findall(block.clean[: max(0, offset)]))
    seen = 0
    for n, raw, skip in rows:
        seen += len(_WORDISH.findall(clean_text(raw[skip:])))
        if seen > want:
            return n
    return rows[-1][0]


def span_place(notice: Notice, block: Block, start: int, end: int) -> Place:
    """The place of characters ``start:end`` of ``block.clean`` on the physical lines: the line
    where the span starts, its 1-based column there, and an exclusive ``end_column`` when the span
    ends on the same line. Markup and reflow change characters, not words, so the span's first
    word is found by counting words, then located by its text in the raw line."""
    clean = block.clean
    start = max(0, min(start, len(clean)))
    end = max(start, min(end, len(clean)))
    rows = _text_lines(notice, block)
    first = _WORDISH.search(clean, start)
    if not rows or first is None or first.start() >= end:
        n = line_at(notice, block, start)
        return Place(n, n, block.lang)
    want = len(_WORDISH.findall(clean[: first.start()]))  # the span's first word is word `want`
    seen = 0
    row = rows[-1]
    for r in rows:
        count = len(_WORDISH.findall(clean_text(r[1][r[2] :])))
        if seen + count > want:
            row = r
            break
        seen += count
    n, raw, skip = row
    index = want - seen  # ... and word `index` of line n
    spots = [m for m in _WORDISH.finditer(raw, skip) if m.group() == first.group()]
    spot = next(
        (m for m in spots if len(_WORDISH.findall(clean_text(raw[skip : m.start()]))) == index),
        spots[0] if spots else None,
    )
    if spot is None:
        return Place(n, n, block.lang)
    column = spot.start() + 1
    text = clean[first.start() : end].rstrip()
    end_column = None
    if raw.startswith(text, spot.start()):
        end_column = column + len(text)
    elif first.end() >= end:
        end_column = column + len(spot.group())
    else:
        # The span runs over markup or a line break: end at its last word when it is on this line.
        words = _WORDISH.findall(text)
        k = raw.find(words[-1], spot.start())
        if k >= 0 and len(_WORDISH.findall(clean_text(raw[spot.start() : k]))) == len(words) - 1:
            end_column = k + len(words[-1]) + 1
    return Place(n, n, block.lang, column, end_column)
