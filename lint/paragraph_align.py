"""Semantic alignment: paragraphs of the two halves paired by meaning (embeddings).

Called by the runner when a selected rule needs the model. For one notice:

1. every content block (paragraph, bullet, subheading) of both halves, and the sentences of the
   blocks that hold more than one sentence, are embedded in ONE ``encode`` call;
2. the notice's EN x FR cosine matrix of blocks is normalised with CSLS
   (:func:`vnlint.dp.normalise`), which removes the "hub" effect of boilerplate and makes
   scores comparable across notices (a translation scores clearly above 0, an unrelated pair below);
3. in each aligned section pair, :func:`vnlint.dp.align` (dynamic programming over 1:1, 2:1,
   1:2, 1:0, 0:1 beads) fills ``SectionPair.block_pairs`` and ``SectionPair.unpaired``; a 2:1 / 1:2
   bead whose merged text is not clearly closer than its best member is split (it would hide a
   dropped neighbour), and an unpaired block whose content is inside the neighbouring pair (a
   third paragraph merged, a sentence split off, a reader split mid-sentence) is absorbed by it;
4. a section pair whose substantive blocks mostly found no good counterpart is recorded as failed:
   its pairs are cleared (pair checks do not run on it) and alignment-failed reports it;
5. blocks left unpaired in different places that match each other are paragraphs moved to another
   section: they leave ``unpaired`` and go to ``Alignment.moved`` (reported once, as moved);
6. one EN and one FR block left over in the same place face each other as a (weak) pair, so a
   paragraph replaced by another text is reported once, by low-similarity.

The checks of vnlint.checks.semantic read what is computed here through :func:`data`.
Every tunable number is a rule option, declared once on the rule that owns it (vnlint.checks.semantic)
and read here through :func:`vnlint.engine.rule_options`.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from . import dp
from .engine import rule_options
from .model import EN, FR, Alignment, Block, BlockPair, Notice, Place, Section, SectionPair, Unpaired
from .sentences import sentences, words

# ----------------------------------------------------------------------------- data


@dataclass
class Sentences:
    """The sentences of one block and their rows in the notice's sentence matrix."""

    texts: tuple[str, ...]
    rows: list[int]


@dataclass(eq=False)
class SemanticData:
    """What semantic alignment computed for one notice (read by the checks)."""

    en_blocks: list[Block]
    fr_blocks: list[Block]
    en_vecs: np.ndarray
    fr_vecs: np.ndarray
    cos: np.ndarray  # raw EN x FR cosine of blocks
    csls: np.ndarray  # CSLS-normalised
    row: dict[int, int] = field(default_factory=dict)  # id(block) -> row (EN) or column (FR)
    section_of: dict[int, str] = field(default_factory=dict)  # id(block) -> section key
    sentences: dict[int, Sentences] = field(default_factory=dict)  # id(block) -> its sentences
    en_sent_vecs: Optional[np.ndarray] = None
    fr_sent_vecs: Optional[np.ndarray] = None
    sent_csls: Optional[np.ndarray] = None  # EN x FR sentences, CSLS over the notice
    failed: dict[str, str] = field(default_factory=dict)  # section key -> why its alignment failed
    replaced: set = field(default_factory=set)  # id() of pairs made of the one EN and one FR block left in a slot
    pair_scores: list[float] = field(default_factory=list)  # scores of the notice's 1:1 pairs
    length_ratio: float = 1.15  # typical FR/EN character ratio of the notice's 1:1 pairs
    cache: dict = field(default_factory=dict)
    cut: set = field(default_factory=set)  # id() of blocks compared on their beginning only (max-block-chars)
    embedder: object = None  # for the few extra texts a check needs (clauses of a sentence)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of extra texts (memoised per notice; the embedder's cache applies too)."""
        memo = self.cache.setdefault("vectors", {})
        todo = list(dict.fromkeys(t for t in texts if t not in memo))
        if todo and self.embedder is not None:
            for t, v in zip(todo, np.asarray(self.embedder.encode(todo), dtype=np.float32)):
                memo[t] = v
        dim = self.en_vecs.shape[1] if self.en_vecs.ndim == 2 else 1
        return np.stack([memo.get(t, np.zeros(dim, np.float32)) for t in texts]) if texts else np.zeros((0, dim))

    def vec(self, block: Block) -> np.ndarray:
        r = self.row[id(block)]
        return self.en_vecs[r] if block.lang == EN else self.fr_vecs[r]

    def raw(self, en: Block, fr: Block) -> float:
        return float(self.cos[self.row[id(en)], self.row[id(fr)]])

    def score(self, en: Block, fr: Block) -> float:
        return float(self.csls[self.row[id(en)], self.row[id(fr)]])

    def best(self, block: Block) -> tuple[Optional[Block], Optional[float]]:
        """The best counterpart of a block on the other side (whole notice) and its score."""
        r = self.row.get(id(block))
        if r is None:
            return None, None
        if block.lang == EN:
            if not self.fr_blocks:
                return None, None
            j = int(np.argmax(self.csls[r]))
            return self.fr_blocks[j], float(self.csls[r, j])
        if not self.en_blocks:
            return None, None
        i = int(np.argmax(self.csls[:, r]))
        return self.en_blocks[i], float(self.csls[i, r])


_ATTR = "_vnlint_semantic"


def data(alignment: Alignment) -> Optional[SemanticData]:
    """The semantic data of an alignment (None when semantic alignment did not run)."""
    return getattr(alignment, _ATTR, None)


# ----------------------------------------------------------------------------- alignment


def _content(half) -> list[Block]:
    return [b for s in half.sections for b in s.content()] if half is not None else []


def _heading_place(section: Optional[Section], half, lang: str) -> Place:
    if section is not None and section.heading is not None:
        h = section.heading
        return Place(h.line, h.end_line, lang)
    if section is not None and section.blocks:
        b = section.blocks[0]
        return Place(b.line, b.line, lang)
    if half is not None:
        return Place(half.line, half.line, lang)
    return Place(1, 1, lang)


def _want_sentences(settings) -> bool:
    """Sentences are embedded when a selected rule reads them (sentence-missing, paragraph-missing's
    absorption, and the word-level rules of the meaning family, which work sentence by sentence)."""
    from .codes import BY_NAME, CODES

    sel = getattr(settings, "select", None)
    if sel is None:
        return True
    readers = {BY_NAME["sentence-missing"].code, BY_NAME["paragraph-missing"].code}
    readers |= {c.code for c in CODES.values() if c.family == "meaning"}
    return bool(readers & set(sel))


def semantic_align(notice: Notice, alignment: Alignment, embedder, settings) -> None:
    """Pair the content blocks of every aligned section pair by meaning (see module docstring)."""
    en_blocks, fr_blocks = _content(notice.en), _content(notice.fr)
    lim = rule_options(settings, "alignment-limited")
    max_block, max_chars, max_texts = int(lim["max-block-chars"]), int(lim["max-chars"]), int(lim["max-texts"])
    notes = alignment.limits
    both = en_blocks + fr_blocks
    long_blocks = [b for b in both if len(b.clean) > max_block]
    if long_blocks:
        notes.append(
            (
                long_blocks[0].place,
                f"{len(long_blocks)} paragraph{'s' if len(long_blocks) > 1 else ''} longer than "
                f"{max_block:,} characters (the longest: {max(len(b.clean) for b in long_blocks):,}) "
                f"{'were' if len(long_blocks) > 1 else 'was'} compared by meaning on their first "
                f"{max_block:,} characters, as a whole, not sentence by sentence "
                "(alignment-limited max-block-chars)",
                tuple(b.place for b in long_blocks[1:]),
            )
        )
    heads = {id(b): b.clean[:max_block] for b in long_blocks}
    texts = [heads.get(id(b), b.clean) for b in both]
    total = sum(map(len, texts))
    if total > max_chars or len(texts) > max_texts:
        where = Place(notice.en.line, notice.en.line, EN)
        notes.append(
            (
                where,
                f"the notice has {len(texts):,} paragraphs and {total:,} characters to compare by "
                f"meaning, over the limit of {max_texts:,} paragraphs and {max_chars:,} characters "
                "(alignment-limited max-texts, max-chars): the semantic checks (VN116, VN300-VN306) "
                "were not run",
                (),
            )
        )
        return
    # Sentences of multi-sentence blocks go into the same encode call.
    sent_of: dict[int, tuple[str, ...]] = {}
    if _want_sentences(settings):
        for b in both:
            if id(b) in heads:
                continue  # cut to its beginning: its sentences would not face the other side's
            ss = sentences(b.clean, b.lang)
            if len(ss) > 1:
                sent_of[id(b)] = ss
    extra: list[str] = [s for b in both for s in sent_of.get(id(b), ())]
    if sent_of and (total + sum(map(len, extra)) > max_chars or len(texts) + len(extra) > max_texts):
        where = Place(notice.en.line, notice.en.line, EN)
        notes.append(
            (
                where,
                f"the sentences of the notice's paragraphs ({len(extra):,}) are over the limit of "
                f"{max_texts:,} texts and {max_chars:,} characters compared by meaning "
                "(alignment-limited max-texts, max-chars): sentence-missing (VN303) compared whole "
                "paragraphs only",
                (),
            )
        )
        sent_of, extra = {}, []
    vecs = embedder.encode(texts + extra) if texts else np.zeros((0, 1), np.float32)
    vecs = np.asarray(vecs, dtype=np.float32)
    n, m = len(en_blocks), len(fr_blocks)
    E, F = vecs[:n], vecs[n : n + m]
    cos = E @ F.T if n and m else np.zeros((n, m), np.float32)
    csls = dp.normalise(cos)
    d = SemanticData(en_blocks, fr_blocks, E, F, cos, csls, embedder=embedder, cut=set(heads))
    for i, b in enumerate(en_blocks):
        d.row[id(b)] = i
        d.section_of[id(b)] = b.section or ""
    for j, b in enumerate(fr_blocks):
        d.row[id(b)] = j
        d.section_of[id(b)] = b.section or ""

    # Sentence rows: every block has sentences; single-sentence blocks reuse the block vector.
    en_sv: list[np.ndarray] = []
    fr_sv: list[np.ndarray] = []
    k = n + m
    for b, own in [(b, E[i]) for i, b in enumerate(en_blocks)] + [(b, F[j]) for j, b in enumerate(fr_blocks)]:
        target = en_sv if b.lang == EN else fr_sv
        ss = sent_of.get(id(b))
        if ss is None:
            d.sentences[id(b)] = Sentences((b.clean,), [len(target)])
            target.append(own)
        else:
            rows = []
            for _ in ss:
                rows.append(len(target))
                target.append(vecs[k])
                k += 1
            d.sentences[id(b)] = Sentences(ss, rows)
    dim = vecs.shape[1] if vecs.ndim == 2 else 1
    d.en_sent_vecs = np.stack(en_sv) if en_sv else np.zeros((0, dim), np.float32)
    d.fr_sent_vecs = np.stack(fr_sv) if fr_sv else np.zeros((0, dim), np.float32)
    if len(en_sv) and len(fr_sv):
        d.sent_csls = dp.normalise(d.en_sent_vecs @ d.fr_sent_vecs.T)
    setattr(alignment, _ATTR, d)

    o = rule_options(settings, "paragraph-missing")
    params = dp.AlignParams(skip_penalty=float(o["skip-penalty"]), merge_penalty=float(o["merge-penalty"]))
    weak = float(rule_options(settings, "low-similarity")["weak-score"])

    gain, absorb_raw = float(o["merge-gain"]), float(o["absorb-raw"])
    max_section = int(lim["max-section-blocks"])
    for sp in alignment.sections:
        sp.block_pairs, sp.unpaired = [], []
        if not sp.aligned:
            continue
        sizes = len(sp.en.content()), len(sp.fr.content())
        if max(sizes) > max_section:
            d.failed[sp.key] = (
                f"it has {sizes[0]:,} English and {sizes[1]:,} French paragraphs, more than the "
                f"{max_section:,} a section may have to be aligned by meaning "
                "(alignment-limited max-section-blocks)"
            )
            continue
        _align_section(sp, d, notice, params, weak, gain)
        _absorb(sp, d, gain, absorb_raw, weak)

    _detect_failures(alignment, d, settings)
    _detect_moved(alignment, d, settings)
    for sp in alignment.sections:
        if sp.aligned and sp.key not in d.failed:
            _pair_leftovers(sp, d, weak, int(rule_options(settings, "low-similarity")["min-words"]))

    one_to_one = [bp for bp in alignment.block_pairs() if len(bp.en) == 1 and len(bp.fr) == 1]
    d.pair_scores = [float(bp.score) for bp in one_to_one if bp.score is not None]
    ratios = [
        len(bp.fr_text) / len(bp.en_text)
        for bp in one_to_one
        if len(bp.en_text) >= 40 and bp.score is not None and bp.score > 0.2
    ]
    if len(ratios) >= 5:
        d.length_ratio = float(statistics.median(ratios))
    alignment.semantic = True


def split_weak_merges(beads: list, cos: np.ndarray, csls: np.ndarray, min_gain: float) -> list:
    """Split 2:1 / 1:2 beads whose merged text is not closer than its best member alone.

    `cos` and `csls` are indexed by the beads' (local) EN and FR positions. A true merge (two
    English paragraphs or sentences translated as one) is closer to the merged text than to either
    part; a merge that only swallows an unrelated neighbour (next to a dropped bullet or sentence)
    is not, and would hide the dropped one. The best member keeps a 1:1 bead, the other is unpaired.
    """
    out = []
    for bead in beads:
        if not bead.is_pair or (len(bead.en) == 1 and len(bead.fr) == 1):
            out.append(bead)
            continue
        members = [(i, j) for i in bead.en for j in bead.fr]
        raws = [float(cos[i, j]) for i, j in members]
        if bead.raw >= max(raws) + min_gain:
            out.append(bead)
            continue
        bi, bj = members[int(np.argmax(raws))]
        for i in bead.en:
            if i == bi:
                out.append(dp.Bead((bi,), (bj,), float(csls[bi, bj]), float(cos[bi, bj])))
            else:
                out.append(dp.Bead((i,), (), 0.0, 0.0))
        for j in bead.fr:
            if j != bj:
                out.append(dp.Bead((), (j,), 0.0, 0.0))
    return out


def _align_section(sp: SectionPair, d: SemanticData, notice: Notice, params, weak: float, min_gain: float) -> None:
    en_b, fr_b = sp.en.content(), sp.fr.content()
    if not en_b and not fr_b:
        return
    ei = [d.row[id(b)] for b in en_b]
    fj = [d.row[id(b)] for b in fr_b]
    beads = dp.align(
        d.en_vecs[ei] if ei else np.zeros((0, d.en_vecs.shape[1]), np.float32),
        d.fr_vecs[fj] if fj else np.zeros((0, d.fr_vecs.shape[1]), np.float32),
        en_index=ei,
        fr_index=fj,
        score=d.csls,
        params=params,
    )
    beads = split_weak_merges(beads, d.cos[np.ix_(ei, fj)], d.csls[np.ix_(ei, fj)], min_gain)
    last_en: Optional[Place] = None
    last_fr: Optional[Place] = None
    en_head = _heading_place(sp.en, notice.en, EN)
    fr_head = _heading_place(sp.fr, notice.fr, FR)
    for bead in beads:
        if bead.is_pair:
            bp = BlockPair(
                [en_b[i] for i in bead.en],
                [fr_b[j] for j in bead.fr],
                score=float(bead.score),
                raw=float(bead.raw),
                section=sp.key,
                weak=float(bead.score) < weak,
            )
            sp.block_pairs.append(bp)
            last_en, last_fr = bp.place(EN), bp.place(FR)
            continue
        if bead.en:
            b = en_b[bead.en[0]]
            where = Place(last_fr.end_line, last_fr.end_line, FR) if last_fr else fr_head
        else:
            b = fr_b[bead.fr[0]]
            where = Place(last_en.end_line, last_en.end_line, EN) if last_en else en_head
        best, best_score = d.best(b)
        sp.unpaired.append(Unpaired(b, sp.key, best, best_score, where))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def _pair_scores(en: list[Block], fr: list[Block], d: SemanticData) -> tuple[float, float]:
    """(score, raw) of a bead of any size, as dp scores merged beads.

    raw is the cosine of the summed (normalised) vectors; score is the mean CSLS of the member
    pairs plus twice the raw gain of the merge over the members' mean cosine.
    """
    ev = _unit(sum(d.vec(b) for b in en))
    fv = _unit(sum(d.vec(b) for b in fr))
    raw = float(ev @ fv)
    members = [(e, f) for e in en for f in fr]
    mean_s = float(np.mean([d.score(e, f) for e, f in members]))
    mean_r = float(np.mean([d.raw(e, f) for e, f in members]))
    return mean_s + 2.0 * (raw - mean_r), raw


def _absorption(x: Block, bp: BlockPair, d: SemanticData, gain: float, absorb_raw: float) -> Optional[float]:
    """How well the pair `bp` absorbs the unpaired neighbour block `x` (None: it does not).

    The paragraph DP merges at most two blocks, and a merge must beat the members alone; when a
    translation joins three paragraphs into one, or splits one oddly, a block is left unpaired
    although its content is there. It is absorbed when
    - merging it into its side of the pair raises the pair's raw cosine by `gain`, or
    - it explains a sentence of the other side of the pair better than the pair's own blocks
      do, with a raw cosine of at least `absorb-raw` (paragraph-missing).
    """
    mine = bp.en if x.lang == EN else bp.fr
    theirs = bp.fr if x.lang == EN else bp.en
    tv = _unit(sum(d.vec(b) for b in theirs))
    mv = sum(d.vec(b) for b in mine)
    before = float(_unit(mv) @ tv)
    after = float(_unit(mv + d.vec(x)) @ tv)
    best, _ = d.best(x)
    if after - before >= gain and any(best is b for b in theirs):
        return after - before  # (and x's best match in the whole notice is on the other side of this pair)
    own_sv = d.en_sent_vecs if x.lang == EN else d.fr_sent_vecs
    other_sv = d.fr_sent_vecs if x.lang == EN else d.en_sent_vecs
    t_rows = [r for b in theirs for r in d.sentences[id(b)].rows]
    m_rows = [r for b in mine for r in d.sentences[id(b)].rows]
    x_rows = d.sentences[id(x)].rows
    if not t_rows or not m_rows or not x_rows:
        return None
    t = other_sv[t_rows]
    by_x = (own_sv[x_rows] @ t.T).max(axis=0)  # best cosine of each other-side sentence to x
    by_mine = (own_sv[m_rows] @ t.T).max(axis=0)
    ok = (by_x >= absorb_raw) & (by_x > by_mine)
    if ok.any():
        return float((by_x - by_mine)[ok].max()) * 0.01  # ranks below a cosine gain
    return None


def _continues(x: Block, bp: BlockPair, d: SemanticData) -> bool:
    """Joining x to its side of the pair (as text) does not lower the pair's similarity."""
    mine = bp.en if x.lang == EN else bp.fr
    theirs = bp.fr if x.lang == EN else bp.en
    tv = _unit(sum(d.vec(b) for b in theirs))
    before = float(_unit(sum(d.vec(b) for b in mine)) @ tv)
    joined = " ".join(b.clean for b in sorted(mine + [x], key=lambda b: b.line))
    return float(_unit(d.encode([joined])[0]) @ tv) >= before


_TERMINAL = re.compile(r"[.!?;:\u2026)\]\u00bb\"\u201d']\s*$")


def _absorb(sp: SectionPair, d: SemanticData, gain: float, absorb_raw: float, weak: float) -> None:
    """Merge unpaired blocks into the adjacent pair that contains their content (see _absorption)."""
    changed = True
    while changed and sp.unpaired and sp.block_pairs:
        changed = False
        for u in list(sp.unpaired):
            x = u.block
            if x.kind == "subheading":
                continue
            side = sp.en.content() if x.lang == EN else sp.fr.content()
            pos = {id(b): k for k, b in enumerate(side)}
            k = pos.get(id(x))
            if k is None:
                continue
            best, best_val = None, None
            prev = side[k - 1] if k > 0 else None
            if (
                x.kind == "paragraph"
                and prev is not None
                and prev.kind in ("paragraph", "bullet")
                and not _TERMINAL.search(prev.clean)
            ):
                # The previous block stops mid-sentence, so this one may be its continuation (a reader
                # split): absorbed if merging it does not lower the pair's similarity.
                cont = next((bp for bp in sp.block_pairs if prev in (bp.en if x.lang == EN else bp.fr)), None)
                if cont is not None and _continues(x, cont, d):
                    best = cont
            for bp in [] if best is not None else sp.block_pairs:
                mine = bp.en if x.lang == EN else bp.fr
                ks = [pos.get(id(b), -10) for b in mine]
                if not (min(ks) == k + 1 or max(ks) == k - 1):
                    continue
                if any(b.kind == "subheading" for b in bp.en + bp.fr):
                    continue
                val = _absorption(x, bp, d, gain, absorb_raw)
                if val is not None and (best_val is None or val > best_val):
                    best, best_val = bp, val
            if best is None:
                continue
            mine = best.en if x.lang == EN else best.fr
            mine.append(x)
            mine.sort(key=lambda b: pos[id(b)])
            best.score, best.raw = _pair_scores(best.en, best.fr, d)
            best.weak = best.score < weak
            sp.unpaired.remove(u)
            changed = True


def _pair_leftovers(sp: SectionPair, d: SemanticData, weak: float, min_words: int) -> None:
    """One EN and one FR block left unpaired in the same slot (between the same pairs) face each other.

    The DP leaves a paragraph replaced by another text as a missing + an extra paragraph when the two
    score below twice the skip penalty; in the same slot they are a paragraph and its (wrong)
    translation, reported once by low-similarity.
    """
    if not sp.unpaired:
        return
    pairs = sorted(sp.block_pairs, key=lambda bp: bp.en[0].line)

    def slot(b: Block) -> tuple:
        side = [(bp.en if b.lang == EN else bp.fr) for bp in pairs]
        before = sum(1 for blocks in side if blocks[-1].line < b.line)
        return (before, sum(1 for blocks in side if blocks[0].line > b.line))

    slots: dict[tuple, list[Unpaired]] = {}
    for u in sp.unpaired:
        slots.setdefault(slot(u.block), []).append(u)
    for group in slots.values():
        en = [u for u in group if u.block.lang == EN]
        fr = [u for u in group if u.block.lang == FR]
        if len(en) != 1 or len(fr) != 1 or "subheading" in (en[0].block.kind, fr[0].block.kind):
            continue
        e, f = en[0].block, fr[0].block
        if min(words(e.clean), words(f.clean)) < min_words:
            continue  # short blocks stay missing / extra (reported from 4 words), not "mistranslated"
        bp = BlockPair([e], [f], score=d.score(e, f), raw=d.raw(e, f), section=sp.key, weak=True)
        d.replaced.add(id(bp))
        sp.block_pairs.append(bp)
        sp.unpaired = [u for u in sp.unpaired if u.block is not e and u.block is not f]
    sp.block_pairs.sort(key=lambda bp: bp.en[0].line)


def _detect_moved(alignment: Alignment, d: SemanticData, settings) -> None:
    o = rule_options(settings, "paragraph-moved")
    min_words = int(rule_options(settings, "paragraph-missing")["min-words"])
    ups = [
        (sp, u)
        for sp in alignment.sections
        for u in sp.unpaired
        if u.block.kind != "subheading" and words(u.block.clean) >= min_words
    ]
    en_rows = [d.row[id(u.block)] for _, u in ups if u.block.lang == EN]
    fr_rows = [d.row[id(u.block)] for _, u in ups if u.block.lang == FR]
    found = dp.moved(en_rows, fr_rows, d.csls, float(o["threshold"]))
    taken: set[int] = set()
    for mv in found:
        if d.cos[mv.en, mv.fr] < float(o["min-raw"]):
            continue
        # Mutual best among the unpaired: a moved paragraph is the best match of its counterpart.
        if fr_rows and mv.fr != max(fr_rows, key=lambda j: d.csls[mv.en, j]):
            continue
        if en_rows and mv.en != max(en_rows, key=lambda i: d.csls[i, mv.fr]):
            continue
        en_b, fr_b = d.en_blocks[mv.en], d.fr_blocks[mv.fr]
        alignment.moved.append(
            BlockPair([en_b], [fr_b], score=float(mv.score), raw=float(d.cos[mv.en, mv.fr]), section=en_b.section)
        )
        taken.add(id(en_b))
        taken.add(id(fr_b))
    if taken:
        for sp in alignment.sections:
            sp.unpaired = [u for u in sp.unpaired if id(u.block) not in taken]


def _detect_failures(alignment: Alignment, d: SemanticData, settings) -> None:
    """Record (and clear) section pairs whose substantive blocks mostly found no good counterpart."""
    o = rule_options(settings, "alignment-failed")
    min_blocks, good_score, min_good = int(o["min-blocks"]), float(o["good-score"]), float(o["min-good"])
    good_raw = float(o["good-raw"])
    min_words = int(rule_options(settings, "paragraph-missing")["min-words"])

    def substantive(b: Block) -> bool:
        return b.kind != "subheading" and words(b.clean) >= min_words

    for sp in alignment.sections:
        if not sp.aligned or sp.key in d.failed:
            continue
        en_b = [b for b in sp.en.content() if substantive(b)]
        fr_b = [b for b in sp.fr.content() if substantive(b)]
        if min(len(en_b), len(fr_b)) < min_blocks:
            continue
        good = {
            id(b)
            for bp in sp.block_pairs
            if (bp.score is not None and bp.score >= good_score) or (bp.raw is not None and bp.raw >= good_raw)
            for b in bp.en + bp.fr
        }
        g_en = sum(1 for b in en_b if id(b) in good)
        g_fr = sum(1 for b in fr_b if id(b) in good)
        if g_en < min_good * len(en_b) and g_fr < min_good * len(fr_b):
            d.failed[sp.key] = (
                f"only {g_en} of {len(en_b)} English and {g_fr} of {len(fr_b)} French "
                f"paragraphs found a matching counterpart"
            )
            sp.block_pairs, sp.unpaired = [], []
