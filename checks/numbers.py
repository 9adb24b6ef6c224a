"""Numbers and NATO language levels across the halves (values from vnlint.values).

Rule family: terms.
"""

from __future__ import annotations

from collections import Counter
from typing import Optional

from vnlint import locate as loc
from vnlint import text as tu
from vnlint.engine import Context, rule
from vnlint.knowledge import fold
from vnlint.model import EN, FR, LANG_NAME, OTHER, Block, BlockPair, Hit, Notice, Place
from vnlint.neighbours import neighbour_text


def _qty_label(q) -> str:
    return tu.quote(q.raw, 40)


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
        fr_near = extract_quantities(neighbour_text(ctx.notice.fr, pair.fr), FR)
        en_near = extract_quantities(neighbour_text(ctx.notice.en, pair.en), EN)
        en_left, _ = _match_quantities(en_left, list(fr_near))
        fr_left, _ = _match_quantities(fr_left, list(en_near))

    # Unitless numbers in words on one side only ("l'une des deux langues") are too weak alone.
    def strong(q) -> bool:
        return q.unit is not None or not q.words

    if not any(strong(q) for q in en_left + fr_left) and not (en_left and fr_left):
        return  # also when nothing is left
    parts = []
    if en_left:
        parts.append("EN has " + ", ".join(f"'{_qty_label(q)}'" for q in en_left))
    if fr_left:
        parts.append("FR has " + ", ".join(f"'{_qty_label(q)}'" for q in fr_left))
    missing = "; ".join(parts) + (" with no matching value on the other side" if not (en_left and fr_left) else "")
    # At the first differing number itself (its column), else at the paragraph that lacks it.
    at = loc.pair_place(ctx.notice, pair.fr, *fr_left[0].span) if fr_left else None
    rel = loc.pair_place(ctx.notice, pair.en, *en_left[0].span) if en_left else None
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
        bad = [
            (lang, num, name, lvl)
            for lang, text in ((EN, pair.en_text), (FR, pair.fr_text))
            for num, name, lvl in _named_levels(text)
            if lvl != num
        ]
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
                first = loc.pair_place(notice, blocks, a, b)
        out.append(first)
    return out[0], out[1]


def _level_name_place(notice: Notice, blocks: list[Block], num: str, name: str) -> Optional[Place]:
    """Where the (folded) `name` is written after the numeral `num`: 'V (« débutant »)'."""
    import re

    rx = re.compile(r"(?<![\w])" + num + r"\s*\(\s*[\"'«“‘\u00a0\s]*([^\"'»”’)]+?)[\"'»”’\u00a0\s]*\)")
    for b in blocks:
        for m in rx.finditer(b.clean):
            if fold(m.group(1)) == name:
                return loc.span_place(notice, b, m.start(1), m.end(1))
    return None


def _named_levels(text: str) -> list[tuple[str, str, str]]:
    """(numeral, name as written, level of that name) for 'V ("Advanced")', 'II (« élémentaire »)'."""
    import re

    table = _level_tables()
    if not table:
        return []
    names = "|".join(re.escape(n) for n in sorted(table, key=len, reverse=True))
    rx = re.compile(r"(?<![\w])(VI|V|IV|III|II|I)\s*\(\s*[\"'«“‘\u00a0\s]*(" + names + r")[\"'»”’\u00a0\s]*\)")
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
