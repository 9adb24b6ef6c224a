"""Acronyms across the halves: introduced on one side, dropped, misspelt.

They compare what each half writes in its running text (paragraphs and bullets; not headings,
the title or the header fields, which the field checks compare). Known EN/FR pairs (NATO/OTAN,
IS/SI, CIS/SIC, ...) come from data/acronyms.toml; acronyms the notice defines on both sides at the
same place ("Widget Board (WB)" / "Comité des gadgets (CG)") are learnt from the alignment.
Rule family: terms.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from vnlint import acronyms as ac
from vnlint import locate as loc
from vnlint import termmatch as tm
from vnlint import text as tu
from vnlint.engine import Context, Option, rule
from vnlint.fix import edit, make_fix
from vnlint.knowledge import fold
from vnlint.model import EN, FR, LANG_NAME, OTHER, Block, BlockPair, Hit, Notice, Place
from vnlint.neighbours import block_pairs_with_moved, neighbour_text

# ---------------------------------------------------------------------------------------------
# shared acronym analysis


@dataclass
class Misspelling:
    lang: str  # side of the odd spelling
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


def _know(ctx: Context) -> ac.AcronymKnowledge:
    k = ctx.cache.get("acronym-knowledge")
    if k is None:
        k = ctx.cache["acronym-knowledge"] = ac.acronym_knowledge(ctx.knowledge("acronyms"))
    return k


def _forms(an: Analysis, know: ac.AcronymKnowledge, n: str, lang: str) -> set[str]:
    return know.counterparts(n, lang) | an.equiv.get((lang, n), set())


def _has_counterpart(
    an: Analysis, know: ac.AcronymKnowledge, n: str, lang: str, presence: Counter, folded: str
) -> bool:
    if any(f in presence for f in _forms(an, know, n, lang)):
        return True
    return any(tm.contains_term(folded, p, OTHER[lang]) for p in know.phrases(n, lang))


def analyse(ctx: Context) -> Optional[Analysis]:
    notice = ctx.notice
    if notice is None or notice.en is None or notice.fr is None:
        return None
    cached = ctx.cache.get("acronym-analysis")
    if cached is not None:
        return cached
    know = _know(ctx)
    sides = {lg: ac.side_of(notice, lg, know) for lg in (EN, FR)}
    an = Analysis(sides=sides)

    def orphans(lang: str) -> set[str]:
        src, tgt = sides[lang], sides[OTHER[lang]]
        return {n for n in src.occurrences if not _has_counterpart(an, know, n, lang, tgt.presence, tgt.folded)}

    an.orphans = {EN: orphans(EN), FR: orphans(FR)}

    # Acronyms that the notice defines at the same place on both sides are equivalents
    # ("Division X (ABC)" / "Division Y (ABD)") unless they look like one misspelt acronym.
    groups: list[tuple[list[Block], list[Block]]] = [(bp.en, bp.fr) for bp in block_pairs_with_moved(ctx.alignment)]
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
                if ac.similar(a, b) or not (ac.native(a, ea, EN) and ac.native(b, eb, FR)):
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
            cands = [
                y
                for y in tgt.presence
                if ac.similar(x, y)
                and not know.known_pair(x, y)
                and (y.casefold() not in tgt.plain or y in tgt.definitions)
            ]
            cands = [y for y in cands if not _both_native(src, tgt, x, y)]
            if cands:
                y = max(cands, key=lambda c: (tgt.presence[c], c))
                an.misspelt[(lang, x)] = Misspelling(lang, y, tgt.lang, tgt.presence[y])
                continue
            uses = len(src.occurrences.get(x, []))
            if uses == 1 and x not in src.definitions:
                own = [
                    y
                    for y in src.presence
                    if y != x
                    and ac.similar(x, y)
                    and src.presence[y] >= 3
                    and y not in an.orphans[lang]
                    and y.casefold() not in src.plain
                ]
                if own:
                    y = max(own, key=lambda c: (src.presence[c], c))
                    an.misspelt[(lang, x)] = Misspelling(lang, y, lang, src.presence[y])
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
        for _, n, exp in ac.definitions_in(tu.mask_spans(b.clean)):
            if n in orphans and n not in [x for x, _ in out]:
                out.append((n, exp))
    return out


def _both_native(src: ac.Side, tgt: ac.Side, x: str, y: str) -> bool:
    dx, dy = src.definitions.get(x), tgt.definitions.get(y)
    if dx is None or dy is None:
        return False
    return ac.native(x, dx.expansion, src.lang) and ac.native(y, dy.expansion, tgt.lang)


def _pair_of(ctx: Context, block: Block) -> Optional[BlockPair]:
    for bp in block_pairs_with_moved(ctx.alignment):
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


def _first_place(ctx: Context, side: ac.Side, n: str) -> tuple[Place, Optional[Block]]:
    occ = side.occurrences.get(n)
    if occ:
        o = occ[0]
        return loc.place_of(ctx.notice, o.block, o.token, o.start), o.block
    half = ctx.notice.en if side.lang == EN else ctx.notice.fr
    for b in half.blocks:
        if b.kind != "url" and n in ac.presence_tokens(b.clean):
            raw = next((t for t, _ in ac.tokens(b.clean) if ac.acronym_shape(t) and ac.norm(t) == n), n)
            return loc.place_of(ctx.notice, b, raw), b
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
    near = neighbour_text(ctx.notice.fr, pair.fr)
    fr_presence = ac.presence_tokens(fr_text) + ac.presence_tokens(near)
    fr_folded = fold(fr_text + "\n" + near)
    fr_side = an.sides[FR]
    seen: set[str] = set()
    for b in pair.en:
        if b.kind not in ("paragraph", "bullet"):
            continue
        en_side = an.sides[EN]
        for tok, n, pos in ac.body_acronyms(b.clean, EN, know, en_side.plain, set(en_side.definitions)):
            if n in seen or n in an.orphans[EN] or n in know.droppable or (EN, n) in an.claimed:
                continue
            seen.add(n)
            forms = _forms(an, know, n, EN)
            if any(f in fr_presence for f in forms):
                continue
            if any(tm.contains_term(fr_folded, p, FR) for p in know.phrases(n, EN)):
                continue
            if any(ac.similar(n, y) or any(ac.similar(f, y) for f in forms) for y in fr_presence):
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
                related=(loc.place_of(ctx.notice, b, tok, pos),),
                section=pair.section,
            )


def _expansion_in(expansion: str, folded: str) -> bool:
    """The French expansion is in the paragraph, or most of its words are."""
    if tm.contains_term(folded, expansion, FR):
        return True
    return tm.coverage(expansion, folded, FR) >= 0.75


@rule(
    "acronym-misspelt",
    options={
        "case-sensitive": Option(False, "also report an acronym written in another case in each half (Nato / NATO)"),
    },
)
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
        where = (
            f"the {LANG_NAME[m.usual_lang]} half" if m.usual_lang != lang else f"the rest of the {LANG_NAME[lang]} half"
        )
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


def _respell_fix(ctx: Context, side: ac.Side, x: str, usual_side: ac.Side, m: Misspelling):
    """Every use of the odd spelling respelt as the usual one. Certain (safe) only when the usual
    spelling is the one used everywhere else in the same half; against the other half's spelling
    it is a suggestion (the French may have its own acronym)."""
    usual = usual_side.occurrences.get(m.usual)
    written = usual[0].token if usual else m.usual
    occ = side.occurrences.get(x, [])
    edits = [
        edit(
            ctx.notice,
            o.block,
            o.start,
            o.start + len(o.token),
            written + ("s" if o.token != x and o.token.endswith("s") and not written.endswith("s") else ""),
        )
        for o in occ
    ]
    return make_fix(
        edits, safe=m.usual_lang == side.lang, description=f"respell {occ[0].token if occ else x} as {written}"
    )


def _case_variants(ctx: Context, an: Analysis):
    raw: dict[str, dict[str, tuple[str, Block]]] = {EN: {}, FR: {}}
    for lang in (EN, FR):
        for n, occ in an.sides[lang].occurrences.items():
            for o in occ:
                raw[lang].setdefault(
                    n,
                    (
                        o.token.rstrip("s")
                        if o.token.endswith("s") and len(o.token) > 2 and o.token[-2].isupper()
                        else o.token,
                        o.block,
                    ),
                )
    for n, (tok_fr, b_fr) in sorted(raw[FR].items()):
        if n in raw[EN]:
            tok_en, b_en = raw[EN][n]
            if tok_en != tok_fr:
                yield Hit(
                    loc.place_of(ctx.notice, b_fr, tok_fr),
                    f"acronym written {tok_fr} in French but {tok_en} in English (case differs)",
                    related=(loc.place_of(ctx.notice, b_en, tok_en),),
                    section=b_fr.section,
                    suggestion=tok_en,
                )
