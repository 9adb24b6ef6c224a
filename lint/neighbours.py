"""The blocks around a block in its half: the neighbouring paragraphs and bullets, and the URL-only
lines that follow a paragraph (a PDF puts a long link on its own line). Checks use them where a
paragraph split differently on the two sides moves a sentence, a number or a link to the next pair.
"""

from __future__ import annotations

import functools
from typing import Optional

from .model import Alignment, Block, BlockPair


def block_pairs_with_moved(alignment: Optional[Alignment]) -> list[BlockPair]:
    if alignment is None:
        return []
    out = list(alignment.block_pairs())
    out += list(getattr(alignment, "moved", []) or [])
    return out


@functools.lru_cache(maxsize=8)
def half_index(half) -> tuple[list[Block], dict[int, int], dict[int, int]]:
    """A half's paragraphs and bullets in order, and the position of each block among them and among
    all the half's blocks: the neighbour lookups below are then constant time, not a scan per pair."""
    seq = [b for b in half.blocks if b.kind in ("paragraph", "bullet")]
    return seq, {id(b): i for i, b in enumerate(seq)}, {id(b): i for i, b in enumerate(half.blocks)}


def neighbour_text(half, blocks: list[Block]) -> str:
    """The clean text of the content blocks just before and just after `blocks` in their half:
    a paragraph split differently on the two sides moves a sentence into the next pair."""
    if half is None or not blocks:
        return ""
    seq, pos, _ = half_index(half)
    first, last = pos.get(id(blocks[0])), pos.get(id(blocks[-1]))
    out = []
    if first is not None and first > 0:
        out.append(seq[first - 1].clean)
    if last is not None and last + 1 < len(seq):
        out.append(seq[last + 1].clean)
    return "\n".join(out)


def context_blocks(half, blocks: list[Block]) -> list[Block]:
    """`blocks`, the URL lines after them, and the neighbouring content blocks with theirs."""
    if half is None or not blocks:
        return list(blocks)
    seq, pos, _ = half_index(half)
    first, last = pos.get(id(blocks[0])), pos.get(id(blocks[-1]))
    out = list(blocks) + trailing_urls(half, blocks)
    for i in (first - 1 if first is not None else -1, last + 1 if last is not None else -1):
        if 0 <= i < len(seq):
            out += [seq[i]] + trailing_urls(half, [seq[i]])
    return out


def trailing_urls(half, blocks: list[Block]) -> list[Block]:
    """URL-only lines right after a paragraph belong to it (a PDF puts a long link on its own line)."""
    if half is None or not blocks:
        return []
    idx = half_index(half)[2].get(id(blocks[-1]))
    if idx is None:
        return []
    out = []
    for k in range(idx + 1, len(half.blocks)):  # no slice: a copy of the rest would be linear
        if half.blocks[k].kind != "url":
            break
        out.append(half.blocks[k])
    return out
