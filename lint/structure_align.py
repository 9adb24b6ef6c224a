"""Alignment of structure: title, header fields by meaning, sections by number and heading.

Paragraph alignment inside section pairs is done later (vnlint.paragraph_align) when a model is used;
without a model, sections with the same number of content blocks are paired block by block.
"""

from __future__ import annotations

import functools

from rapidfuzz import fuzz, process

from .knowledge import data, fold
from .model import EN, FR, Alignment, BlockPair, FieldPair, Half, Notice, Section, SectionPair, TitlePair


@functools.lru_cache(maxsize=1)
def _field_order() -> tuple[str, ...]:
    return tuple(data("structure")["fields"].keys())


@functools.lru_cache(maxsize=1)
def _section_names() -> dict[str, dict[str, list[str]]]:
    return {
        k: {lang: [fold(x) for x in v] for lang, v in langs.items()}
        for k, langs in data("structure")["sections"].items()
    }


def canonical_section(section: Section) -> str | None:
    """The template section a heading names ("1" for SUMMARY / RÉSUMÉ), by fuzzy match."""
    if section.heading is None:
        return "0"
    title = fold(section.title)
    best, best_score = None, 0.0
    for key, langs in _section_names().items():
        names = langs.get(section.lang, []) or [n for v in langs.values() for n in v]
        m = process.extractOne(title, names, scorer=fuzz.token_set_ratio)
        if m and m[1] > best_score:
            best, best_score = key, m[1]
    return best if best_score >= 85 else None


def align_fields(en: Half | None, fr: Half | None, notice: Notice) -> list[FieldPair]:
    keys = [k for k in _field_order() if (en and k in en.fields) or (fr and k in fr.fields)]
    return [FieldPair(k, en.fields.get(k) if en else None, fr.fields.get(k) if fr else None, notice) for k in keys]


def align_sections(en: Half, fr: Half) -> list[SectionPair]:
    """Pair sections by template identity first, then by number; keep EN order."""
    en_secs = list(en.sections)
    fr_secs = list(fr.sections)
    en_canon = {id(s): canonical_section(s) for s in en_secs}
    fr_canon = {id(s): canonical_section(s) for s in fr_secs}
    pairs: dict[int, Section] = {}
    used: set[int] = set()
    # 1. Same number and compatible heading (or no heading knowledge).
    for s in en_secs:
        for t in fr_secs:
            if id(t) in used or s.key != t.key:
                continue
            ce, cf = en_canon[id(s)], fr_canon[id(t)]
            if ce is None or cf is None or ce == cf:
                pairs[id(s)] = t
                used.add(id(t))
                break
    # 2. Same template section under different numbers (a section missing shifts the numbers).
    for s in en_secs:
        if id(s) in pairs or en_canon[id(s)] is None:
            continue
        for t in fr_secs:
            if id(t) not in used and fr_canon[id(t)] == en_canon[id(s)]:
                pairs[id(s)] = t
                used.add(id(t))
                break
    # 3. Same number, whatever the headings say (reported as a heading mismatch).
    for s in en_secs:
        if id(s) in pairs:
            continue
        for t in fr_secs:
            if id(t) not in used and t.key == s.key:
                pairs[id(s)] = t
                used.add(id(t))
                break
    out: list[SectionPair] = []
    fr_pos = {id(t): i for i, t in enumerate(fr_secs)}
    pending_fr = [t for t in fr_secs if id(t) not in used]
    for s in en_secs:
        t = pairs.get(id(s))
        if t is not None:
            # FR-only sections that come before this FR section go first.
            while pending_fr and fr_pos[id(pending_fr[0])] < fr_pos[id(t)]:
                u = pending_fr.pop(0)
                out.append(SectionPair(u.key, None, u))
            out.append(SectionPair(s.key, s, t))
        else:
            out.append(SectionPair(s.key, s, None))
    for u in pending_fr:
        out.append(SectionPair(u.key, None, u))
    return out


def structural_block_pairs(sp: SectionPair) -> None:
    """Without a model: pair content blocks one to one when both sides have the same count."""
    en_blocks = sp.en.content() if sp.en else []
    fr_blocks = sp.fr.content() if sp.fr else []
    if en_blocks and len(en_blocks) == len(fr_blocks):
        sp.block_pairs = [BlockPair([a], [b], section=sp.key) for a, b in zip(en_blocks, fr_blocks)]


def align(notice: Notice) -> Alignment:
    al = Alignment(notice=notice)
    en, fr = notice.en, notice.fr
    if en and fr and en.title and fr.title:
        al.title = TitlePair(en.title, fr.title)
    if en or fr:
        al.fields = align_fields(en, fr, notice)
    if en and fr:
        al.sections = align_sections(en, fr)
        for sp in al.sections:
            if sp.aligned:
                structural_block_pairs(sp)
    return al


__all__ = ["align", "align_sections", "align_fields", "canonical_section", "EN", "FR"]
