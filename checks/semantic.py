"""Semantic checks: paragraphs and sentences compared by meaning (multilingual sentence embeddings).

They read the paragraph alignment computed by vnlint.semantic (CSLS-normalised cosines, dynamic
programming inside each section pair). Thresholds are rule options whose defaults live in
vnlint.semantic.DEFAULTS (chosen on the calibration set, see tools/calibrate.py).
"""

from __future__ import annotations

import functools
import re
import statistics

import numpy as np
from rapidfuzz import fuzz

from vnlint import semalign
from vnlint.engine import Context, rule
from vnlint.lang import guess_lang
from vnlint.model import EN, FR, Block, BlockPair, Hit, Notice, Place, SectionPair, Unpaired
from vnlint.semantic import DEFAULTS, data, options, sentences, words

_LANG_NAME = {EN: "English", FR: "French"}


def _kind(block: Block) -> str:
    return {"bullet": "bullet", "subheading": "subheading"}.get(block.kind, "paragraph")


def _quote(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    if len(text) > n:
        text = text[: n - 1].rstrip() + "\u2026"
    return "\u201c" + text + "\u201d"


def _lines(place: Place) -> str:
    return f"line {place.line}" if place.line == place.end_line else f"lines {place.line}-{place.end_line}"


def _reportable(block: Block, min_words: int) -> bool:
    """Unpaired blocks worth reporting: not subheadings, not labels or one-word lines."""
    return block.kind != "subheading" and words(block.clean) >= min_words


def _absorbed(u: Unpaired, ctx: Context) -> bool:
    """The unpaired block's content is inside a neighbouring block of the other side (merged text).

    The paragraph DP merges at most two blocks; when three short EN paragraphs become one French
    paragraph, the third is left unpaired although its content is there. It counts as absorbed
    when one sentence of the blocks paired next to it is close to it, or when merging it into its
    neighbour pair raises that pair's cosine.
    """
    d = data(ctx.alignment)
    sp = next((s for s in ctx.alignment.sections if s.key == u.section), None)
    if d is None or sp is None:
        return False
    opts = options(ctx.settings, "paragraph-missing")
    raw_thr, gain_thr = float(opts["absorbed_raw"]), float(opts["absorbed_gain"])
    b = u.block
    side = b.lang
    # The pairs just before and after the block on its own side.
    own = sp.en.content() if side == EN else sp.fr.content()
    pos = {id(x): k for k, x in enumerate(own)}
    k = pos.get(id(b))
    if k is None:
        return False
    near = []
    for bp in sp.block_pairs:
        mine = bp.en if side == EN else bp.fr
        ks = [pos.get(id(x), -99) for x in mine]
        if any(abs(kk - k) == 1 for kk in ks):
            near.append(bp)
    v = d.vec(b)
    sv = d.en_sent_vecs if side == EN else d.fr_sent_vecs
    other_sv = d.fr_sent_vecs if side == EN else d.en_sent_vecs
    for bp in near:
        theirs = bp.fr if side == EN else bp.en
        mine = bp.en if side == EN else bp.fr
        # one sentence of the neighbour's counterpart is a translation of this block
        for t in theirs:
            rows = d.sentences[id(t)].rows
            if rows and float(np.max(other_sv[rows] @ v)) >= raw_thr:
                return True
        # merging the block into the neighbour raises the neighbour pair's similarity
        mv = sum(d.vec(x) for x in mine)
        tv = sum(d.vec(x) for x in theirs)
        tv = tv / (np.linalg.norm(tv) or 1.0)
        before = float((mv / (np.linalg.norm(mv) or 1.0)) @ tv)
        mv2 = mv + v
        after = float((mv2 / (np.linalg.norm(mv2) or 1.0)) @ tv)
        if after - before >= gain_thr:
            return True
    return False


def _is_duplicate_copy(block: Block, ctx: Context) -> bool:
    """The block is a repeated copy reported by duplicate-paragraph (so not also as extra/missing)."""
    from vnlint.codes import BY_NAME

    if BY_NAME["duplicate-paragraph"].code not in ctx.settings.select:
        return False
    return any(block is copy for copy, _first in _duplicates(ctx))


@rule("paragraph-missing", needs_model=True, **DEFAULTS["paragraph-missing"])
def paragraph_missing(u: Unpaired, ctx: Context):
    """An English paragraph or bullet has no counterpart in the French half.

    Why: a dropped paragraph (a duty, a condition of employment, the accommodation or no-fee
    statement) means French readers do not get information English readers do. Paragraphs are
    paired by meaning (multilingual embeddings, CSLS-normalised, aligned in order inside each
    section), so a French half that merges or splits paragraphs is not reported.
    Bad: EN "Candidates will be required to provide documented medical evidence ..." and nothing
    like it in the French section 8.
    Good: the French section carries a paragraph saying the same thing, even split in two.
    """
    b = u.block
    if b.lang != EN or not _reportable(b, int(ctx.opt("min_words", 4))):
        return
    if _absorbed(u, ctx) or _is_duplicate_copy(b, ctx):
        return
    where = u.neighbour or Place(ctx.notice.fr.line, ctx.notice.fr.line, FR)
    what = _kind(b)
    msg = f"English {what} {_quote(b.clean)} has no counterpart in the French half"
    if u.best is not None and u.best_score is not None:
        msg += f" (closest French text, {_lines(u.best.place)}, scores {u.best_score:.2f})"
    yield Hit(Place(where.line, where.end_line, FR), msg, related=(b.place,), section=u.section)


@rule("paragraph-extra", needs_model=True, **DEFAULTS["paragraph-extra"])
def paragraph_extra(u: Unpaired, ctx: Context):
    """A French paragraph or bullet has no counterpart in the English half.

    Why: text that exists only in the translation is either added content (a condition the
    English notice does not set) or a paragraph that replaced the right one; both need a look.
    Bad: a French paragraph about relocation allowances that the English notice does not have.
    Good: every French paragraph translates English text.
    """
    b = u.block
    if b.lang != FR or not _reportable(b, int(ctx.opt("min_words", 4))):
        return
    if _absorbed(u, ctx) or _is_duplicate_copy(b, ctx):
        return
    what = _kind(b)
    msg = f"French {what} {_quote(b.clean)} has no counterpart in the English half"
    if u.best is not None and u.best_score is not None:
        msg += f" (closest English text, {_lines(u.best.place)}, scores {u.best_score:.2f})"
    related = (u.neighbour,) if u.neighbour else ()
    yield Hit(b.place, msg, related=related, section=u.section)


def _robust(values: list[float]) -> tuple[float, float]:
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    return med, max(1.4826 * mad, 0.05)


@rule("low-similarity", needs_model=True, **DEFAULTS["low-similarity"])
def low_similarity(bp: BlockPair, ctx: Context):
    """A French paragraph paired with an English one says something else (likely mistranslation).

    Why: a paragraph replaced by another one (pasted from another notice, from the wrong
    section), or translated from the wrong source, keeps the layout intact; only its meaning
    shows it. The pair's CSLS score is compared with the notice's own pair scores (a robust
    z-score), so a notice with a loose but correct translation is not flagged throughout.
    Bad: EN "The incumbent manages the section budget." facing FR "Le parc sera fermé en août."
    Good: FR "La/Le titulaire gère le budget de la section."
    """
    d = data(ctx.alignment)
    if d is None or bp.score is None or len(bp.en) != 1 or len(bp.fr) != 1:
        return
    mw = int(ctx.opt("min_words", 6))
    if words(bp.en_text) < mw or words(bp.fr_text) < mw:
        return
    scores = d.pair_scores
    if len(scores) < 5:
        return
    med, spread = _robust(scores)
    z = (bp.score - med) / spread
    if z > float(ctx.opt("z", -2.5)) or bp.score > float(ctx.opt("max_score", 0.15)):
        return
    best, best_score = d.best(bp.fr[0])
    msg = (f"French {_kind(bp.fr[0])} does not match its English counterpart {_quote(bp.en_text, 50)} "
           f"(score {bp.score:.2f}, typical {med:.2f} for this notice)")
    if best is not None and best is not bp.en[0] and best_score is not None:
        msg += f"; closest English text is {_lines(best.place)} ({best_score:.2f})"
    yield Hit(bp.place(FR), msg, related=(bp.place(EN),), section=bp.section)


def _sentence_rows(blocks: list[Block], d) -> tuple[list[str], list[int]]:
    texts, rows = [], []
    for b in blocks:
        s = d.sentences.get(id(b))
        if s is None:
            continue
        texts.extend(s.texts)
        rows.extend(s.rows)
    return texts, rows


@rule("sentence-missing", needs_model=True, **DEFAULTS["sentence-missing"])
def sentence_missing(bp: BlockPair, ctx: Context):
    """A sentence of a paragraph is missing from its translation (partial omission).

    Why: the most frequent translation defect is not a missing paragraph but a missing
    sentence or clause: the paragraph is there, so a reviewer's eye passes over it. Both
    paragraphs are split into sentences (pysbd) and the sentences aligned by meaning; one
    sentence merged into or split from another is fine, a sentence with no counterpart is not.
    A French paragraph much shorter than its English one (for this notice) is also reported.
    Bad: EN "The post is based in Mons. Frequent travel is required." / FR "Le poste est basé à Mons."
    Good: FR "Le poste est basé à Mons et implique de fréquents déplacements."
    """
    d = data(ctx.alignment)
    if d is None or d.sent_csls is None or bp.score is None:
        return
    mw = int(ctx.opt("min_words", 6))
    en_t, en_r = _sentence_rows(bp.en, d)
    fr_t, fr_r = _sentence_rows(bp.fr, d)
    if not en_t or not fr_t:
        return
    reported = False
    if len(en_t) + len(fr_t) > 2:
        opts = options(ctx.settings, "paragraph-missing")
        params = semalign.AlignParams(skip_penalty=float(opts["skip_penalty"]),
                                      merge_penalty=float(opts["merge_penalty"]))
        E, F = d.en_sent_vecs[en_r], d.fr_sent_vecs[fr_r]
        beads = semalign.align(E, F, en_index=en_r, fr_index=fr_r, score=d.sent_csls, params=params)
        raw = E @ F.T
        for k, bead in enumerate(beads):
            if bead.is_pair:
                continue
            if bead.en:
                i = bead.en[0]
                text, lang, best = en_t[i], EN, float(raw[i].max())
                gain = _merge_gain(E, F, beads, k, i, side=EN)
            else:
                j = bead.fr[0]
                text, lang, best = fr_t[j], FR, float(raw[:, j].max())
                gain = _merge_gain(E, F, beads, k, j, side=FR)
            if words(text) < mw or best > float(ctx.opt("max_raw", 0.45)) or gain > float(ctx.opt("max_gain", 0.02)):
                continue
            reported = True
            if lang == EN:
                yield Hit(bp.place(FR), f"English sentence {_quote(text)} is not in the French {_kind(bp.fr[0])} "
                          f"(best match {best:.2f})", related=(bp.place(EN),), section=bp.section)
            else:
                yield Hit(bp.place(FR), f"French sentence {_quote(text)} has no counterpart in the English "
                          f"{_kind(bp.en[0])} (best match {best:.2f})", related=(bp.place(EN),), section=bp.section)
    if reported:
        return
    # A cut-short translation: much shorter than the notice's usual French/English length ratio.
    en_len, fr_len = len(bp.en_text), len(bp.fr_text)
    if words(bp.en_text) >= 2 * mw and en_len > 0:
        rel = (fr_len / en_len) / max(d.length_ratio, 0.5)
        if rel < float(ctx.opt("length_ratio", 0.55)):
            yield Hit(bp.place(FR), f"French {_kind(bp.fr[0])} is much shorter than the English one "
                      f"({fr_len} vs {en_len} characters): part of {_quote(bp.en_text, 50)} may be missing",
                      related=(bp.place(EN),), section=bp.section)


def _merge_gain(E, F, beads, k, idx, side) -> float:
    """How much merging an unpaired sentence into the neighbouring pair raises that pair's cosine."""
    def unit(v):
        n = np.linalg.norm(v)
        return v / n if n else v

    gain = -1.0
    for nb in (k - 1, k + 1):
        if nb < 0 or nb >= len(beads) or not beads[nb].is_pair:
            continue
        b = beads[nb]
        ev = unit(sum(E[i] for i in b.en))
        fv = unit(sum(F[j] for j in b.fr))
        before = float(ev @ fv)
        if side == EN:
            after = float(unit(sum(E[i] for i in b.en) + E[idx]) @ fv)
        else:
            after = float(ev @ unit(sum(F[j] for j in b.fr) + F[idx]))
        gain = max(gain, after - before)
    return gain


# ----------------------------------------------------------------------------- untranslated

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
_ACRO = re.compile(r"\b[A-Z][A-Z0-9&/.-]{1,}\b")
_PAREN_CODE = re.compile(r"\([^)]{0,25}\)")


def _language_text(text: str) -> str:
    """Text for language identification: without URLs, e-mail addresses, acronyms and codes."""
    text = _URL.sub(" ", text)
    text = _ACRO.sub(" ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def _detector():
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    return DetectorFactory


@functools.lru_cache(maxsize=4096)
def detect_lang(text: str) -> tuple[str, float]:
    """langdetect's best language and its probability (deterministic: seed 0)."""
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    _detector().seed = 0
    try:
        langs = detect_langs(text)
    except LangDetectException:
        return "", 0.0
    if not langs:
        return "", 0.0
    return langs[0].lang, float(langs[0].prob)


def _in_other_language(text: str, lang: str, ctx: Context) -> bool:
    """The text of a `lang` block is written in the other language (langdetect and the vote agree)."""
    other = EN if lang == FR else FR
    t = _language_text(text)
    if words(t) < int(ctx.opt("min_words", 8)):
        return False
    got, prob = detect_lang(t)
    if got != other or prob < float(ctx.opt("probability", 0.9)):
        return False
    return guess_lang(t) == other


@rule("untranslated", needs_model=True, **DEFAULTS["untranslated"])
def untranslated(doc: Notice, ctx: Context):
    """A paragraph of the French half is in English (or of the English half in French).

    Why: a paragraph left untranslated (or pasted from the English notice) passes every
    structural check, yet French readers do not get it in French. Language is identified by
    langdetect (seeded, deterministic) on paragraphs of at least 8 words, without names,
    acronyms, URLs and e-mail addresses, and confirmed by a function-word vote; a French
    paragraph nearly identical to its English counterpart is reported too.
    Bad: in the French half, "Candidates will be required to provide documented medical evidence."
    Good: "Les candidat(e)s devront fournir des justificatifs médicaux."
    """
    d = data(ctx.alignment)
    notice = ctx.notice
    if notice.en is None or notice.fr is None:
        return
    counterpart: dict[int, BlockPair] = {}
    for bp in list(ctx.alignment.block_pairs()) + list(ctx.alignment.moved):
        for b in bp.fr + bp.en:
            counterpart[id(b)] = bp
    for half in (notice.fr, notice.en):
        for s in half.sections:
            for b in s.content():
                if b.kind == "subheading":
                    continue
                text = b.clean
                bp = counterpart.get(id(b))
                copied = False
                if bp is not None and len(bp.en) == 1 and len(bp.fr) == 1 and words(text) >= 4:
                    other = bp.en[0] if b.lang == FR else bp.fr[0]
                    raw = d.raw(bp.en[0], bp.fr[0]) if d is not None else 0.0
                    copied = (fuzz.ratio(text, other.clean) >= float(ctx.opt("copy_ratio", 90))
                              and raw >= float(ctx.opt("copy_raw", 0.95))
                              and guess_lang(_language_text(text), minimum=1) == (EN if b.lang == FR else FR))
                if b.lang == FR and copied:
                    yield Hit(b.place, f"French {_kind(b)} is a copy of the English text {_quote(text, 50)}",
                              related=(bp.place(EN),), section=b.section)
                elif _in_other_language(text, b.lang, ctx):
                    lang_name = _LANG_NAME[EN if b.lang == FR else FR]
                    related = (bp.place(EN if b.lang == FR else FR),) if bp is not None else ()
                    yield Hit(b.place, f"{_LANG_NAME[b.lang]} {_kind(b)} is written in {lang_name}: "
                              f"{_quote(text, 50)}", related=related, section=b.section)


# ----------------------------------------------------------------------------- duplicates


def _duplicates(ctx: Context) -> list[tuple[Block, Block]]:
    """(copy, first) for blocks repeated on one side more often than on the other side."""
    key = ("duplicates",)
    d = data(ctx.alignment)
    if d is None:
        return []
    if key in d.cache:
        return d.cache[key]
    o = options(ctx.settings, "duplicate-paragraph")
    mw, ratio, cosine = int(o["min_words"]), float(o["ratio"]), float(o["cosine"])

    def clusters(blocks, vecs):
        """Groups of near-identical blocks (indices), as a union-find over similar pairs."""
        parent = list(range(len(blocks)))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        idx = [k for k, b in enumerate(blocks) if b.kind != "subheading" and words(b.clean) >= mw]
        if len(idx) > 1:
            sims = vecs[idx] @ vecs[idx].T
            for a in range(len(idx)):
                for c in range(a + 1, len(idx)):
                    i, j = idx[a], idx[c]
                    if sims[a, c] >= cosine or fuzz.ratio(blocks[i].clean, blocks[j].clean) >= ratio:
                        parent[find(j)] = find(i)
        groups: dict[int, list[int]] = {}
        for k in idx:
            groups.setdefault(find(k), []).append(k)
        return [g for g in groups.values() if len(g) > 1], find

    out: list[tuple[Block, Block]] = []
    en_groups, en_find = clusters(d.en_blocks, d.en_vecs)
    fr_groups, fr_find = clusters(d.fr_blocks, d.fr_vecs)
    for groups, mine, theirs, other_find, lang in (
        (fr_groups, d.fr_blocks, d.en_blocks, en_find, FR),
        (en_groups, d.en_blocks, d.fr_blocks, fr_find, EN),
    ):
        for g in groups:
            # counterparts on the other side: best match of each member
            if lang == FR:
                best = [int(np.argmax(d.csls[:, k])) for k in g]
            else:
                best = [int(np.argmax(d.csls[k])) for k in g]
            roots = {other_find(x) for x in best}
            other_size = max(sum(1 for k in range(len(theirs)) if other_find(k) == r) for r in roots)
            if other_size >= len(g):
                continue
            g = sorted(g, key=lambda k: mine[k].line)
            for k in g[other_size:]:
                out.append((mine[k], mine[g[0]]))
    d.cache[key] = out
    return out


@rule("duplicate-paragraph", needs_model=True, **DEFAULTS["duplicate-paragraph"])
def duplicate_paragraph(doc: Notice, ctx: Context):
    """A paragraph appears twice on one side while the other side has it once.

    Why: a paragraph pasted twice in the translation (or in the English text) is a copy-paste
    slip, and it often hides the paragraph that should have been there instead.
    Bad: the French "Veuillez noter que ..." paragraph twice in section 8, once in English.
    Good: each paragraph as many times on each side.
    """
    for copy, first in _duplicates(ctx):
        yield Hit(copy.place, f"{_LANG_NAME[copy.lang]} {_kind(copy)} repeats {_lines(first.place)} "
                  f"({_quote(copy.clean, 50)}), which the other half has once",
                  related=(first.place,), section=copy.section)


# ----------------------------------------------------------------------------- moved and failures


@rule("paragraph-moved", needs_model=True, **DEFAULTS["paragraph-moved"])
def paragraph_moved(doc: Notice, ctx: Context):
    """A paragraph sits in a different section (or position) in each half.

    Why: the content is there, so it is not missing, but a duty listed under another heading
    or a condition moved to another section reads differently; reported once, as information.
    Bad: the no-fee statement in section 7 in English and in section 8 in French.
    Good: the same paragraph in the same section on both sides.
    """
    for bp in ctx.alignment.moved:
        en_b, fr_b = bp.en[0], bp.fr[0]
        if en_b.section != fr_b.section:
            where = f"in section {en_b.section} in English but section {fr_b.section} in French"
        else:
            where = f"in a different position within section {en_b.section}"
        yield Hit(fr_b.place, f"{_kind(en_b).capitalize()} {_quote(en_b.clean, 50)} is {where}",
                  related=(en_b.place,), section=fr_b.section)


@rule("alignment-failed", needs_model=True, **DEFAULTS["alignment-failed"])
def alignment_failed(pair: SectionPair, ctx: Context):
    """The paragraphs of a section pair could not be aligned by meaning.

    Why: when most paragraphs of a section have no counterpart, the section was replaced,
    pasted from another notice, or the reader misread its layout; per-paragraph findings would
    be noise, so they are not reported for that section and this finding says why.
    Bad: the French section 3 holding the accountabilities of another post.
    Good: the French section translating the English one, paragraph by paragraph.
    """
    d = data(ctx.alignment)
    if d is None or not pair.aligned or pair.key not in d.failed:
        return
    title = pair.en.title
    yield Hit(_head(pair.fr), f"section {pair.key} ({title}) could not be aligned paragraph by paragraph: "
              f"{d.failed[pair.key]}; paragraph checks were skipped for it",
              related=(_head(pair.en),), section=pair.key)


def _head(section) -> Place:
    if section.heading is not None:
        return section.heading.place
    p = section.place
    return Place(p.line, p.line, section.lang)
