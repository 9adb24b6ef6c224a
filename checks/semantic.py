"""Semantic checks: paragraphs and sentences compared by meaning (multilingual sentence embeddings).

They read the paragraph alignment computed by vnlint.paragraph_align (CSLS-normalised cosines, dynamic
programming inside each section pair). Thresholds are rule options whose defaults live in
the @rule declarations below (chosen on the calibration set, see tools/calibrate.py); vnlint.paragraph_align
reads the alignment's own options (paragraph-missing, low-similarity...) from there too.
"""

from __future__ import annotations

import functools
import re
import statistics

import numpy as np
from rapidfuzz import fuzz, process

from vnlint import dp
from vnlint import tm
from vnlint.codes import BY_NAME
from vnlint.engine import Context, Option, rule, rule_options
from vnlint.lang import guess_lang
from vnlint.model import EN, FR, LANG_NAME, Block, BlockPair, Hit, Notice, Place, SectionPair, Unpaired
from vnlint.paragraph_align import data, split_weak_merges
from vnlint.sentences import clauses, words
from vnlint.text import quote

# Scores are CSLS-normalised cosines of the use-m3 model unless said "raw" (plain cosine).
_MIN_WORDS = Option(4, 'shorter unpaired blocks are not reported (labels, "N/A", "Direct reports: 6")')
_OPTIONS = {
    "paragraph-missing": {
        "skip-penalty": Option(0.15, "DP cost of leaving a block unpaired (a 1:1 pair wins above -2x this)"),
        "merge-penalty": Option(0.05, "DP cost of a 2:1 / 1:2 bead"),
        "merge-gain": Option(
            0.03,
            "a merged bead (2:1, 1:2, or a block absorbed by its neighbour pair) must "
            "raise the raw cosine over its best member by this much",
        ),
        "absorb-raw": Option(
            0.25,
            "an unpaired block that best explains a sentence of its neighbour pair's "
            "other side, at least this close (raw), is absorbed",
        ),
        "min-words": _MIN_WORDS,
    },
    "paragraph-extra": {"min-words": _MIN_WORDS},
    "low-similarity": {
        "min-words": Option(6, "both sides at least this long (short texts embed noisily)"),
        "z": Option(-2.5, "robust z-score of the pair score against the notice's pair scores"),
        "max-raw": Option(0.30, "... and a raw cosine below this (no translation in the calibration set is lower),"),
        "max-score": Option(
            -0.05,
            "... or a CSLS score below this, unless the two blocks are each other's best match in the whole notice,",
        ),
        "mutual-max": Option(-0.20, "... or a CSLS score below this in any case"),
        "weak-score": Option(0.0, "pairs below this CSLS score are marked weak"),
    },
    "sentence-missing": {
        "min-words": Option(6, "a shorter sentence is not reported"),
        "max-raw": Option(0.60, "best raw cosine of the sentence to any sentence of the counterpart block"),
        "max-gain": Option(0.0, "merging it into its neighbour sentence must not raise that pair's cosine"),
        "max-clause-raw": Option(
            0.35,
            "not reported when it matches a clause of an other-side sentence this well, "
            "better than that sentence's own counterpart does",
        ),
        "length-ratio": Option(
            0.62, "FR/EN length ratio, relative to the notice's typical ratio, for a cut-short pair"
        ),
        "length-ratio-weak": Option(0.72, "... or below this when the pair also scores low for the notice"),
        "weak-z": Option(-2.0, "... that is, a robust z-score of its CSLS score below this"),
        "sentence-length-ratio": Option(0.45, "the same ratio for one aligned sentence of a paragraph ..."),
        "sentence-min-words": Option(10, "... of at least this many English words"),
    },
    "untranslated": {
        "min-words": Option(8, "language identification only on blocks at least this long"),
        "probability": Option(0.90, "langdetect probability of the wrong language"),
        "copy-ratio": Option(90, "rapidfuzz ratio of the FR text to its EN counterpart for a copy-paste"),
        "copy-raw": Option(0.95, "... and raw cosine"),
    },
    "duplicate-paragraph": {
        "min-words": Option(5, "shorter paragraphs are not compared"),
        "ratio": Option(95, "two paragraphs of one side are copies at this rapidfuzz ratio ..."),
        "cosine": Option(0.97, "... or at this raw cosine"),
    },
    "paragraph-moved": {
        "threshold": Option(0.25, "CSLS score of an EN/FR block pair found in different places"),
        "min-raw": Option(0.55, "... and raw cosine"),
    },
    # Bounds that keep one file's time and memory linear (issue 12): real notices stay far below them
    # (the largest of the corpus: 161 blocks, 1,600 characters in its longest paragraph, 59,000
    # characters of blocks and sentences, 40 blocks in its largest section).
    "alignment-limited": {
        "max-block-chars": Option(5000, "a longer paragraph is embedded and split in sentences by its beginning"),
        "max-chars": Option(150000, "text embedded per notice (blocks, then their sentences)"),
        "max-texts": Option(1200, "texts embedded per notice (blocks, then their sentences)"),
        "max-section-blocks": Option(300, "a section with more blocks on a side is not aligned by meaning"),
        "max-pairs": Option(1500, "paragraph-pair checks (scope block) run on this many pairs at most"),
    },
    "alignment-failed": {
        "min-blocks": Option(
            3, "sections with fewer substantive blocks (4+ words, not subheadings) on a side are not judged"
        ),
        "good-score": Option(0.20, "a block is well aligned when its pair scores at least this (CSLS)"),
        "good-raw": Option(0.60, "... or has at least this raw cosine"),
        "min-good": Option(
            0.5, "failed when less than this share of the substantive blocks of each side is well aligned"
        ),
    },
}


def _kind(block: Block) -> str:
    return {"bullet": "bullet", "subheading": "subheading"}.get(block.kind, "paragraph")


def _quote(text: str, n: int = 70) -> str:
    return "\u201c" + quote(text, n) + "\u201d"


def _lines(place: Place) -> str:
    return f"line {place.line}" if place.line == place.end_line else f"lines {place.line}-{place.end_line}"


def _reportable(block: Block, min_words: int) -> bool:
    """Unpaired blocks worth reporting: not subheadings, not labels or one-word lines."""
    return block.kind != "subheading" and words(block.clean) >= min_words


def _is_duplicate_copy(block: Block, ctx: Context) -> bool:
    """The block is a repeated copy reported by duplicate-paragraph (so not also as extra/missing)."""
    if BY_NAME["duplicate-paragraph"].code not in ctx.settings.select:
        return False
    return any(block is copy for copy, _first, _n in _duplicates(ctx))


@rule("paragraph-missing", needs_model=True, options=_OPTIONS["paragraph-missing"])
def paragraph_missing(u: Unpaired, ctx: Context):
    """An English paragraph or bullet has no counterpart in the French half.

    Why: a dropped paragraph (a duty, a condition of employment, the accommodation or no-fee
    statement) means French readers do not get information English readers do. Paragraphs are
    paired by meaning (multilingual embeddings, CSLS-normalised, aligned in order inside each
    section), so a French half that merges or splits paragraphs is not reported.
    Bad: an English paragraph on medical evidence with nothing like it in the French section 8.
        At: section 8, paragraph 3
        EN: Candidates will be required to provide documented medical evidence of their fitness for the post
            before they can be appointed.
        FR: (none)
    Good: the French section carries a paragraph saying the same thing, even split in two.
        At: section 8, paragraph 3
        EN: Candidates will be required to provide documented medical evidence of their fitness for the post
            before they can be appointed.
        FR: Les candidat(e)s devront fournir des justificatifs médicaux attestant leur aptitude au poste.
        FR: Ces justificatifs seront demandés avant toute nomination.
    """
    b = u.block
    if b.lang != EN or not _reportable(b, int(ctx.opt("min-words"))):
        return
    if _is_duplicate_copy(b, ctx):
        return
    where = u.neighbour or Place(ctx.notice.fr.line, ctx.notice.fr.line, FR)
    what = _kind(b)
    msg = f"English {what} {_quote(b.clean)} has no counterpart in the French half"
    if u.best is not None and u.best_score is not None:
        msg += f" (closest French text, {_lines(u.best.place)}, scores {u.best_score:.2f})"
    yield Hit(
        Place(where.line, where.end_line, FR),
        msg,
        related=(b.place,),
        section=u.section,
        fix=tm.missing_fix(ctx, b, where),
    )


@rule("paragraph-extra", needs_model=True, options=_OPTIONS["paragraph-extra"])
def paragraph_extra(u: Unpaired, ctx: Context):
    """A French paragraph or bullet has no counterpart in the English half.

    Why: text that exists only in the translation is either added content (a condition the
    English notice does not set) or a paragraph that replaced the right one; both need a look.
    Bad: a French paragraph about relocation allowances that the English notice does not have.
        EN: The Section also maintains the service catalogue of the Division.
        FR: La Section tient également à jour le catalogue des services de la Division.
        FR: Une indemnité de réinstallation est versée aux agents recrutés hors de Belgique, sur présentation
            de justificatifs.
    Good: every French paragraph translates English text.
        EN: The Section also maintains the service catalogue of the Division.
        EN: A relocation allowance is paid to staff recruited from outside Belgium, on presentation of
            supporting documents.
        FR: La Section tient également à jour le catalogue des services de la Division.
        FR: Une indemnité de réinstallation est versée aux agents recrutés hors de Belgique, sur présentation
            de justificatifs.
    """
    b = u.block
    if b.lang != FR or not _reportable(b, int(ctx.opt("min-words"))):
        return
    if _is_duplicate_copy(b, ctx):
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


@rule("low-similarity", needs_model=True, options=_OPTIONS["low-similarity"])
def low_similarity(bp: BlockPair, ctx: Context):
    """A French paragraph paired with an English one says something else (likely mistranslation).

    Why: a paragraph replaced by another one (pasted from another notice, from the wrong
    section), or translated from the wrong source, keeps the layout intact; only its meaning
    shows it. The pair's CSLS score is compared with the notice's own pair scores (a robust
    z-score), so a notice with a loose but correct translation is not flagged throughout.
    Bad: a French paragraph that says something else.
        EN: The incumbent manages the section budget and reports on its execution every quarter.
        FR: Le parc de stationnement du siège sera fermé pendant tout le mois d'août pour travaux.
    Good: the French paragraph translates the English one.
        EN: The incumbent manages the section budget and reports on its execution every quarter.
        FR: La/Le titulaire gère le budget de la section et rend compte de son exécution chaque trimestre.
    """
    verdict = low_similarity_verdict(bp, ctx)
    if verdict is None:
        return
    med, best, best_score = verdict
    msg = (
        f"French {_kind(bp.fr[0])} does not match its English counterpart {_quote(bp.en_text, 50)} "
        f"(score {bp.score:.2f}, typical {med:.2f} for this notice)"
    )
    if best is not None and best is not bp.en[0] and best_score is not None:
        msg += f"; closest English text is {_lines(best.place)} ({best_score:.2f})"
    yield Hit(bp.place(FR), msg, related=(bp.place(EN),), section=bp.section, fix=tm.replace_fix(ctx, bp))


def low_similarity_verdict(bp: BlockPair, ctx: Context):
    """(typical score, best EN match, its score) when the pair is a likely mistranslation, else None."""
    d = data(ctx.alignment)
    if d is None or bp.score is None or len(bp.en) != 1 or len(bp.fr) != 1:
        return None
    key = ("low-similarity", id(bp))
    if key in d.cache:
        return d.cache[key]
    o = rule_options(ctx.settings, "low-similarity")
    d.cache[key] = None
    replaced = id(bp) in d.replaced  # paired only because both were left over in the same place
    mw = int(o["min-words"])
    if not replaced and (words(bp.en_text) < mw or words(bp.fr_text) < mw):
        return None
    scores = d.pair_scores
    if len(scores) < 5 and not replaced:
        return None
    med, spread = _robust(scores) if scores else (0.0, 1.0)
    z = (bp.score - med) / spread
    best, best_score = d.best(bp.fr[0])
    best_fr, _ = d.best(bp.en[0])
    mutual = best is bp.en[0] and best_fr is bp.fr[0]  # each other's best match in the whole notice
    unrelated = (
        bp.raw is not None
        and bp.raw < float(o["max-raw"])
        or bp.score < float(o["mutual-max"])
        or (bp.score < float(o["max-score"]) and not mutual)
    )
    if replaced or (z <= float(o["z"]) and unrelated):
        d.cache[key] = (med, best, best_score)
    return d.cache[key]


def _sentence_rows(blocks: list[Block], d) -> tuple[list[str], list[int]]:
    texts, rows = [], []
    for b in blocks:
        s = d.sentences.get(id(b))
        if s is None:
            continue
        texts.extend(s.texts)
        rows.extend(s.rows)
    return texts, rows


@rule("sentence-missing", needs_model=True, options=_OPTIONS["sentence-missing"])
def sentence_missing(bp: BlockPair, ctx: Context):
    """A sentence of a paragraph is missing from its translation (partial omission).

    Why: the most frequent translation defect is not a missing paragraph but a missing
    sentence or clause: the paragraph is there, so a reviewer's eye passes over it. Both
    paragraphs are split into sentences (pysbd) and the sentences aligned by meaning; one
    sentence merged into or split from another is fine, a sentence with no counterpart is not.
    A French paragraph much shorter than its English one (for this notice) is also reported.
    Bad: the second sentence is not translated.
        EN: The post is based in Mons. Frequent travel to NATO Headquarters in Brussels and to the NATO
            Agencies is required.
        FR: Le poste est basé à Mons.
    Good: both sentences are there, joined in one.
        EN: The post is based in Mons. Frequent travel to NATO Headquarters in Brussels and to the NATO
            Agencies is required.
        FR: Le poste est basé à Mons et implique de fréquents déplacements au siège de l'OTAN à Bruxelles et
            dans les agences de l'OTAN.
    """
    d = data(ctx.alignment)
    if d is None or d.sent_csls is None or bp.score is None:
        return
    if BY_NAME["low-similarity"].code in ctx.settings.select and low_similarity_verdict(bp, ctx) is not None:
        return  # the whole paragraph is reported as not matching
    en_t, en_r = _sentence_rows(bp.en, d)
    fr_t, fr_r = _sentence_rows(bp.fr, d)
    if not en_t or not fr_t:
        return
    elsewhere = 0  # characters of English sentences found in the French neighbouring paragraph
    cut = any(id(b) in d.cut for b in bp.en + bp.fr)  # a side compared on its beginning: no sentences
    if len(en_t) + len(fr_t) > 2 and not cut:
        beads, E, F, raw = _sentence_beads(d, en_r, fr_r, ctx)
        missing, elsewhere = _missing_sentences(bp, ctx, d, beads, E, F, raw, en_t, fr_t)
        if missing:
            yield from missing
            return
        short = _short_sentence(bp, ctx, d, beads, en_t, fr_t)
        if short is not None:
            yield short
            return
    short = _short_paragraph(bp, ctx, d, elsewhere)
    if short is not None:
        yield short


def _sentence_beads(d, en_r: list[int], fr_r: list[int], ctx: Context):
    """The sentences of a paragraph pair aligned by the DP (as paragraph-missing aligns paragraphs), weak
    merges split; with the sentence vectors of each side and their raw cosines."""
    opts = rule_options(ctx.settings, "paragraph-missing")
    params = dp.AlignParams(skip_penalty=float(opts["skip-penalty"]), merge_penalty=float(opts["merge-penalty"]))
    E, F = d.en_sent_vecs[en_r], d.fr_sent_vecs[fr_r]
    beads = dp.align(E, F, en_index=en_r, fr_index=fr_r, score=d.sent_csls, params=params)
    raw = E @ F.T
    beads = split_weak_merges(beads, raw, d.sent_csls[np.ix_(en_r, fr_r)], float(opts["merge-gain"]))
    return beads, E, F, raw


def _missing_sentences(bp: BlockPair, ctx: Context, d, beads, E, F, raw, en_t, fr_t) -> tuple[list[Hit], int]:
    """A hit per sentence left with no counterpart (not merged into a neighbour, not a clause of another
    sentence, not in the neighbouring paragraph), and the length of the English sentences found in
    the French neighbouring paragraph instead."""
    hits = []
    elsewhere = 0
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
        if (
            words(text) < int(ctx.opt("min-words"))
            or best > float(ctx.opt("max-raw"))
            or gain > float(ctx.opt("max-gain"))
        ):
            continue
        vx = E[bead.en[0]] if lang == EN else F[bead.fr[0]]
        if _owns_clause(vx, lang, beads, E, F, en_t, fr_t, d, float(ctx.opt("max-clause-raw"))):
            continue
        if _in_region(vx, bp, lang, d) > float(ctx.opt("max-raw")):
            # In the other side's neighbouring paragraph: the boundaries differ, nothing is missing
            # (and the pair's lengths are compared without it).
            elsewhere += len(text) + 1 if lang == EN else 0
            continue
        if lang == EN:
            hits.append(
                Hit(
                    bp.place(FR),
                    f"English sentence {_quote(text)} is not in the French {_kind(bp.fr[0])} (best match {best:.2f})",
                    related=(bp.place(EN),),
                    section=bp.section,
                    fix=tm.replace_fix(ctx, bp),
                )
            )
        else:
            hits.append(
                Hit(
                    bp.place(FR),
                    f"French sentence {_quote(text)} has no counterpart in the English "
                    f"{_kind(bp.en[0])} (best match {best:.2f})",
                    related=(bp.place(EN),),
                    section=bp.section,
                    fix=tm.replace_fix(ctx, bp),
                )
            )
    return hits, elsewhere


def _short_sentence(bp: BlockPair, ctx: Context, d, beads, en_t, fr_t) -> Hit | None:
    """A sentence cut short: its translation much shorter than the notice's usual length ratio."""
    for bead in beads:
        if not bead.is_pair:
            continue
        et = " ".join(en_t[i] for i in bead.en)
        ft = " ".join(fr_t[j] for j in bead.fr)
        if words(et) < int(ctx.opt("sentence-min-words")) or not et:
            continue
        if (len(ft) / len(et)) / max(d.length_ratio, 0.5) < float(ctx.opt("sentence-length-ratio")):
            return Hit(
                bp.place(FR),
                f"the French translation of the sentence {_quote(et)} is much shorter "
                f"({len(ft)} vs {len(et)} characters): part of it may be missing",
                related=(bp.place(EN),),
                section=bp.section,
                fix=tm.replace_fix(ctx, bp),
            )
    return None


def _short_paragraph(bp: BlockPair, ctx: Context, d, elsewhere: int) -> Hit | None:
    """A cut-short translation: much shorter than the notice's usual French/English length ratio (the
    English sentences found in the neighbouring French paragraph left out)."""
    en_len, fr_len = len(bp.en_text) - elsewhere, len(bp.fr_text)
    if words(bp.en_text) < 2 * int(ctx.opt("min-words")) or en_len <= 0:
        return None
    rel = (fr_len / en_len) / max(d.length_ratio, 0.5)
    short = rel < float(ctx.opt("length-ratio"))
    if not short and rel < float(ctx.opt("length-ratio-weak")) and len(d.pair_scores) >= 5:
        med, spread = _robust(d.pair_scores)
        short = (bp.score - med) / spread < float(ctx.opt("weak-z"))
    if not short:
        return None
    return Hit(
        bp.place(FR),
        f"French {_kind(bp.fr[0])} is much shorter than the English one "
        f"({fr_len} vs {en_len} characters): part of {_quote(bp.en_text, 50)} may be missing",
        related=(bp.place(EN),),
        section=bp.section,
        fix=tm.replace_fix(ctx, bp),
    )


def _in_region(vx, bp: BlockPair, lang: str, d) -> float:
    """The best raw cosine of a sentence of one side of `bp` to the sentences of the paragraphs just
    before and just after the pair on the other side (its aligned region). Paragraph boundaries are
    guesses in PDF-extracted text, and a translator may join two paragraphs: a sentence the pair's
    counterpart lacks is then often at the end or start of the neighbouring paragraph."""
    theirs = bp.fr if lang == EN else bp.en
    blocks = d.fr_blocks if lang == EN else d.en_blocks
    vecs = d.fr_sent_vecs if lang == EN else d.en_sent_vecs
    rows = [d.row[id(b)] for b in theirs if id(b) in d.row]
    if not rows or vecs is None:
        return -1.0
    near = [blocks[k] for k in (min(rows) - 1, max(rows) + 1) if 0 <= k < len(blocks)]
    sent_rows = [r for b in near if id(b) in d.sentences for r in d.sentences[id(b)].rows]
    if not sent_rows:
        return -1.0
    return float((vecs[sent_rows] @ vx).max())


def _owns_clause(vx, lang, beads, E, F, en_t, fr_t, d, threshold: float) -> bool:
    """The sentence translates a clause of a sentence on the other side better than that sentence's
    own counterpart does: the translation split one sentence in two ("..., and NATO reserves the
    right to ..." -> "... . Elle se réserve le droit de ..."), nothing is missing."""

    def unit(v):
        n = np.linalg.norm(v)
        return v / n if n else v

    mine_vecs, other_texts = (E, fr_t) if lang == EN else (F, en_t)
    for b in beads:
        if not b.is_pair:
            continue
        mine = b.en if lang == EN else b.fr
        theirs = b.fr if lang == EN else b.en
        cover = unit(sum(mine_vecs[k] for k in mine))
        for o in theirs:
            parts = clauses(other_texts[o])
            if not parts:
                continue
            V = d.encode(parts)
            own, cov = V @ vx, V @ cover
            if bool(((own >= threshold) & (own > cov)).any()):
                return True
    return False


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

_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)[^\s@]+@\S+", re.I)  # from a word's start: linear
_ACRO = re.compile(r"\b[A-Z][A-Z0-9&/.-]{1,}\b")


def _language_text(text: str) -> str:
    """Text for language identification: without URLs, e-mail addresses and acronyms (names in capitals)."""
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
    if words(t) < int(ctx.opt("min-words")):
        return False
    # Both must agree; the cheap function-word vote goes first, so langdetect (slow) only runs
    # on the few blocks the vote already places in the other language.
    if guess_lang(t) != other:
        return False
    got, prob = detect_lang(t)
    return got == other and prob >= float(ctx.opt("probability"))


@rule("untranslated", needs_model=True, options=_OPTIONS["untranslated"])
def untranslated(doc: Notice, ctx: Context):
    """A paragraph of the French half is in English (or of the English half in French).

    Why: a paragraph left untranslated (or pasted from the English notice) passes every
    structural check, yet French readers do not get it in French. Language is identified by
    langdetect (seeded, deterministic) on paragraphs of at least 8 words, without names,
    acronyms, URLs and e-mail addresses, and confirmed by a function-word vote; a French
    paragraph nearly identical to its English counterpart is reported too.
    Bad: in the French half, a paragraph left in English.
        At: section 8, paragraph 3
        EN: Candidates will be required to provide documented medical evidence of their fitness for the post.
        FR: Candidates will be required to provide documented medical evidence of their fitness for the post.
    Good: the paragraph in French.
        At: section 8, paragraph 3
        EN: Candidates will be required to provide documented medical evidence of their fitness for the post.
        FR: Les candidat(e)s devront fournir des justificatifs médicaux attestant leur aptitude au poste.
    """
    d = data(ctx.alignment)
    notice = ctx.notice
    if notice.en is None or notice.fr is None:
        return
    head = int(rule_options(ctx.settings, "alignment-limited")["max-block-chars"])
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
                    # On their beginnings: a copy shows there, and ratio is quadratic in the length.
                    copied = (
                        fuzz.ratio(text[:head], other.clean[:head]) >= float(ctx.opt("copy-ratio"))
                        and raw >= float(ctx.opt("copy-raw"))
                        and guess_lang(_language_text(text), minimum=1) == (EN if b.lang == FR else FR)
                    )
                if b.lang == FR and copied:
                    yield Hit(
                        b.place,
                        f"French {_kind(b)} is a copy of the English text {_quote(text, 50)}",
                        related=(bp.place(EN),),
                        section=b.section,
                    )
                elif _in_other_language(text, b.lang, ctx):
                    lang_name = LANG_NAME[EN if b.lang == FR else FR]
                    related = (bp.place(EN if b.lang == FR else FR),) if bp is not None else ()
                    yield Hit(
                        b.place,
                        f"{LANG_NAME[b.lang]} {_kind(b)} is written in {lang_name}: {_quote(text, 50)}",
                        related=related,
                        section=b.section,
                    )


# ----------------------------------------------------------------------------- duplicates


def _duplicates(ctx: Context) -> list[tuple[Block, Block, int]]:
    """(copy, first, times on the other side) for blocks repeated on one side more often than on the other."""
    key = ("duplicates",)
    d = data(ctx.alignment)
    if d is None:
        return []
    if key in d.cache:
        return d.cache[key]
    o = rule_options(ctx.settings, "duplicate-paragraph")
    mw, ratio, cosine = int(o["min-words"]), float(o["ratio"]), float(o["cosine"])
    head = int(rule_options(ctx.settings, "alignment-limited")["max-block-chars"])

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
            # Both similarity matrices at once (numpy, rapidfuzz's C++ cdist), then the pairs in order;
            # like the embeddings, the ratio reads a paragraph's first max-block-chars (alignment-limited;
            # it is quadratic).
            texts = [blocks[k].clean[:head] for k in idx]
            close = (vecs[idx] @ vecs[idx].T >= cosine) | (
                process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=ratio, dtype=np.float64) >= ratio
            )
            for a, c in zip(*np.nonzero(np.triu(close, 1))):
                parent[find(idx[c])] = find(idx[a])
        groups: dict[int, list[int]] = {}
        for k in idx:
            groups.setdefault(find(k), []).append(k)
        return [g for g in groups.values() if len(g) > 1], find

    # The counterpart each block is paired with one to one: a repeated block paired
    # with different counterparts translates different (similar) paragraphs, it is no copy.
    partner: dict[int, frozenset] = {}
    for bp in list(ctx.alignment.block_pairs()) + list(ctx.alignment.moved):
        if len(bp.en) != 1 or len(bp.fr) != 1:
            continue  # a copy merged into a neighbour's pair is no translation of its own
        for b in bp.en:
            partner[id(b)] = frozenset(id(x) for x in bp.fr)
        for b in bp.fr:
            partner[id(b)] = frozenset(id(x) for x in bp.en)

    out: list[tuple[Block, Block, int]] = []
    en_groups, en_find = clusters(d.en_blocks, d.en_vecs)
    fr_groups, fr_find = clusters(d.fr_blocks, d.fr_vecs)
    for groups, mine, theirs, other_find, lang in (
        (fr_groups, d.fr_blocks, d.en_blocks, en_find, FR),
        (en_groups, d.en_blocks, d.fr_blocks, fr_find, EN),
    ):
        for g in groups:
            # counterparts on the other side: best match of each member (none when that side is empty)
            other_size = 0
            if theirs:
                if lang == FR:
                    best = [int(np.argmax(d.csls[:, k])) for k in g]
                else:
                    best = [int(np.argmax(d.csls[k])) for k in g]
                roots = {other_find(x) for x in best}
                other_size = max(sum(1 for k in range(len(theirs)) if other_find(k) == r) for r in roots)
            partners = {partner[id(mine[k])] for k in g if id(mine[k]) in partner}
            other_size = max(other_size, len(partners))
            if other_size >= len(g):
                continue
            g = sorted(g, key=lambda k: mine[k].line)
            for k in g[max(1, other_size) :]:
                out.append((mine[k], mine[g[0]], other_size))
    d.cache[key] = out
    return out


@rule("duplicate-paragraph", needs_model=True, options=_OPTIONS["duplicate-paragraph"])
def duplicate_paragraph(doc: Notice, ctx: Context):
    """A paragraph appears twice on one side while the other side has it once.

    Why: a paragraph pasted twice in the translation (or in the English text) is a copy-paste
    slip, and it often hides the paragraph that should have been there instead.
    Bad: the French "Veuillez noter que ..." paragraph twice in section 8, once in English.
        At: section 8, paragraph 3
        EN: Please note that the selected candidate will be asked to provide proof of nationality.
        FR: Veuillez noter que la personne retenue devra fournir une preuve de sa nationalité.
        FR: Veuillez noter que la personne retenue devra fournir une preuve de sa nationalité.
    Good: each paragraph as many times on each side.
        At: section 8, paragraph 3
        EN: Please note that the selected candidate will be asked to provide proof of nationality.
        FR: Veuillez noter que la personne retenue devra fournir une preuve de sa nationalité.
    """
    for copy, first, n in _duplicates(ctx):
        other = "once" if n == 1 else "not at all" if n == 0 else f"{n} times"
        yield Hit(
            copy.place,
            f"{LANG_NAME[copy.lang]} {_kind(copy)} repeats {_lines(first.place)} "
            f"({_quote(copy.clean, 50)}), which the other half has {other}",
            related=(first.place,),
            section=copy.section,
        )


# ----------------------------------------------------------------------------- moved and failures


@rule("paragraph-moved", needs_model=True, options=_OPTIONS["paragraph-moved"])
def paragraph_moved(doc: Notice, ctx: Context):
    """A paragraph sits in a different section (or position) in each half.

    Why: the content is there, so it is not missing, but a duty listed under another heading
    or a condition moved to another section reads differently; reported once, as information.
    Bad: the no-fee statement in section 7 in English and in section 8 in French.
        At: section 7, paragraph 2
        EN: NATO does not charge any fee at any stage of the recruitment process.
        FR: (none)
        At: section 8, paragraph 6
        EN: (none)
        FR: L'OTAN ne demande aucuns frais à quelque stade que ce soit de la procédure de recrutement.
    Good: the same paragraph in the same section on both sides.
        At: section 8, paragraph 6
        EN: NATO does not charge any fee at any stage of the recruitment process.
        FR: L'OTAN ne demande aucuns frais à quelque stade que ce soit de la procédure de recrutement.
    """
    for bp in ctx.alignment.moved:
        en_b, fr_b = bp.en[0], bp.fr[0]
        if en_b.section != fr_b.section:
            where = f"in section {en_b.section} in English but section {fr_b.section} in French"
        else:
            where = f"in a different position within section {en_b.section}"
        yield Hit(
            fr_b.place,
            f"{_kind(en_b).capitalize()} {_quote(en_b.clean, 50)} is {where}",
            related=(en_b.place,),
            section=fr_b.section,
        )


@rule("alignment-failed", needs_model=True, options=_OPTIONS["alignment-failed"])
def alignment_failed(pair: SectionPair, ctx: Context):
    """The paragraphs of a section pair could not be aligned by meaning.

    Why: when most paragraphs of a section have no counterpart, the section was replaced,
    pasted from another notice, or the reader misread its layout; per-paragraph findings would
    be noise, so they are not reported for that section and this finding says why.
    Bad: the French section 1 holding the summary of another post.
        At: section 1, paragraph 1
        FR: Le Centre de formation logistique organise chaque année des stages pour les équipes de maintenance
            des véhicules blindés déployées sur le terrain.
        At: section 1, paragraph 2
        FR: Les stagiaires sont logés dans des chambres individuelles et prennent leurs repas à la cantine du
            centre, ouverte tous les jours de six heures à vingt heures.
        At: section 1, paragraph 3
        FR: Le parc de véhicules comprend une cinquantaine de camions et une dizaine de grues mobiles, entretenus
            par une équipe de mécaniciens civils.
    Good: the French section translating the English one, paragraph by paragraph.
        Example: file examples/clean_notice.txt
    """
    d = data(ctx.alignment)
    if d is None or not pair.aligned or pair.key not in d.failed:
        return
    title = pair.en.title
    yield Hit(
        _head(pair.fr),
        f"section {pair.key} ({title}) could not be aligned paragraph by paragraph: "
        f"{d.failed[pair.key]}; paragraph checks were skipped for it",
        related=(_head(pair.en),),
        section=pair.key,
    )


@rule("alignment-limited", options=_OPTIONS["alignment-limited"])
def alignment_limited(doc: Notice, ctx: Context):
    """The notice is too large to be compared by meaning in full: what was left out, and why.

    Why: comparing by meaning costs time and memory for every paragraph and sentence, and a file
    with a 200,000-character paragraph or 5,000 bullets must still be linted in seconds, never
    hang a pre-commit hook. vnlint bounds the work (options max-block-chars, max-chars, max-texts,
    max-section-blocks, max-pairs, each far above a real notice) and says what the bound cut: a
    paragraph compared on its beginning only, sentences not compared, no semantic check at all, or
    the paragraph-pair checks (numbers, acronyms, terms) run on the first max-pairs pairs only. A
    section too large to align is reported by alignment-failed. The structure, field and
    document-wide checks still read everything.
    Bad: a French paragraph of 200,000 characters (a document pasted by mistake).
    Good: a notice of usual size (a real notice has about 150 paragraphs of at most 2,000 characters).
    Tested: tests/test_drafts.py::test_limits_are_reported_not_silent
    """
    for place, message, related in ctx.alignment.limits:
        yield Hit(place, message, related=related)


def _head(section) -> Place:
    if section.heading is not None:
        return section.heading.place
    p = section.place
    return Place(p.line, p.line, section.lang)
