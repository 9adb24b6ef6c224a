"""Terms: acronyms, numbers, language levels, links, contacts and glossary terms across the halves.

Acronym checks compare what each half writes in its running text (paragraphs and bullets; not
headings, the title or the header fields, which the field checks compare). Known EN/FR pairs
(NATO/OTAN, IS/SI, CIS/SIC, ...) come from data/acronyms.toml; acronyms the notice defines on both
sides at the same place ("Widget Board (WB)" / "Comité des gadgets (CG)") are
learnt from the alignment. Number checks use vnlint.values.
"""

from __future__ import annotations

import functools

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from rapidfuzz import fuzz

from vnlint import text as tu
from vnlint.codes import BY_NAME
from vnlint.engine import Context, Option, rule, rule_options
from vnlint.knowledge import fold
from vnlint.fix import edit, make_fix
from vnlint.model import EN, FR, Alignment, Block, BlockPair, Edit, Hit, Notice, Place

LANG_NAME = {EN: "English", FR: "French"}
OTHER = {EN: FR, FR: EN}


# ---------------------------------------------------------------------------------------------
# shared acronym analysis


@dataclass
class Misspelling:
    lang: str  # side of the odd spelling
    odd: str  # its normalised form
    usual: str  # the spelling it is close to
    usual_lang: str  # where the usual spelling is written
    usual_count: int


@dataclass
class Analysis:
    sides: dict
    orphans: dict = field(default_factory=dict)  # lang -> set of norms with no counterpart
    equiv: dict = field(default_factory=dict)  # (lang, norm) -> set of norms on the other side
    misspelt: dict = field(default_factory=dict)  # (lang, norm) -> Misspelling
    claimed: set = field(default_factory=set)  # (lang, norm) explained as a misspelling


def _know(ctx: Context) -> tu.AcronymKnowledge:
    k = ctx.cache.get("acronym-knowledge")
    if k is None:
        k = ctx.cache["acronym-knowledge"] = tu.acronym_knowledge(ctx.knowledge("acronyms"))
    return k


def _forms(an: Analysis, know: tu.AcronymKnowledge, n: str, lang: str) -> set[str]:
    return know.counterparts(n, lang) | an.equiv.get((lang, n), set())


def _has_counterpart(an: Analysis, know: tu.AcronymKnowledge, n: str, lang: str,
                     presence: Counter, folded: str) -> bool:
    if any(f in presence for f in _forms(an, know, n, lang)):
        return True
    return any(tu.contains_term(folded, p, OTHER[lang]) for p in know.phrases(n, lang))


def _block_pairs(alignment: Optional[Alignment]) -> list[BlockPair]:
    if alignment is None:
        return []
    out = list(alignment.block_pairs())
    out += list(getattr(alignment, "moved", []) or [])
    return out


def analyse(ctx: Context) -> Optional[Analysis]:
    notice = ctx.notice
    if notice is None or notice.en is None or notice.fr is None:
        return None
    cached = ctx.cache.get("acronym-analysis")
    if cached is not None:
        return cached
    know = _know(ctx)
    sides = {lg: tu.side_of(notice, lg, know) for lg in (EN, FR)}
    an = Analysis(sides=sides)

    def orphans(lang: str) -> set[str]:
        src, tgt = sides[lang], sides[OTHER[lang]]
        return {n for n in src.occurrences
                if not _has_counterpart(an, know, n, lang, tgt.presence, tgt.folded)}

    an.orphans = {EN: orphans(EN), FR: orphans(FR)}

    # Acronyms that the notice defines at the same place on both sides are equivalents
    # ("Division X (ABC)" / "Division Y (ABD)") unless they look like one misspelt acronym.
    groups: list[tuple[list[Block], list[Block]]] = [(bp.en, bp.fr) for bp in _block_pairs(ctx.alignment)]
    if ctx.alignment is not None:
        for sp in ctx.alignment.sections:
            if sp.aligned and not sp.block_pairs:
                groups.append((sp.en.content(), sp.fr.content()))
    for en_blocks, fr_blocks in groups:
        en_defs = _orphan_defs(en_blocks, an.orphans[EN])
        fr_defs = _orphan_defs(fr_blocks, an.orphans[FR])
        if en_defs and len(en_defs) == len(fr_defs):
            for (a, ea), (b, eb) in zip(en_defs, fr_defs):
                # Only acronyms made from their own side's words are translations of each
                # other ("Widget Board (WB)" / "Comité des gadgets (CG)").
                if tu.similar(a, b) or not (tu.native(a, ea, EN) and tu.native(b, eb, FR)):
                    continue
                an.equiv.setdefault((EN, a), set()).add(b)
                an.equiv.setdefault((FR, b), set()).add(a)
    if an.equiv:
        an.orphans = {EN: orphans(EN), FR: orphans(FR)}

    # Misspellings: an orphan one edit away from an acronym of the other half (JWSD / JWS,
    # WPPC / WPDC), or, used once, from a frequent acronym of its own half (OTANN / OTAN).
    for lang in (EN, FR):
        src, tgt = sides[lang], sides[OTHER[lang]]
        for x in sorted(an.orphans[lang]):
            cands = [y for y in tgt.presence if tu.similar(x, y) and not know.known_pair(x, y)
                     and (y.casefold() not in tgt.plain or y in tgt.definitions)]
            cands = [y for y in cands if not _both_native(src, tgt, x, y)]
            if cands:
                y = max(cands, key=lambda c: (tgt.presence[c], c))
                an.misspelt[(lang, x)] = Misspelling(lang, x, y, tgt.lang, tgt.presence[y])
                continue
            uses = len(src.occurrences.get(x, []))
            if uses == 1 and x not in src.definitions:
                own = [y for y in src.presence
                       if y != x and tu.similar(x, y) and src.presence[y] >= 3 and y not in an.orphans[lang]
                       and y.casefold() not in src.plain]
                if own:
                    y = max(own, key=lambda c: (src.presence[c], c))
                    an.misspelt[(lang, x)] = Misspelling(lang, x, y, lang, src.presence[y])
    # JWSD (EN) ~ JWS (FR) is one finding, reported on the French side.
    an.claimed = set(an.misspelt)
    for (lang, x), m in list(an.misspelt.items()):
        if lang == EN and m.usual_lang == FR and (FR, m.usual) in an.misspelt:
            del an.misspelt[(lang, x)]
    ctx.cache["acronym-analysis"] = an
    return an


def _orphan_defs(blocks: list[Block], orphans: set[str]) -> list[tuple[str, str]]:
    out = []
    for b in blocks:
        for _, n, exp in tu.definitions_in(tu.mask_spans(b.clean)):
            if n in orphans and n not in [x for x, _ in out]:
                out.append((n, exp))
    return out


def _both_native(src: tu.Side, tgt: tu.Side, x: str, y: str) -> bool:
    dx, dy = src.definitions.get(x), tgt.definitions.get(y)
    if dx is None or dy is None:
        return False
    return tu.native(x, dx.expansion, src.lang) and tu.native(y, dy.expansion, tgt.lang)


def _pair_of(ctx: Context, block: Block) -> Optional[BlockPair]:
    for bp in _block_pairs(ctx.alignment):
        if any(b is block for b in bp.en) or any(b is block for b in bp.fr):
            return bp
    return None


def _counterpart_place(ctx: Context, block: Block) -> tuple[Place, ...]:
    """Where the other side of `block` is: its aligned block, else the paired section."""
    other = OTHER.get(block.lang, FR)
    bp = _pair_of(ctx, block)
    if bp is not None:
        return (bp.place(other),)
    if ctx.alignment is not None:
        for sp in ctx.alignment.sections:
            mine = sp.en if block.lang == EN else sp.fr
            theirs = sp.fr if block.lang == EN else sp.en
            if mine is not None and theirs is not None and any(b is block for b in mine.blocks):
                return (theirs.place,)
    return ()


def _first_place(ctx: Context, side: tu.Side, n: str) -> tuple[Place, Optional[Block]]:
    occ = side.occurrences.get(n)
    if occ:
        o = occ[0]
        return tu.place_of(ctx.notice, o.block, o.token, o.start), o.block
    half = ctx.notice.en if side.lang == EN else ctx.notice.fr
    for b in half.blocks:
        if b.kind != "url" and n in tu.presence_tokens(b.clean):
            raw = next((t for t, _ in tu.tokens(b.clean) if tu.acronym_shape(t) and tu.norm(t) == n), n)
            return tu.place_of(ctx.notice, b, raw), b
    return half.place, None


# ---------------------------------------------------------------------------------------------
# acronyms


@rule("acronym-introduced")
def acronym_introduced(doc: Notice, ctx: Context):
    """An acronym used in one half that the other half never uses (nor any known equivalent).

    Why: an acronym that only one language version introduces (or keeps) means the two texts
    name things differently; a reader of the other version cannot relate it, and it is often
    the trace of an edit made on one side only. Known pairs (NATO/OTAN, IS/SI, CIS/SIC, ...) are
    in data/acronyms.toml and can be extended in [tool.vnlint.knowledge.acronyms] pairs;
    acronyms each side defines at the same place ("... Division (DI)" / "... (DI)") match.
    Bad: FR "l'Équipe Planification des gadgets (EPGX)" where the English never says EPGX.
        EN: The Widget Planning Team supports the Division's annual planning cycle.
        FR: L'Équipe Planification des gadgets (EPGX) appuie le cycle de planification annuel de la Division.
    Good: each side defines its own acronym at the same place (or neither uses one).
        EN: The Widget Planning Board (WPB) supports the Division's annual planning cycle.
        FR: Le Comité de planification des gadgets (CPG) appuie le cycle de planification annuel de la Division.
    """
    an = analyse(ctx)
    if an is None:
        return
    for lang in (EN, FR):
        side = an.sides[lang]
        for n in sorted(an.orphans[lang], key=lambda x: (an.sides[lang].occurrences[x][0].block.line, x)):
            if (lang, n) in an.claimed or n in _know(ctx).droppable:
                continue
            occ = side.occurrences[n]
            place, block = _first_place(ctx, side, n)
            token = occ[0].token
            d = side.definitions.get(n)
            uses = len(occ)
            count = f", used {uses} times" if uses > 1 else ""
            if d is not None:
                how = f"introduces the acronym {token} ('{tu.quote(d.expansion, 50)} ({d.token})'{count})"
            else:
                how = f"uses the acronym {token} (not defined in the notice{count})"
            yield Hit(
                place,
                f"the {LANG_NAME[lang]} half {how}, which the {LANG_NAME[OTHER[lang]]} half never uses "
                f"(nor a known equivalent)",
                related=_counterpart_place(ctx, block) if block is not None else (),
                section=block.section if block is not None else None,
            )


@rule("acronym-dropped")
def acronym_dropped(pair: BlockPair, ctx: Context):
    """An acronym of the English paragraph missing from its French translation, expansion included.

    Why: when the French paragraph neither repeats the acronym (or its French form) nor spells
    out what it stands for, the body it names has dropped out of the translation. Only reported
    when the acronym exists elsewhere in the French half (otherwise acronym-introduced speaks)
    and its French expansion is known (data/acronyms.toml or the notice's own definition).
    Bad: FR has neither SI nor "Secrétariat international" where EN says IS.
        EN: The IS offers widget training to all new staff members.
        FR: Le Service des gadgets propose une formation à tous les nouveaux agents.
    Good: the French acronym in the French paragraph.
        EN: The IS offers widget training to all new staff members.
        FR: Le SI propose une formation aux gadgets à tous les nouveaux agents.
    """
    if pair.weak or not pair.en or not pair.fr:
        return
    an = analyse(ctx)
    if an is None:
        return
    know = _know(ctx)
    en_text, fr_text = pair.en_text, pair.fr_text
    if len(fr_text) < 0.4 * len(en_text):
        return
    near = _neighbour_text(ctx.notice.fr, pair.fr)
    fr_presence = tu.presence_tokens(fr_text) + tu.presence_tokens(near)
    fr_folded = fold(fr_text + "\n" + near)
    fr_side = an.sides[FR]
    seen: set[str] = set()
    for b in pair.en:
        if b.kind not in ("paragraph", "bullet"):
            continue
        en_side = an.sides[EN]
        for tok, n, pos in tu.body_acronyms(b.clean, EN, know, en_side.plain, set(en_side.definitions)):
            if n in seen or n in an.orphans[EN] or n in know.droppable or (EN, n) in an.claimed:
                continue
            seen.add(n)
            forms = _forms(an, know, n, EN)
            if any(f in fr_presence for f in forms):
                continue
            if any(tu.contains_term(fr_folded, p, FR) for p in know.phrases(n, EN)):
                continue
            if any(tu.similar(n, y) or any(tu.similar(f, y) for f in forms) for y in fr_presence):
                continue  # spelt differently: acronym-misspelt
            expansions = list(know.expansions.get((n, FR), []))
            for f in forms:
                expansions += know.expansions.get((f, FR), [])
                d = fr_side.definitions.get(f)
                if d is not None:
                    expansions.append(d.expansion)
            if not expansions:
                continue  # what the French would say instead is unknown: stay quiet
            if any(_expansion_in(e, fr_folded) for e in expansions):
                continue
            shown = " / ".join(sorted(forms - {n})) or n
            yield Hit(
                pair.place(FR),
                f"EN uses {tok} here, but the French paragraph has neither {shown if shown != n else n} "
                f"nor its expansion ('{tu.quote(expansions[0], 50)}')",
                related=(tu.place_of(ctx.notice, b, tok, pos),),
                section=pair.section,
            )


def _expansion_in(expansion: str, folded: str) -> bool:
    """The French expansion is in the paragraph, or most of its words are."""
    if tu.contains_term(folded, expansion, FR):
        return True
    return tu.coverage(expansion, folded, FR) >= 0.75


@rule("acronym-misspelt", options={
    "case-sensitive": Option(False, "also report an acronym written in another case in each half (Nato / NATO)"),
})
def acronym_misspelt(doc: Notice, ctx: Context):
    """One acronym spelt two ways: a form on one side that is one letter away from the other's.

    Why: "JWSD" in English and "JWS" in French, or "WPPC" / "WPDC", send the reader to two
    different bodies; one of them is a typo. Acronyms that are legitimate translations of each
    other (ICT/TIC, NSA/ANS) are known pairs and are not compared. Case-only differences (WSec /
    WSEC) name the same body and are not reported unless the option case-sensitive is true.
    Bad: WPPC in English, WPDC in French.
        EN: The Widget Policy and Planning Committee (WPPC) meets every month.
        FR: Le Comité de la politique et de la planification des gadgets (WPDC) se réunit chaque mois.
    Good: the same acronym on both sides.
        EN: The Widget Policy and Planning Committee (WPPC) meets every month.
        FR: Le Comité de la politique et de la planification des gadgets (WPPC) se réunit chaque mois.
    """
    an = analyse(ctx)
    if an is None:
        return
    for (lang, x), m in sorted(an.misspelt.items(), key=lambda kv: (kv[0][0] != FR, kv[0][1])):
        side = an.sides[lang]
        place, block = _first_place(ctx, side, x)
        token = side.occurrences[x][0].token if side.occurrences.get(x) else x
        usual_side = an.sides[m.usual_lang]
        related: tuple[Place, ...] = ()
        if m.usual_lang != lang and block is not None:
            related = _counterpart_place(ctx, block)
        if not related:
            p, _ = _first_place(ctx, usual_side, m.usual)
            related = (p,)
        where = (f"the {LANG_NAME[m.usual_lang]} half" if m.usual_lang != lang
                 else f"the rest of the {LANG_NAME[lang]} half")
        times = f"{m.usual_count} time{'s' if m.usual_count != 1 else ''}"
        yield Hit(
            place,
            f"acronym {token} ({LANG_NAME[lang]}) looks like a misspelling of {m.usual}, the spelling "
            f"used in {where} ({times})",
            related=related,
            section=block.section if block is not None else None,
            suggestion=m.usual,
            fix=_respell_fix(ctx, side, x, usual_side, m),
        )
    if ctx.opt("case-sensitive"):
        yield from _case_variants(ctx, an)


def _respell_fix(ctx: Context, side: tu.Side, x: str, usual_side: tu.Side, m: Misspelling):
    """Every use of the odd spelling respelt as the usual one. Certain (safe) only when the usual
    spelling is the one used everywhere else in the same half; against the other half's spelling
    it is a suggestion (the French may have its own acronym)."""
    usual = usual_side.occurrences.get(m.usual)
    written = usual[0].token if usual else m.usual
    occ = side.occurrences.get(x, [])
    edits = [edit(ctx.notice, o.block, o.start, o.start + len(o.token),
                  written + ("s" if o.token != x and o.token.endswith("s") and not written.endswith("s") else ""))
             for o in occ]
    return make_fix(edits, safe=m.usual_lang == side.lang,
                    description=f"respell {occ[0].token if occ else x} as {written}")


def _case_variants(ctx: Context, an: Analysis):
    raw: dict[str, dict[str, tuple[str, Block]]] = {EN: {}, FR: {}}
    for lang in (EN, FR):
        for n, occ in an.sides[lang].occurrences.items():
            for o in occ:
                raw[lang].setdefault(n, (o.token.rstrip("s") if o.token.endswith("s") and len(o.token) > 2
                                         and o.token[-2].isupper() else o.token, o.block))
    for n, (tok_fr, b_fr) in sorted(raw[FR].items()):
        if n in raw[EN]:
            tok_en, b_en = raw[EN][n]
            if tok_en != tok_fr:
                yield Hit(
                    tu.place_of(ctx.notice, b_fr, tok_fr),
                    f"acronym written {tok_fr} in French but {tok_en} in English (case differs)",
                    related=(tu.place_of(ctx.notice, b_en, tok_en),),
                    section=b_fr.section,
                    suggestion=tok_en,
                )


# ---------------------------------------------------------------------------------------------
# numbers and language levels


def _qty_label(q) -> str:
    return tu.quote(q.raw, 40)


def _value_str(v) -> str:
    s = format(v.normalize(), "f") if hasattr(v, "normalize") else str(v)
    return s


@rule("number-mismatch")
def number_mismatch(pair: BlockPair, ctx: Context):
    """A number (count, duration, percentage, amount) differs between a paragraph and its translation.

    Why: "five years' experience" translated "trois ans d'expérience" changes a requirement.
    Numbers are compared as values with their unit ("five years" = "cinq ans" = "5 years",
    8,754.21 = 8 754,21), not as text; dates, times, grades, phone numbers and list numbering are
    left to other checks.
    Bad: five years in English, three in French.
        EN: The incumbent must have at least 5 years of experience in widget logistics.
        FR: La/Le titulaire doit avoir au moins trois ans d'expérience dans la logistique des gadgets.
    Good: the same number, in digits or in words.
        EN: The incumbent must have at least 5 years of experience in widget logistics.
        FR: La/Le titulaire doit avoir au moins cinq ans d'expérience dans la logistique des gadgets.
    """
    from vnlint.values import extract_quantities

    if not pair.en or not pair.fr:
        return
    en_q = extract_quantities(pair.en_text, EN)
    fr_q = extract_quantities(pair.fr_text, FR)
    if not en_q and not fr_q:
        return
    en_left, fr_left = _match_quantities(list(en_q), list(fr_q))
    # A number the parser leaves alone on purpose ("neuf agents": "neuf" is also "new") still
    # answers a number of the other side.
    en_left = [q for q in en_left if not _in_words(pair.fr_text, FR, q.value)]
    fr_left = [q for q in fr_left if not _in_words(pair.en_text, EN, q.value)]
    if en_left or fr_left:
        # Values found in the neighbouring paragraph of the other side moved with a sentence.
        fr_near = extract_quantities(_neighbour_text(ctx.notice.fr, pair.fr), FR)
        en_near = extract_quantities(_neighbour_text(ctx.notice.en, pair.en), EN)
        en_left, _ = _match_quantities(en_left, list(fr_near))
        fr_left, _ = _match_quantities(fr_left, list(en_near))
    # Unitless numbers in words on one side only ("l'une des deux langues") are too weak alone.
    def strong(q) -> bool:
        return q.unit is not None or not q.words

    if not any(strong(q) for q in en_left + fr_left) and not (en_left and fr_left):
        return
    if not en_left and not fr_left:
        return
    parts = []
    if en_left:
        parts.append("EN has " + ", ".join(f"'{_qty_label(q)}'" for q in en_left))
    if fr_left:
        parts.append(("FR has " if en_left else "FR has ") + ", ".join(f"'{_qty_label(q)}'" for q in fr_left))
    missing = ("; ".join(parts)
               + (" with no matching value on the other side" if not (en_left and fr_left) else ""))
    # At the first differing number itself (its column), else at the paragraph that lacks it.
    at = tu.pair_place(ctx.notice, pair.fr, *fr_left[0].span) if fr_left else None
    rel = tu.pair_place(ctx.notice, pair.en, *en_left[0].span) if en_left else None
    yield Hit(
        at or pair.place(FR),
        f"numbers differ: {missing} (EN lines {pair.place(EN).line}-{pair.place(EN).end_line}, "
        f"FR lines {pair.place(FR).line}-{pair.place(FR).end_line})",
        related=(rel or pair.place(EN),),
        section=pair.section,
    )


def _in_words(text: str, lang: str, value) -> bool:
    """Whether `text` writes `value` as a number word (text2num, as vnlint.values does)."""
    import re

    try:
        from text_to_num import text2num
    except ImportError:  # pragma: no cover - a declared dependency
        return False
    if value != value.to_integral_value() or value > 10**6:
        return False
    for m in re.finditer(r"[^\W\d_]+(?:[-\s](?:et[-\s])?[^\W\d_]+){0,3}", text):
        words = m.group(0).split()
        for i in range(len(words)):
            for j in range(min(len(words), i + 4), i, -1):
                chunk = " ".join(words[i:j])
                try:
                    if int(text2num(chunk, lang)) == int(value):
                        return True
                except Exception:  # noqa: BLE001 - not a number
                    continue
    return False


def _match_quantities(en: list, fr: list) -> tuple[list, list]:
    """Pair quantities by (value, unit), then by value where one side has no unit."""
    def take(pred):
        nonlocal en, fr
        rest_en = []
        for a in en:
            for i, b in enumerate(fr):
                if pred(a, b):
                    del fr[i]
                    break
            else:
                rest_en.append(a)
        en = rest_en

    take(lambda a, b: a.value == b.value and a.unit == b.unit)
    take(lambda a, b: a.value == b.value and (a.unit is None or b.unit is None))
    return en, fr


@rule("language-level-mismatch")
def language_level_mismatch(pair: BlockPair, ctx: Context):
    """The NATO language levels (I-VI, or an SLP such as 3333) differ between the two versions.

    Why: 'V ("Advanced") in one; I ("Beginner") in the other' is a hard requirement; a translation
    that asks for level II instead of I excludes or admits the wrong candidates. The name given
    with a numeral must be that level's name too ('V (« débutant »)' is reported).
    Bad: level I in English, level II in French.
        EN: - have at least level V ("Advanced") in one of NATO's official languages (English/French)
            and level I ("Beginner") in the other;
        FR: - posséder au moins le niveau V (« avancé ») dans une des langues officielles de l'OTAN
            (anglais/français) et le niveau II (« élémentaire ») dans l'autre ;
    Good: the same levels, with their French names.
        EN: - have at least level V ("Advanced") in one of NATO's official languages (English/French)
            and level I ("Beginner") in the other;
        FR: - posséder au moins le niveau V (« avancé ») dans une des langues officielles de l'OTAN
            (anglais/français) et le niveau I (« débutant ») dans l'autre ;
    """
    from vnlint.values import extract_language_levels

    if not pair.en or not pair.fr:
        return
    en_l = extract_language_levels(pair.en_text, EN)
    fr_l = extract_language_levels(pair.fr_text, FR)
    if not en_l and not fr_l:
        return
    if Counter(en_l) == Counter(fr_l):
        # Same numerals; the names given with them must agree too ('V ("Advanced")' against
        # 'V (« débutant »)').
        bad = [(lang, num, name, lvl) for lang, text in ((EN, pair.en_text), (FR, pair.fr_text))
               for num, name, lvl in _named_levels(text) if lvl != num]
        if bad:
            lang, num, name, lvl = bad[0]
            yield Hit(
                _level_name_place(ctx.notice, pair.en if lang == EN else pair.fr, num, name) or pair.place(lang),
                f"language level {num} is named '{name}', the name of level {lvl} ({LANG_NAME[lang]})",
                related=(pair.place(OTHER[lang]),),
                section=pair.section,
            )
        return
    if not en_l or not fr_l:
        # One side names the levels in words only ("un niveau avancé"): compare the names.
        words = _level_names_in(pair.fr_text if not fr_l else pair.en_text)
        given = en_l or fr_l
        if words and Counter(words) == Counter(given):
            return
        if not words and not _mentions_languages(pair.fr_text if not fr_l else pair.en_text):
            return
    at, rel = _first_unmatched_level(ctx.notice, pair)
    yield Hit(
        at or pair.place(FR),
        f"language levels differ: EN {', '.join(en_l) or 'none'}; FR {', '.join(fr_l) or 'none'}",
        related=(rel or pair.place(EN),),
        section=pair.section,
    )


def _first_unmatched_level(notice: Notice, pair: BlockPair) -> tuple[Optional[Place], Optional[Place]]:
    """The places of the first French level the English lacks and the first English level the
    French lacks (None where every level has its counterpart), by column."""
    from vnlint.values import language_level_spans

    spans = {EN: language_level_spans(pair.en_text, EN), FR: language_level_spans(pair.fr_text, FR)}
    out = []
    for lang, blocks in ((FR, pair.fr), (EN, pair.en)):
        other = Counter(r for _, _, r in spans[OTHER[lang]])
        first = None
        for a, b, r in spans[lang]:
            if other[r] > 0:
                other[r] -= 1
            elif first is None:
                first = tu.pair_place(notice, blocks, a, b)
        out.append(first)
    return out[0], out[1]


def _level_name_place(notice: Notice, blocks: list[Block], num: str, name: str) -> Optional[Place]:
    """Where the (folded) `name` is written after the numeral `num`: 'V (« débutant »)'."""
    import re

    rx = re.compile(r"(?<![\w])" + num + r"\s*\(\s*[\"'«“‘\u00a0\s]*([^\"'»”’)]+?)[\"'»”’\u00a0\s]*\)")
    for b in blocks:
        for m in rx.finditer(b.clean):
            if fold(m.group(1)) == name:
                return tu.span_place(notice, b, m.start(1), m.end(1))
    return None


def _named_levels(text: str) -> list[tuple[str, str, str]]:
    """(numeral, name as written, level of that name) for 'V ("Advanced")', 'II (« élémentaire »)'."""
    import re

    table = _level_tables()
    if not table:
        return []
    names = "|".join(re.escape(n) for n in sorted(table, key=len, reverse=True))
    rx = re.compile(r"(?<![\w])(VI|V|IV|III|II|I)\s*\(\s*[\"'«“‘\u00a0\s]*(" + names +
                    r")[\"'»”’\u00a0\s]*\)")
    folded = fold(text)
    out = []
    # fold() lower-cases: find the numerals in the original text at the same offsets
    for m in rx.finditer(_upper_romans(folded)):
        out.append((m.group(1), m.group(2), table[m.group(2)]))
    return out


def _upper_romans(folded: str) -> str:
    import re

    return re.sub(r"(?<![\w])(vi|v|iv|iii|ii|i)(?=\s*\()", lambda m: m.group(1).upper(), folded)


def _level_tables() -> dict[str, str]:
    from vnlint.knowledge import data

    out = {}
    for roman, langs in (data("languages").get("levels") or {}).items():
        for lg in (EN, FR):
            for name in langs.get(lg, []):
                out[fold(name)] = roman
    return out


def _level_names_in(text: str) -> list[str]:
    import re

    folded = fold(text)
    table = _level_tables()
    found = []
    for name in sorted(table, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", folded):
            if not any(a <= m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), table[name]))
    return [r for _, _, r in sorted(found)]


def _mentions_languages(text: str) -> bool:
    f = fold(text)
    return any(w in f for w in ("language", "langue", "english", "anglais", "french", "francais"))


# ---------------------------------------------------------------------------------------------
# links and contacts


@dataclass
class _Url:
    url: str
    key: str
    block: Block


def _urls_of(blocks) -> list[_Url]:
    out = []
    for b in blocks:
        for u in tu.urls_in(b.text):
            out.append(_Url(u, tu.normalise_url(u), b))
    return out


def _md_links(blocks) -> list[str]:

    out = []
    for b in blocks:
        masked = b.text
        for m in tu.MD_LINK_RE.finditer(masked):
            out.append(m.group(1))
        rest = tu.MD_LINK_RE.sub(" ", masked)
        out += [u for u in tu.urls_in(rest)]
    return out


@rule("link-mismatch")
def link_mismatch(doc: Notice, ctx: Context):
    """A link on one side whose target is not on the other (allowing the /en/ - /fr/ variants).

    Why: a dropped or different link leaves the reader of one version without the application
    portal, the salary scale or the policy it points to. Targets are compared after removing
    the language slot (/cps/en/ = /cps/fr/, -en.pdf = -fr.pdf, lang=en = lang=fr) and the scheme.
    Per aligned paragraph, links are compared one to one (markdown links with a "#" target by
    count); the rest of each half (URL-only lines, unaligned paragraphs) against the whole other half.
    E-mail addresses are compared by contact-mismatch (VN407).
    Bad: an English link to a guide with no French link to that document.
        EN: The widget guide (https://www.example.int/docs/widget-guide-en.pdf) explains the procedure.
        FR: Le guide des gadgets explique la procédure.
    Good: the French link is the /fr/ variant of the English one.
        EN: The procedure is explained on https://www.example.int/cps/en/widgets/1.htm.
        FR: La procédure est expliquée sur https://www.example.int/cps/fr/widgets/1.htm.
    """
    if doc.en is None or doc.fr is None:
        return
    covered: set[int] = set()
    all_keys = {EN: Counter(u.key for u in _urls_of(doc.en.blocks)),
                FR: Counter(u.key for u in _urls_of(doc.fr.blocks))}
    # Sections whose paragraphs hold as many links on both sides: a paragraph split differently
    # on the two sides moves links between paragraphs without losing any.
    balanced: set = set()
    for sp in (ctx.alignment.sections if ctx.alignment is not None else []):
        if sp.aligned and len(_md_links(sp.en.content())) == len(_md_links(sp.fr.content())):
            balanced.add(sp.key)
    for bp in _block_pairs(ctx.alignment):
        for b in bp.en + bp.fr:
            covered.add(id(b))
        en_u, fr_u = _urls_of(bp.en), _urls_of(bp.fr)
        # What the other side may hold the link in: the aligned paragraph, the URL lines after
        # it, and the neighbouring paragraphs (a paragraph split differently moves a sentence).
        en_keys = {u.key for u in _urls_of(_context_blocks(doc.en, bp.en))}
        fr_keys = {u.key for u in _urls_of(_context_blocks(doc.fr, bp.fr))}
        reported = False
        for urls, other_keys, other in ((en_u, fr_keys, FR), (fr_u, en_keys, EN)):
            for u in urls:
                if u.key not in other_keys:
                    reported = True
                    yield Hit(tu.place_of(doc, u.block, u.url),
                              f"link {u.url} has no counterpart in the aligned {LANG_NAME[other]} paragraph"
                              + ("" if all_keys[other][u.key] else f" (nor anywhere in the {LANG_NAME[other]} half)"),
                              related=(bp.place(other),), section=bp.section)
                    other_keys.add(u.key)
        if not reported and bp.section not in balanced:
            en_l = _md_links(bp.en + _trailing_urls(doc.en, bp.en))
            fr_l = _md_links(bp.fr + _trailing_urls(doc.fr, bp.fr))
            if len(en_l) != len(fr_l):
                more, less = (EN, FR) if len(en_l) > len(fr_l) else (FR, EN)
                texts = en_l if more == EN else fr_l
                holder = next((b for b in (bp.en if more == EN else bp.fr) if texts[0] in b.clean), None)
                yield Hit(
                    bp.place(less),
                    f"the {LANG_NAME[more]} paragraph has {len(texts)} link{'s' if len(texts) != 1 else ''} "
                    f"({', '.join('[' + tu.quote(t, 30) + ']' for t in texts)}) but the {LANG_NAME[less]} "
                    f"paragraph has {len(fr_l if more == EN else en_l)}",
                    related=(tu.place_of(doc, holder, texts[0]) if holder is not None else bp.place(more),),
                    section=bp.section,
                )
    # URL-only lines and paragraphs outside the block pairs: against the whole other half.
    for lang in (EN, FR):
        half, other = (doc.en, FR) if lang == EN else (doc.fr, EN)
        rest = [u for u in _urls_of(half.blocks) if id(u.block) not in covered]
        done: set[str] = set()
        for u in rest:
            if u.key in all_keys[other] or u.key in done:
                continue
            done.add(u.key)
            n = sum(1 for v in rest if v.key == u.key)
            yield Hit(
                tu.place_of(doc, u.block, u.url),
                f"link {u.url}{' (' + str(n) + ' times)' if n > 1 else ''} has no counterpart in the "
                f"{LANG_NAME[other]} half",
                related=(_other_half(doc, lang).place,),
                section=u.block.section,
            )


@functools.lru_cache(maxsize=8)
def _half_index(half) -> tuple[list[Block], dict[int, int], dict[int, int]]:
    """A half's paragraphs and bullets in order, and the position of each block among them and among
    all the half's blocks: the neighbour lookups below are then constant time, not a scan per pair."""
    seq = [b for b in half.blocks if b.kind in ("paragraph", "bullet")]
    return seq, {id(b): i for i, b in enumerate(seq)}, {id(b): i for i, b in enumerate(half.blocks)}


def _neighbour_text(half, blocks: list[Block]) -> str:
    """The clean text of the content blocks just before and just after `blocks` in their half:
    a paragraph split differently on the two sides moves a sentence into the next pair."""
    if half is None or not blocks:
        return ""
    seq, pos, _ = _half_index(half)
    first, last = pos.get(id(blocks[0])), pos.get(id(blocks[-1]))
    out = []
    if first is not None and first > 0:
        out.append(seq[first - 1].clean)
    if last is not None and last + 1 < len(seq):
        out.append(seq[last + 1].clean)
    return "\n".join(out)


def _context_blocks(half, blocks: list[Block]) -> list[Block]:
    """`blocks`, the URL lines after them, and the neighbouring content blocks with theirs."""
    if half is None or not blocks:
        return list(blocks)
    seq, pos, _ = _half_index(half)
    first, last = pos.get(id(blocks[0])), pos.get(id(blocks[-1]))
    out = list(blocks) + _trailing_urls(half, blocks)
    for i in (first - 1 if first is not None else -1, last + 1 if last is not None else -1):
        if 0 <= i < len(seq):
            out += [seq[i]] + _trailing_urls(half, [seq[i]])
    return out


def _trailing_urls(half, blocks: list[Block]) -> list[Block]:
    """URL-only lines right after a paragraph belong to it (a PDF puts a long link on its own line)."""
    if half is None or not blocks:
        return []
    idx = _half_index(half)[2].get(id(blocks[-1]))
    if idx is None:
        return []
    out = []
    for k in range(idx + 1, len(half.blocks)):  # no slice: a copy of the rest would be linear
        if half.blocks[k].kind != "url":
            break
        out.append(half.blocks[k])
    return out


def _other_half(doc: Notice, lang: str):
    return doc.fr if lang == EN else doc.en


@rule("link-english-target")
def link_english_target(doc: Notice, ctx: Context):
    """The French half links to the English version of a page (/en/, -en.pdf, lang=en).

    Why: a URL with a language slot has a French variant; French readers should be sent to it.
    Bad: the French half sends its readers to the English page.
        EN: See the salary scale at https://www.example.int/cps/en/pay/scale.htm.
        FR: Voir le barème des traitements à l'adresse https://www.example.int/cps/en/pay/scale.htm.
    Good: the French page.
        EN: See the salary scale at https://www.example.int/cps/en/pay/scale.htm.
        FR: Voir le barème des traitements à l'adresse https://www.example.int/cps/fr/pay/scale.htm.
    """
    if doc.fr is None:
        return
    seen: set[str] = set()
    for u in _urls_of(doc.fr.blocks):
        if u.url in seen or tu.url_lang(u.url) != EN:
            continue
        seen.add(u.url)
        fr_url = _french_url(u.url)
        yield Hit(
            tu.place_of(doc, u.block, u.url),
            f"the French half links to the English page {u.url}",
            section=u.block.section,
            suggestion=fr_url,
            fix=_french_link_fix(doc, u, fr_url),
        )


def _french_link_fix(doc: Notice, u, fr_url: str | None):
    """Every writing of the English URL on its line, replaced by the French one. Certain (safe) only
    when the site's pattern is shown by the notice itself: another French link on the same site
    already has the French segment where this one has the English one (cps/en/ -> cps/fr/)."""
    import re

    if not fr_url:
        return None
    lines = doc.source.lines
    rows = [n for n in range(u.block.line, u.block.end_line + 1) if n <= len(lines) and u.url in lines[n - 1]]
    edits = [Edit(n, m.start() + 1, n, m.end() + 1, fr_url) for n in rows
             for m in re.finditer(re.escape(u.url) + r"(?![\w/])", lines[n - 1])]
    prefix = _site(fr_url[:_diverge(u.url, fr_url) + 2]) + "/"  # up to the language slot: site/cps/fr/
    shown = prefix.endswith("/fr/") and any(_site(v.url).startswith(prefix) for v in _urls_of(doc.fr.blocks))
    return make_fix(edits, safe=shown, description=f"link to {fr_url}")


def _site(url: str) -> str:
    import re

    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())


def _diverge(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def _french_url(url: str) -> Optional[str]:
    import re

    out = re.sub(r"/en/", "/fr/", url, count=1)
    out = re.sub(r"([?&](?:lang|language|hl|locale)=)en\b", r"\1fr", out)
    out = re.sub(r"([-_.])en(\.[A-Za-z0-9]{2,5})$", r"\1fr\2", out)
    return out if out != url else None


@rule("contact-mismatch")
def contact_mismatch(doc: Notice, ctx: Context):
    """An e-mail address or telephone number differs between the halves, or is on one side only.

    Why: candidates write to or call what their language version says; a typo in one version
    sends them nowhere. Numbers are compared by their digits (+32 2 707 41 11 = 0032 2 707 41 11).
    Bad: the French address is translated, and reaches nobody.
        EN: Questions may be sent to recruitment@example.int.
        FR: Les questions peuvent être adressées à recrutement@example.int.
    Good: the same address in both halves.
        EN: Questions may be sent to recruitment@example.int.
        FR: Les questions peuvent être adressées à recruitment@example.int.
    """
    if doc.en is None or doc.fr is None:
        return
    for kind, finder, key in (("e-mail address", tu.emails_in, lambda s: s.lower()),
                              ("telephone number", tu.phones_in, tu.normalise_phone)):
        found = {}
        for lang, half in ((EN, doc.en), (FR, doc.fr)):
            items = []
            for b in half.blocks:
                for s in finder(b.text if kind == "e-mail address" else b.clean):
                    items.append((s, key(s), b))
            found[lang] = items
        en_keys = {k for _, k, _ in found[EN]}
        fr_keys = {k for _, k, _ in found[FR]}
        only_en = [(s, k, b) for s, k, b in found[EN] if k not in fr_keys]
        only_fr = [(s, k, b) for s, k, b in found[FR] if k not in en_keys]
        only_en = list({k: (s, k, b) for s, k, b in only_en}.values())
        only_fr = list({k: (s, k, b) for s, k, b in only_fr}.values())
        used_en: set[str] = set()
        for s, k, b in only_fr:
            # Pair with the closest one-sided contact of the other half, if any.
            best = max(only_en, key=lambda t: fuzz.ratio(t[1], k), default=None)
            if best is not None and best[1] not in used_en and fuzz.ratio(best[1], k) >= 60:
                used_en.add(best[1])
                yield Hit(tu.place_of(doc, b, s), f"{kind} differs: EN {best[0]}, FR {s}",
                          related=(tu.place_of(doc, best[2], best[0]),), section=b.section,
                          suggestion=best[0])
            else:
                yield Hit(tu.place_of(doc, b, s), f"{kind} {s} is only in the French half",
                          related=(doc.en.place,), section=b.section)
        for s, k, b in only_en:
            if k in used_en:
                continue
            yield Hit(tu.place_of(doc, b, s), f"{kind} {s} is only in the English half",
                      related=(doc.fr.place,), section=b.section)


# ---------------------------------------------------------------------------------------------
# glossary


def _glossary(ctx: Context) -> tuple[dict[str, list[str]], list[str]]:
    cached = ctx.cache.get("glossary")
    if cached is not None:
        return cached
    from vnlint import glossary_import as gi

    table = ctx.knowledge("glossary")
    terms = gi.terms_from_table(table)
    errors = []
    # The files are glossary-term's option; term-substitution reads the same glossary.
    files = rule_options(ctx.settings, "glossary-term")["files"] or []
    if isinstance(files, str):
        files = [files]
    for path in files:
        try:
            gi.merge_into(terms, gi.load(os.path.expanduser(str(path))))
        except (OSError, ValueError) as exc:
            errors.append(f"glossary file {path!r} could not be read: {exc}")
    ctx.cache["glossary"] = (terms, errors)
    return terms, errors


@rule("glossary-term", options={
    "files": Option([], "CSV or TBX glossaries added to data/glossary.toml (term-substitution reads them too)"),
})
def glossary_term(pair: BlockPair, ctx: Context):
    """An English glossary term whose aligned French paragraph has none of its required renderings.

    Why: recurring NATO terms have official translations ("International Staff" is "Secrétariat
    international", "incident management" is "gestion des incidents"); another rendering changes
    the meaning or the name of a body. Terms are in data/glossary.toml; add your own in
    [tool.vnlint.knowledge.glossary.terms] or in CSV/TBX files named by the option `files`.
    Bad: "incident management" rendered as "gestion des risques".
        EN: The incumbent leads incident management for the widget network.
        FR: La/Le titulaire dirige la gestion des risques du réseau de gadgets.
    Good: the glossary rendering.
        EN: The incumbent leads incident management for the widget network.
        FR: La/Le titulaire dirige la gestion des incidents du réseau de gadgets.
    """
    terms, errors = _glossary(ctx)
    if errors and not ctx.cache.get("glossary-errors-shown"):
        ctx.cache["glossary-errors-shown"] = True
        for e in errors:
            yield Hit(Place(1, 1, ""), e)
    if not pair.en or not pair.fr or not terms:
        return
    en_f, fr_f = fold(pair.en_text), fold(pair.fr_text)
    fr_acr = tu.presence_tokens(pair.fr_text)
    near_raw = _neighbour_text(ctx.notice.fr, pair.fr)
    near_f, near_acr = fold(near_raw), tu.presence_tokens(near_raw)
    hits = []
    # A term the French replaced by another glossary term is term-substitution's (more specific).
    claimed = set()
    if BY_NAME["term-substitution"].code in ctx.settings.select:
        from vnlint.checks.meaning import term_substitutions

        claimed = {s.en.term for s in term_substitutions(pair, ctx)}
    for term, renderings in terms.items():
        if term in claimed:
            continue
        m = tu.find_term(en_f, term, EN)
        if m is None:
            continue
        if any(tu.norm(r) in fr_acr if tu.acronym_shape(r) else tu.contains_loosely(fr_f, r, FR)
               for r in renderings):
            # Rendered, but maybe not every time: "incident management" three times in English,
            # "gestion des incidents" twice and "gestion des risques" once in French.
            intruder = _intruder(terms, term, renderings, en_f, fr_f)
            if intruder is not None:
                hits.append((m.start(), m.end(), term, renderings, intruder))
            continue
        if any(tu.norm(r) in near_acr if tu.acronym_shape(r) else tu.contains_term(near_f, r, FR)
               for r in renderings):
            continue  # rendered in the next (or previous) French paragraph: split differently
        hits.append((m.start(), m.end(), term, renderings, None))
    # A longer term covers the shorter ones inside it ("Defence Investment Division" vs "Division").
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int]] = []
    for start, end, term, renderings, intruder in hits:
        if any(a <= start < b or a < end <= b for a, b in taken):
            continue
        taken.append((start, end))
        en_block = pair.en[0]
        for b in pair.en:
            if tu.find_term(fold(b.clean), term, EN):
                en_block = b
                break
        shown = " / ".join(f"'{r}'" for r in renderings[:3])
        if intruder is not None:
            n_en, n_fr, other, other_fr = intruder
            message = (f"EN '{term}' occurs {n_en} times but is rendered as {shown} only {n_fr} "
                       f"time{'s' if n_fr != 1 else ''}; the French paragraph also has '{other_fr}' "
                       f"(the rendering of '{other}', which the English paragraph does not have)")
        else:
            message = f"EN '{term}' is not rendered as {shown} in the French paragraph"
        at = pair.place(FR)
        if intruder is not None:  # at the other term's rendering, which the French has instead
            fr_block = next((b for b in pair.fr if tu.contains_term(fold(b.clean), intruder[3], FR)), None)
            at = tu.place_of(ctx.notice, fr_block, intruder[3]) if fr_block is not None else at
        yield Hit(
            at,
            message,
            related=(tu.place_of(ctx.notice, en_block, term),),
            section=pair.section,
            suggestion=renderings[0] if renderings else None,
        )


def _count(folded: str, phrase: str, lang: str) -> int:
    return len(tu.term_regex(phrase, lang).findall(folded))


def _intruder(terms: dict, term: str, renderings: list[str], en_f: str, fr_f: str):
    """(EN count, FR count, other term, its rendering) when the French paragraph renders `term`
    fewer times than the English uses it and holds instead the rendering of another glossary term
    that shares a word with `term`'s renderings and is absent from the English."""
    n_en = _count(en_f, term, EN)
    plain = [r for r in renderings if not tu.acronym_shape(r)]
    n_fr = sum(_count(fr_f, r, FR) for r in plain)
    if n_en < 2 or n_fr >= n_en or n_fr == 0:
        return None
    words = {w for r in plain for w in tu._content_words(r, FR)}
    for other, other_r in terms.items():
        if other == term or tu.find_term(en_f, other, EN) is not None:
            continue
        for r in other_r:
            if tu.acronym_shape(r) or not (set(tu._content_words(r, FR)) & words):
                continue
            if any(tu.contains_term(fold(r), x, FR) for x in plain):
                continue  # the other rendering contains ours ("gestion des incidents majeurs")
            if tu.contains_term(fr_f, r, FR):
                return n_en, n_fr, other, r
    return None
