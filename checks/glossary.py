"""Glossary terms: an English term whose French paragraph lacks its required rendering.

Terms come from data/glossary.toml, configuration and the CSV/TBX files of the option `files`.
Rule family: terms.
"""

from __future__ import annotations

import os

from vnlint import acronyms as ac
from vnlint import locate as loc
from vnlint import termmatch as tm
from vnlint.codes import BY_NAME
from vnlint.engine import Context, Option, rule, rule_options
from vnlint.knowledge import fold
from vnlint.model import EN, FR, BlockPair, Hit, Place
from vnlint.neighbours import neighbour_text


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


@rule(
    "glossary-term",
    options={
        "files": Option([], "CSV or TBX glossaries added to data/glossary.toml (term-substitution reads them too)"),
    },
)
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
    fr_acr = ac.presence_tokens(pair.fr_text)
    near_raw = neighbour_text(ctx.notice.fr, pair.fr)
    near_f, near_acr = fold(near_raw), ac.presence_tokens(near_raw)
    hits = []
    # A term the French replaced by another glossary term is term-substitution's (more specific).
    claimed = set()
    if BY_NAME["term-substitution"].code in ctx.settings.select:
        from vnlint.checks.meaning import term_substitutions

        claimed = {s.en.term for s in term_substitutions(pair, ctx)}
    for term, renderings in terms.items():
        if term in claimed:
            continue
        m = tm.find_term(en_f, term, EN)
        if m is None:
            continue
        if any(ac.norm(r) in fr_acr if ac.acronym_shape(r) else tm.contains_loosely(fr_f, r, FR) for r in renderings):
            # Rendered, but maybe not every time: "incident management" three times in English,
            # "gestion des incidents" twice and "gestion des risques" once in French.
            intruder = _intruder(terms, term, renderings, en_f, fr_f)
            if intruder is not None:
                hits.append((m.start(), m.end(), term, renderings, intruder))
            continue
        if any(ac.norm(r) in near_acr if ac.acronym_shape(r) else tm.contains_term(near_f, r, FR) for r in renderings):
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
            if tm.find_term(fold(b.clean), term, EN):
                en_block = b
                break
        shown = " / ".join(f"'{r}'" for r in renderings[:3])
        if intruder is not None:
            n_en, n_fr, other, other_fr = intruder
            message = (
                f"EN '{term}' occurs {n_en} times but is rendered as {shown} only {n_fr} "
                f"time{'s' if n_fr != 1 else ''}; the French paragraph also has '{other_fr}' "
                f"(the rendering of '{other}', which the English paragraph does not have)"
            )
        else:
            message = f"EN '{term}' is not rendered as {shown} in the French paragraph"
        at = pair.place(FR)
        if intruder is not None:  # at the other term's rendering, which the French has instead
            fr_block = next((b for b in pair.fr if tm.contains_term(fold(b.clean), intruder[3], FR)), None)
            at = loc.place_of(ctx.notice, fr_block, intruder[3]) if fr_block is not None else at
        yield Hit(
            at,
            message,
            related=(loc.place_of(ctx.notice, en_block, term),),
            section=pair.section,
            suggestion=renderings[0] if renderings else None,
        )


def _count(folded: str, phrase: str, lang: str) -> int:
    if not tm.term_could_match(folded, phrase, lang):
        return 0  # a literal piece of a word is missing: no match, and no regex to compile
    return len(tm.term_regex(phrase, lang).findall(folded))


def _intruder(terms: dict, term: str, renderings: list[str], en_f: str, fr_f: str):
    """(EN count, FR count, other term, its rendering) when the French paragraph renders `term`
    fewer times than the English uses it and holds instead the rendering of another glossary term
    that shares a word with `term`'s renderings and is absent from the English."""
    n_en = _count(en_f, term, EN)
    plain = [r for r in renderings if not ac.acronym_shape(r)]
    n_fr = sum(_count(fr_f, r, FR) for r in plain)
    if n_en < 2 or n_fr >= n_en or n_fr == 0:
        return None
    words = {w for r in plain for w in tm.content_words(r, FR)}
    for other, other_r in terms.items():
        if other == term or tm.find_term(en_f, other, EN) is not None:
            continue
        for r in other_r:
            if ac.acronym_shape(r) or not (set(tm.content_words(r, FR)) & words):
                continue
            if any(tm.contains_term(fold(r), x, FR) for x in plain):
                continue  # the other rendering contains ours ("gestion des incidents majeurs")
            if tm.contains_term(fr_f, r, FR):
                return n_en, n_fr, other, r
    return None
