"""Meaning: one or two words that change a sentence kept whole.

These checks run inside the sentence pairs of each aligned paragraph pair
(:func:`vnlint.wordlevel.sentence_pairs`): the closed word classes of data/meaning.toml
(negation, bounds, restriction, modality), names of languages, countries, nationalities, cities
and currencies (CLDR, data/names.toml), and glossary terms used both ways. A finding points at
the French word (its column and end column) and relates to the English sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Iterator

import numpy as np

from vnlint import locate as loc
from vnlint import text as tu
from vnlint import wordlevel as wl
from vnlint.engine import Context, Option, rule
from vnlint.lang import guess_lang
from vnlint.model import EN, FR, BlockPair, Hit, Place

_MIN_RAW = Option(0.45, "only sentence pairs at least this close (raw cosine) are compared word by word")
_CUE_OPTIONS = {
    "min-raw": _MIN_RAW,
    "min-context": Option(
        0.35,
        "reported when the cue's context faces the other side's cue at least this well "
        "(raw cosine of the words around it)",
    ),
    "context-words": Option(5, "words each side of a cue that make its context"),
    "slack-words": Option(3, "words the matching run of the other sentence is widened by"),
    "facing-tie": Option(
        0.05,
        "cues whose contexts face the other side this close to the best one tie: the one at the same place is named",
    ),
}


def _sentence_pairs(bp: BlockPair, ctx: Context, min_raw: float | None = None) -> list[wl.SentencePair]:
    """The well-aligned sentence pairs of a paragraph pair that is a real translation."""
    from vnlint.paragraph_align import data

    d = data(ctx.alignment)
    if d is None or not bp.en or not bp.fr or bp.weak:
        return []
    # Whether the pair is a translation at all is asked once per pair, not by each of the five rules.
    translated = ctx.cache.setdefault("meaning-translated", {})
    if id(bp) not in translated:
        # left untranslated: reported by untranslated, nothing to compare word by word
        translated[id(bp)] = guess_lang(bp.fr_text) != EN and guess_lang(bp.en_text) != FR
    if not translated[id(bp)]:
        return []
    min_raw = float(ctx.opt("min-raw")) if min_raw is None else min_raw
    return [sp for sp in wl.sentence_pairs(bp, d) if sp.raw >= min_raw]


def _locate(ctx: Context, units: list[wl.Unit], start: int, end: int) -> Place:
    """The place of characters start:end of a sentence pair side (offsets into the joined text)."""
    pos = 0
    for u in units:
        n = u.end - u.start
        if start < pos + n + 1:
            a = u.start + max(0, start - pos)
            b = min(u.end, u.start + max(0, end - pos))
            return loc.span_place(ctx.notice, u.block, a, max(a, b))
        pos += n + 1
    u = units[0]
    return loc.span_place(ctx.notice, u.block, u.start, u.start)


def _whole(blocks) -> list[wl.Unit]:
    """The blocks of a pair side as units, for offsets into the side's joined text."""
    return [wl.Unit(b, 0, len(b.clean)) for b in blocks]


def _quote(text: str) -> str:
    return tu.quote(text, 70)


def _cue_hits(bp: BlockPair, ctx: Context, cls: str) -> Iterator[Hit]:
    table = wl.cues(ctx.knowledge("meaning"))
    for sp in _sentence_pairs(bp, ctx):
        en_t, fr_t = sp.en_text, sp.fr_text
        en_c, fr_c = table.find(en_t, EN), table.find(fr_t, FR)
        for mm in wl.compare_cues(table, en_c, fr_c, [cls]):
            score, mm = _facing(ctx, sp, mm)
            if score >= float(ctx.opt("min-context")):
                yield _cue_hit(ctx, bp, sp, mm)


def _facing(ctx: Context, sp: wl.SentencePair, mm: wl.CueMismatch) -> tuple[float, wl.CueMismatch]:
    """Whether the mismatch is real: the two cues (or the cue and the place where the other side
    says the same thing) face each other, and how well.

    For each cue of one side, the words around it are searched for in the other sentence (runs of
    as many words, compared by embedding). A flipped word keeps its context ("must have five years
    of experience" / "ne doit pas avoir cinq ans d'expérience"): the best run holds the opposed
    cue. A cue that only looks opposed sits in a clause of its own ("this may include ..." /
    "(l'habilitation doit être en cours de validité)"): the best run holds no cue. For a negation
    on one side only, the best run must hold no negative word of the other side. Returns the score
    of the best facing pair (-1 when none) and the mismatch with its facing cues.
    """
    from vnlint.paragraph_align import data

    d = data(ctx.alignment)
    texts = {EN: sp.en_text, FR: sp.fr_text}
    width = int(ctx.opt("context-words"))
    table = wl.cues(ctx.knowledge("meaning"))
    found_all: list[tuple[float, float, wl.CueMismatch]] = []  # (score, distance, mismatch)
    mine_cues = ((EN, mm.en_cues, mm.fr_cues), (FR, mm.fr_cues, mm.en_cues))
    for side, mine, theirs in mine_cues:
        if not mine:
            continue
        other = FR if side == EN else EN
        if mm.more and mm.more != side:
            continue
        if not theirs:  # a negation on one side only: any negative word of the other side answers it
            theirs = tuple(c for c in table.find(texts[other], other) if c.cls == mm.cls)
            side_neg = [c for c in table.find(texts[side], side) if c.cls == mm.cls]
            answered = True
        else:
            answered = False
        for c, ctx_text in _contexts(texts[side], mine, width):
            runs = wl.windows(texts[other], len(ctx_text.split()) + 1)
            if not runs:
                continue
            vecs = d.encode([ctx_text] + [r[2] for r in runs])
            sims = vecs[1:] @ vecs[0]
            k = int(sims.argmax())
            # The run, widened by a few words: the cue's own words are not in its context.
            a, b = wl.widen(texts[other], runs[k][0], runs[k][1], int(ctx.opt("slack-words")))
            inside = [t for t in theirs if t.start < b and t.end > a]
            score = float(sims[k])
            if answered:
                # A negative word of the other side answers the negation unless this side has one
                # of its own around the cue to pair with it: "ne pourra pas être rejeté sans autre
                # examen" / "may be rejected without further consideration" ("sans" is "without").
                lo, hi = wl.widen(texts[side], c.start, c.end, width)
                own = Counter(t.value for t in side_neg if t is not c and t.start < hi and t.end > lo)
                if Counter(t.value for t in inside) - own:
                    continue  # the other side negates here too
                found = replace(mm, en_cue=c if side == EN else None, fr_cue=c if side == FR else None)
                found_all.append((score, 0.0, found))
            else:
                if not inside:
                    continue
                # the opposed cue nearest the same place in its sentence
                where = c.start / max(1, len(texts[side]))
                distance, t = min(
                    ((abs(t.start / max(1, len(texts[other])) - where), t) for t in inside), key=lambda x: x[0]
                )
                found = replace(mm, en_cue=c if side == EN else t, fr_cue=t if side == EN else c)
                found_all.append((score, distance, found))
    if not found_all:
        return -1.0, mm
    # Two cues of one value side by side ("une organisation internationale ou un ministère
    # international") face the same run: of the best-facing ones, the pair at the same place.
    # The score is the best pair's: where the finding points does not decide whether it is one.
    top = max(f[0] for f in found_all)
    tie = float(ctx.opt("facing-tie"))
    _, _, found = min((f for f in found_all if f[0] >= top - tie), key=lambda f: (f[1], -f[0]))
    return top, found


def _contexts(text: str, cues, width: int):
    """(cue, context) to search for on the other side: the words on both sides of each cue, then
    those before it and those after it alone. A clause moved in translation splits the context
    ("which may be renewed [...] subject to the agreement of the authority" / "qui, sous réserve de
    l'accord des autorités, pourra être reconduit"): one half of it still sits next to the cue."""
    for c in cues:
        both = wl.context_window(text, c.start, c.end, width)
        if both:
            yield c, both
    for c in cues:
        for before, after in ((width, 0), (0, width)):
            half = wl.context_window(text, c.start, c.end, before=before, after=after)
            if len(half.split()) >= 3 and half != wl.context_window(text, c.start, c.end, width):
                yield c, half


def _cue_hit(ctx: Context, bp: BlockPair, sp: wl.SentencePair, mm: wl.CueMismatch) -> Hit:
    fr_place = (
        _locate(ctx, sp.fr, mm.fr_cue.start, mm.fr_cue.end) if mm.fr_cue is not None else _locate(ctx, sp.fr, 0, 0)
    )
    en_place = (
        _locate(ctx, sp.en, mm.en_cue.start, mm.en_cue.end) if mm.en_cue is not None else _locate(ctx, sp.en, 0, 0)
    )
    if mm.cls == "negation":
        if mm.more == FR:
            message = (
                f"the French sentence negates ('{mm.fr_cue.surface}') where the English does not: {_quote(sp.en_text)}"
            )
        else:
            word = f"'{mm.en_cue.surface}'" if mm.en_cue is not None else "a negation"
            message = f"the English sentence negates ({word}) where the French does not: {_quote(sp.fr_text)}"
    else:
        message = (
            f"FR '{mm.fr_cue.surface}' ({mm.fr_value}) where EN has '{mm.en_cue.surface}' "
            f"({mm.en_value}): {_quote(sp.en_text)}"
        )
    return Hit(fr_place, message, related=(en_place,), section=bp.section)


@rule("negation-mismatch", needs_model=True, options=_CUE_OPTIONS)
def negation_mismatch(bp: BlockPair, ctx: Context):
    """A sentence negates on one side and not on the other.

    Why: "ne doit pas" for "must", or a "not" lost in translation, reverses a requirement while
    the sentence still reads well and still scores as a good translation. Negations (not, no,
    never, without / ne ... pas, jamais, aucun, sans) are counted in each aligned sentence pair;
    the words are in data/meaning.toml.
    Bad: the French forbids what the English requires.
        EN: The incumbent must travel frequently to the widget depots of the Alliance.
        FR: La/Le titulaire ne doit pas se déplacer fréquemment dans les dépôts de gadgets de l'Alliance.
    Good: both affirmative, in other words.
        EN: The incumbent must travel frequently to the widget depots of the Alliance.
        FR: La/Le titulaire sera amené(e) à se déplacer fréquemment dans les dépôts de gadgets de l'Alliance.
    """
    yield from _cue_hits(bp, ctx, "negation")


@rule("quantifier-mismatch", needs_model=True, options=_CUE_OPTIONS)
def quantifier_mismatch(bp: BlockPair, ctx: Context):
    """A bound or a time limit points the other way: "at least" / "au plus", "before" / "après".

    Why: "at least five years" translated "au plus cinq ans" keeps the number, so the number
    check is quiet, but turns a minimum into a maximum. Bounds (at least, at most, more than, less
    than, up to) and time limits (no later than, no earlier than, before, after) are compared in
    each aligned sentence pair; a bound dropped or rephrased ("un minimum de") is fine.
    Bad: a minimum becomes a maximum.
        EN: The incumbent must have at least five years of experience in widget logistics.
        FR: La/Le titulaire doit avoir au plus cinq ans d'expérience dans la logistique des gadgets.
    Good: the same bound in other words.
        EN: The incumbent must have at least five years of experience in widget logistics.
        FR: La/Le titulaire doit avoir un minimum de cinq ans d'expérience dans la logistique des gadgets.
    """
    yield from _cue_hits(bp, ctx, "quantifier")


@rule("restriction-mismatch", needs_model=True, options=_CUE_OPTIONS)
def restriction_mismatch(bp: BlockPair, ctx: Context):
    """A list is closed on one side and open on the other: "only" / "notamment".

    Why: "only nationals of member countries" translated "notamment les ressortissants" opens a
    closed list (and the reverse closes an open one). Restrictive words (only, exclusively, solely
    / uniquement, seulement, ne ... que) and open ones (including, in particular, such as /
    notamment, y compris, tels que) are compared in each aligned sentence pair.
    Bad: an open list becomes closed.
        EN: The post covers widget logistics, including depot inspections and audits.
        FR: Le poste couvre la logistique des gadgets, uniquement les inspections des dépôts et les audits.
    Good: an open list stays open.
        EN: The post covers widget logistics, including depot inspections and audits.
        FR: Le poste couvre la logistique des gadgets, notamment les inspections des dépôts et les audits.
    """
    yield from _cue_hits(bp, ctx, "restriction")


@rule("modality-mismatch", needs_model=True, options=_CUE_OPTIONS)
def modality_mismatch(bp: BlockPair, ctx: Context):
    """An obligation on one side is an option on the other: "must" / "peut", "essential" / "souhaitable".

    Why: a requirement that becomes desirable (or the reverse) changes who may apply. Words of
    obligation (must, shall, is required, essential / doit, devra, obligatoire, exigé) and of
    option (may, desirable, preferably, an asset / peut, souhaitable, de préférence, un atout)
    are compared in each aligned sentence pair; "must" / "devra" is an obligation on both sides.
    Bad: a requirement becomes an option.
        EN: The incumbent must hold a valid widget inspection licence.
        FR: La/Le titulaire peut être titulaire d'une licence valide d'inspection des gadgets.
    Good: an obligation in the future tense.
        EN: The incumbent must hold a valid widget inspection licence.
        FR: La/Le titulaire devra être titulaire d'une licence valide d'inspection des gadgets.
    """
    yield from _cue_hits(bp, ctx, "modality")


@rule("opposite-mismatch", needs_model=True, options=_CUE_OPTIONS)
def opposite_mismatch(bp: BlockPair, ctx: Context):
    """An attribute is the opposite on the other side: "internal" / "externe", "written" / "oral".

    Why: "internal candidates" translated "candidats externes", a written test that becomes oral, a
    temporary post that becomes permanent, a civilian that becomes military: one adjective, and the
    sentence still reads and scores as a good translation. Pairs of opposite attributes (internal /
    external, written / oral, temporary / permanent, full-time / part-time, civilian / military,
    public / private, national / international, direct / indirect, long-term / short-term;
    data/meaning.toml) are compared in each aligned
    sentence pair, in context: an attribute one side has more often, facing its opposite on the
    other, is reported.
    Bad: internal candidates become external ones.
        EN: Internal candidates will be invited to the widget assessment centre.
        FR: Les candidats externes seront invités au centre d'évaluation des gadgets.
    Good: both pairs, in other words.
        EN: Internal and external candidates will be invited to the widget assessment centre.
        FR: Les candidats internes comme externes seront invités au centre d'évaluation des gadgets.
    """
    yield from _cue_hits(bp, ctx, "opposite")


# ----------------------------------------------------------------------------- names


def _names_of(text: str, lang: str, ctx: Context) -> list[wl.Name]:
    return wl.names(ctx.knowledge("names")).find(text, lang)


@rule(
    "name-mismatch",
    needs_model=True,
    options={
        "min-raw": _MIN_RAW,
        "omissions": Option(False, "also report a name of the English sentence that the French one leaves out"),
    },
)
def name_mismatch(bp: BlockPair, ctx: Context):
    """A language, country, nationality, city or currency named differently on each side.

    Why: "Spanish" translated "italien", or "Belgium" as "Pays-Bas", reads perfectly and changes
    who can apply or where the post is. Names come from CLDR (babel) in both languages, with the
    nationality adjectives and NATO sites of data/names.toml; in each aligned sentence pair, a
    name on the French side whose English counterpart is absent, while the English names another
    of the same kind, is reported. With the option `omissions`, a name on one side only is too.
    Bad: another language.
        EN: Working knowledge of Spanish would be an advantage for widget procurement.
        FR: Une connaissance pratique de l'italien serait un atout pour l'achat de gadgets.
    Good: the same language (as an adjective).
        EN: Working knowledge of Spanish would be an advantage for widget procurement.
        FR: Une connaissance pratique de la langue espagnole serait un atout pour l'achat de gadgets.
    """
    pairs = _sentence_pairs(bp, ctx)
    if not pairs:
        return
    en_all = {n.id for n in _names_of(bp.en_text, EN, ctx)}
    fr_all = {n.id for n in _names_of(bp.fr_text, FR, ctx)}
    if en_all == fr_all:
        return
    for sp in pairs:
        en_n = _names_of(sp.en_text, EN, ctx)
        fr_n = _names_of(sp.fr_text, FR, ctx)
        fr_ids = {n.id for n in fr_n}
        # Several ids for one word (a CLDR name shared by a country and a city) count as one.
        extra = [n for n in fr_n if n.id not in en_all and not _same_word_known(n, fr_n, en_all)]
        missing = [n for n in en_n if n.id not in fr_all and not _same_word_known(n, en_n, fr_all)]
        reported: set = set()
        for f in extra:
            sub = next((e for e in missing if e.kind == f.kind and e.id not in fr_ids), None)
            if sub is None or (f.start, f.end) in reported:
                continue
            reported.add((f.start, f.end))
            fp, ep = _locate(ctx, sp.fr, f.start, f.end), _locate(ctx, sp.en, sub.start, sub.end)
            yield Hit(
                fp,
                f"FR '{f.surface}' where EN has '{sub.surface}' ({wl.kind_word(f.id)}): {_quote(sp.en_text)}",
                related=(ep,),
                section=bp.section,
            )
        if ctx.opt("omissions") and not reported:
            for e in missing:
                if e.id in fr_ids:
                    continue
                ep = _locate(ctx, sp.en, e.start, e.end)
                fp = _locate(ctx, sp.fr, 0, 0)
                yield Hit(
                    Place(fp.line, fp.line, FR),
                    f"EN '{e.surface}' ({wl.kind_word(e.id)}) is not named in "
                    f"the French sentence: {_quote(sp.fr_text)}",
                    related=(ep,),
                    section=bp.section,
                )
                break


def _same_word_known(n: wl.Name, found: list[wl.Name], other: set) -> bool:
    return any(m.id in other for m in found if (m.start, m.end) == (n.start, n.end))


# ----------------------------------------------------------------------------- terms both ways


def term_substitutions(bp: BlockPair, ctx: Context) -> list[wl.Substitution]:
    """The glossary substitutions of a paragraph pair (shared with glossary-term, which leaves
    these places to term-substitution), and the glossary terms whose modifier the compound check
    found changed (glossary-term leaves those to term-substitution too)."""
    memo = ctx.cache.setdefault("term-substitutions", {})
    if id(bp) not in memo:
        from vnlint.checks.glossary import _glossary
        from vnlint.neighbours import neighbour_text as _neighbour_text

        terms, _ = _glossary(ctx)
        subs = (
            wl.substitutions(
                bp.en_text,
                bp.fr_text,
                terms,
                _neighbour_text(ctx.notice.en, bp.en),
                _neighbour_text(ctx.notice.fr, bp.fr),
            )
            if terms
            else []
        )
        # An English term whose sentence the French lacks altogether was dropped with it, not
        # replaced: that is sentence-missing's (and glossary-term's) finding.
        lost = _lost_spans(bp, ctx) if subs else []
        subs = [s for s in subs if not any(a <= s.en.start < b for a, b in lost)]
        compounds = [c for c in _compound_checks(bp, ctx) if not any(_overlaps(s.fr, c.fr) for s in subs)]
        memo[id(bp)] = (subs, compounds, subs + [c.claim for c in compounds if c.claim is not None])
    return memo[id(bp)][2]


def _lost_spans(bp: BlockPair, ctx: Context) -> list[tuple[int, int]]:
    """Offsets (into the English side's text) of the English sentences that no French sentence of
    the pair translates (none at least `min-raw` close, whatever the sentence alignment merged);
    none without the model, or when no sentence pair of the paragraph pair is a translation."""
    from vnlint.engine import rule_options
    from vnlint.paragraph_align import data

    d = data(ctx.alignment)
    if d is None or not bp.en or not bp.fr:
        return []
    min_raw = float(rule_options(ctx.settings, "term-substitution")["min-raw"])
    if not _sentence_pairs(bp, ctx, min_raw):
        return []
    en_u, en_v = wl.side_units(bp.en, d)
    fr_u, fr_v = wl.side_units(bp.fr, d)
    if not en_u or not fr_u:
        return []
    from vnlint.compounds import side_span

    best = (np.asarray(en_v, dtype=np.float32) @ np.asarray(fr_v, dtype=np.float32).T).max(axis=1)
    return [side_span(bp.en, [u], 0, u.end - u.start) for u, score in zip(en_u, best.tolist()) if score < min_raw]


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def _compound_checks(bp: BlockPair, ctx: Context) -> list:
    """The compound-modifier findings of a paragraph pair (lint/compounds.py), with block-side offsets."""
    from vnlint import compounds as cpd
    from vnlint.checks.glossary import _glossary
    from vnlint.engine import rule_options
    from vnlint.knowledge import stopwords
    from vnlint.paragraph_align import data

    d = data(ctx.alignment)
    if d is None or not bp.en or not bp.fr:
        return []
    opts = rule_options(ctx.settings, "term-substitution")
    pairs = _sentence_pairs(bp, ctx, float(opts["min-raw"]))
    if not pairs:
        return []
    table = cpd.heads(ctx.knowledge("compounds"))
    limits = cpd.Thresholds(float(opts["max-modifier"]), float(opts["max-sentence"]), float(opts["max-orphan"]))
    stop = {EN: stopwords(EN), FR: stopwords(FR)}
    if "compound-words" not in ctx.cache:
        # The first modifiers to compare, of every paragraph pair of the notice, in one batch.
        ctx.cache["compound-words"] = True
        min_raw = float(opts["min-raw"])
        d.encode(
            [
                w
                for other in ctx.alignment.block_pairs()
                for sp in _sentence_pairs(other, ctx, min_raw)
                for w in cpd.modifier_words(table, sp.en_text, sp.fr_text, stop)
            ]
        )
    terms = _glossary(ctx)[0]
    en_terms = None
    out = []
    for sp in pairs:
        for c in cpd.compare(table, sp.en_text, sp.fr_text, d.encode, limits, stop):
            if en_terms is None:
                en_terms = wl.term_hits(bp.en_text, EN, terms) if terms else []
            fr_a, fr_b = cpd.side_span(bp.fr, sp.fr, c.fr.start, c.fr.end)
            en_a, en_b = cpd.side_span(bp.en, sp.en, c.en.start, c.en.end)
            fr = wl.TermHit(c.fr.head_surface, c.fr.surface, fr_a, fr_b, c.fr.surface)
            en = wl.TermHit(c.en.head_surface, c.en.surface, en_a, en_b, c.en.surface)
            # A glossary term around the English modifier ("risk management"): its place is this finding's.
            term = next((h for h in en_terms if h.start <= en_a and en_b <= h.end), None)
            claim = wl.Substitution(fr, term) if term is not None else None
            out.append(cpd.Found(sp, c, fr, en, claim))
    return out


@rule(
    "term-substitution",
    options={
        "min-raw": _MIN_RAW,
        "max-modifier": Option(
            0.40, "compound check: a French modifier this close to an English modifier of its head renders it"
        ),
        "max-sentence": Option(
            0.45, "compound check: a French modifier this close to any English word of the sentence renders it"
        ),
        "max-orphan": Option(
            0.45, "compound check: an English modifier this close to any French word of the sentence is rendered"
        ),
    },
)
def term_substitution(bp: BlockPair, ctx: Context):
    """A French glossary term renders an English term the English paragraph does not use, where
    the English uses another glossary term that the French does not render.

    Why: "Deputy Director" for "Director", "gestion des risques" for "incident management", "Comité
    militaire" for "North Atlantic Council": a well-formed French term of the same domain, so the
    sentence still reads and still scores as a translation. The glossary (data/glossary.toml, your
    own entries and CSV/TBX files) is used both ways: each French rendering must have its English
    term in the aligned English paragraph (or next to it). Glossary files are glossary-term's option.
    With the model, compound terms outside the glossary are checked too: where both sentences of an
    aligned pair use a head noun of data/compounds.toml ("management" / "gestion", "skills" /
    "compétences"), a French modifier that renders no English word ("gestion des contrats"),
    facing an English modifier of the same head that no French word renders ("risk management"),
    is reported (single-word embeddings; the thresholds are options).
    Bad: a deputy where the English names the director.
        EN: The Director of the Widget Division chairs the widget board.
        FR: Le directeur adjoint de la Division Gadgets préside le comité des gadgets.
    Good: the director.
        EN: The Director of the Widget Division chairs the widget board.
        FR: Le directeur de la Division Gadgets préside le comité des gadgets.
    """
    if not bp.en or not bp.fr:
        return
    term_substitutions(bp, ctx)
    subs, compounds, _ = ctx.cache["term-substitutions"][id(bp)]
    for c in compounds:
        yield _compound_hit(ctx, bp, c)
    for sub in subs:
        fp = _locate(ctx, _whole(bp.fr), sub.fr.start, sub.fr.end)
        ep = _locate(ctx, _whole(bp.en), sub.en.start, sub.en.end)
        yield Hit(
            fp,
            f"FR '{sub.fr.surface}' renders EN '{sub.fr.term}', which is not in the English paragraph; "
            f"EN has '{sub.en.surface}' (rendered {_renderings(ctx, sub.en.term)})",
            related=(ep,),
            section=bp.section,
            suggestion=(_glossary_terms(ctx).get(sub.en.term) or [None])[0],
        )


def _compound_hit(ctx: Context, bp: BlockPair, c) -> Hit:
    found = c.found
    fp = _locate(ctx, _whole(bp.fr), c.fr.start, c.fr.end)
    ep = _locate(ctx, _whole(bp.en), c.en.start, c.en.end)
    return Hit(
        fp,
        f"FR '{found.fr.head_surface} … {found.fr.surface}' where EN has '{found.en.surface} … "
        f"{found.en.head_surface}': '{found.fr.surface}' renders no word of the English sentence and "
        f"'{found.en.surface}' has no French counterpart: {_quote(c.sp.en_text)}",
        related=(ep,),
        section=bp.section,
    )


def _glossary_terms(ctx: Context) -> dict:
    from vnlint.checks.glossary import _glossary

    return _glossary(ctx)[0]


def _renderings(ctx: Context, term: str) -> str:
    return " / ".join(f"'{r}'" for r in _glossary_terms(ctx).get(term, [])[:3])
