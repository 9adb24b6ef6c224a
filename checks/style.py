"""Style: collapsed terms, doubled words, French typography, consistency of inclusive writing.

Language knowledge (words that may be doubled, coordinators, the inclusive forms recognised)
lives in data/typography.toml and can be extended from configuration
([tool.vnlint.knowledge.typography]).
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from vnlint import locate as loc
from vnlint import text as tu
from vnlint.engine import Context, rule
from vnlint.knowledge import fold
from vnlint.fix import edit, make_fix
from vnlint.model import EN, FR, Block, BlockPair, Fix, Hit, Notice, Place

_SKIP_KINDS = ("url", "banner", "label")


def _typo(ctx: Context) -> dict:
    t = ctx.cache.get("typography")
    if t is None:
        t = ctx.cache["typography"] = ctx.knowledge("typography")
    return t


def _alt(words) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words) or r"(?!x)x"


# ---------------------------------------------------------------------------------------------


@rule("collapsed-terms")
def collapsed_terms(pair: BlockPair, ctx: Context):
    """The French repeats one word where the English coordinates two different ones.

    Why: "effectiveness and efficiency" translated "efficacité et efficacité" loses one of the two
    ideas; the repetition is a tell-tale of a translation slip (here "efficience" was meant).
    Bad: "effectiveness and efficiency" translated "efficacité et efficacité".
        EN: The Section monitors the effectiveness and efficiency of the widget service.
        FR: La Section contrôle l'efficacité et efficacité du service des gadgets.
    Good: two words for two words.
        EN: The Section monitors the effectiveness and efficiency of the widget service.
        FR: La Section contrôle l'efficacité et l'efficience du service des gadgets.
    """
    if not pair.en or not pair.fr:
        return
    typo = _typo(ctx)
    coord = typo.get("coordination", {})
    arts = coord.get("fr-articles", [])
    fr_coord = _alt(coord.get("fr", ["et", "ou"]))
    en_coord = _alt(coord.get("en", ["and", "or"]))
    elided = [a for a in arts if a.endswith("'")]
    spaced = [a for a in arts if not a.endswith("'")]
    # Only the article or preposition that precedes the first word may be repeated before the
    # second ("en efficacité et en efficacité"); "au même grade ou à un grade inférieur" is fine.
    art = r"(?:(?:" + _alt(spaced) + r")\s+|(?:" + _alt(elided) + r"))"
    fr_re = re.compile(
        r"(?<![\w'’])(" + art + r")?([^\W\d_]{4,})(\s*,\s*|\s+(?:" + fr_coord + r")\s+)(?(1)(?:\1)?)(\2)(?![\w])", re.I
    )
    en_re = re.compile(
        r"(?<![\w'’])([^\W\d_]{3,})(?:\s*,\s*|\s+(?:" + en_coord + r")\s+)(?:(?:the|a|an|more|most|in|to)\s+)?"
        r"([^\W\d_]{3,})(?![\w])",
        re.I,
    )
    ok = {fold(x) for x in coord.get("fr-ok", [])}
    fr_text = pair.fr_text.replace("’", "'")
    en_text = pair.en_text
    en_pairs = [
        (m.group(1), m.group(2)) for m in en_re.finditer(en_text) if m.group(1).casefold() != m.group(2).casefold()
    ]
    en_repeats = {
        m.group(1).casefold() for m in en_re.finditer(en_text) if m.group(1).casefold() == m.group(2).casefold()
    }
    if not en_pairs:
        return
    for m in fr_re.finditer(fr_text):
        word = m.group(2)
        if fold(m.group(0)) in ok or word.casefold() in en_repeats:
            continue
        best = max(en_pairs, key=lambda p: max(fuzz.ratio(fold(word), fold(p[0])), fuzz.ratio(fold(word), fold(p[1]))))
        block = next((b for b in pair.fr if m.group(0) in b.clean.replace("’", "'")), pair.fr[0])
        offset = block.clean.replace("’", "'").find(m.group(0))
        yield Hit(
            loc.place_of(ctx.notice, block, word, offset if offset >= 0 else None),
            f"FR repeats '{word}' ('{m.group(0)}') where EN has two different words ('{best[0]} … {best[1]}')",
            related=(pair.place(EN),),
            section=pair.section,
        )


# ---------------------------------------------------------------------------------------------


@rule("doubled-word")
def doubled_word(doc: Notice, ctx: Context):
    """The same word twice in a row ("the the", "de de").

    Why: a doubled word is almost always an editing slip, and it is easy to miss when proof-reading.
    Legitimate doublings ("nous nous", "vous vous", "that that", "had had") are listed in
    data/typography.toml [doubled-ok].
    Bad: "in the the Operations Division".
        EN: The incumbent works in the the Operations Division.
        FR: La/Le titulaire travaille au sein de la Division Opérations.
    Good: "in the Operations Division".
        EN: The incumbent works in the Operations Division.
        FR: La/Le titulaire travaille au sein de la Division Opérations.
    """
    typo = _typo(ctx)
    allowed = {lang: {fold(x) for x in typo.get("doubled-ok", {}).get(lang, [])} for lang in (EN, FR)}
    rx = re.compile(r"(?<![\w'’&-])([^\W\d_]+)(\s+)(\1)(?![\w'’-])", re.I)
    for half in doc.halves:
        for b in half.blocks:
            if b.kind in _SKIP_KINDS:
                continue
            text = tu.mask_spans(b.clean)
            run_end = -1
            for m in rx.finditer(text):
                if m.start() < run_end:
                    continue  # within a run already reported ("de de de de": one finding, one fix)
                w1, w2 = m.group(1), m.group(3)
                if not (
                    w1 == w2
                    and w1.islower()
                    or (w1[:1].isupper() and w1[1:].islower() and w2.islower() and w1.casefold() == w2)
                ):
                    continue
                if fold(f"{w1} {w2}") in allowed.get(half.lang, set()):
                    continue
                run_end = _repeats_end(text, m.end(3), w2)
                times = 2 + len(re.findall(r"\s+", text[m.end(3) : run_end]))
                yield Hit(
                    loc.place_of(doc, b, text[m.start() : run_end], m.start()),  # every word of the run
                    f"doubled word '{w1} {w2}'" if times == 2 else f"word '{w2}' repeated {times} times in a row",
                    section=b.section,
                    suggestion=w1,
                    fix=make_fix(
                        [edit(doc, b, m.end(1), run_end, "")],
                        safe=True,
                        description=f"remove the repeated '{w2}'",
                    ),
                )


def _repeats_end(text: str, end: int, word: str) -> int:
    """The end of a run of repeats ("de de de"): the fix removes them all, not only the second."""
    again = re.compile(r"\s+" + re.escape(word) + r"(?![\w'’-])")
    while (m := again.match(text, end)) is not None:
        end = m.end()
    return end


# ---------------------------------------------------------------------------------------------

_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_SPACE = "\u0020\u00a0\u202f\u2009\t"


@rule("french-typography")
def french_typography(doc: Notice, ctx: Context):
    """French punctuation spacing and quotes: a (no-break) space before : ; ? ! and inside « ».

    Why: French typography puts a space (ideally a no-break space) before the double punctuation
    marks and inside guillemets, and uses « » rather than straight quotes; a translation pasted
    from English often keeps the English habits. One finding per paragraph, with a count.
    Bad: no space before the colon and inside the guillemets.
        EN: NB: the post is vacant from 1 May, and the "widget first" approach applies.
        FR: NB: le poste est à pourvoir à partir du 1er mai, et l'approche «les gadgets d'abord» s'applique.
    Good: a space before the colon and inside « ».
        EN: NB: the post is vacant from 1 May, and the "widget first" approach applies.
        FR: NB : le poste est à pourvoir à partir du 1er mai, et l'approche « les gadgets d'abord » s'applique.
    """
    if doc.fr is None:
        return
    conf = _typo(ctx).get("french", {})
    marks = "".join(conf.get("space-before", [":", ";", "?", "!"]))
    if not marks:
        return
    minimum = int(conf.get("minimum", 1) or 1)
    before = re.compile(r"(?<=[^" + _SPACE + r"\s])([" + re.escape(marks) + r"])")
    open_q = re.compile(r"«(?=[^" + _SPACE + r"\s])")
    close_q = re.compile(r"(?<=[^" + _SPACE + r"\s])»")
    straight = re.compile(r"(?<![\w])\"([^\"\n]{1,200}?)\"(?![\w])")
    flagged: list[tuple[Block, list]] = []
    for b in doc.fr.blocks:
        if b.kind in _SKIP_KINDS or b.kind == "field":
            continue
        text = tu.mask_spans(b.clean)
        text = _TIME.sub(lambda m: " " * len(m.group(0)), text)
        issues: list[tuple[int, str, list]] = []  # (offset, description, edits)
        for m in before.finditer(text):
            ch = m.group(1)
            prev = text[max(0, m.start() - 12) : m.start()]
            nxt = text[m.end() : m.end() + 1]
            if ch in "?!" and (prev.endswith(("?", "!")) or (nxt != "" and nxt in "?!")):
                continue  # "?!" counts once
            if ch == ":" and (nxt.isdigit() or nxt == "/"):
                continue  # ratios, scheme remnants
            word = re.search(r"(\S{1,12})$", prev)
            shown = (word.group(1) if word else "") + ch
            issues.append((m.start(), f"'{shown}' (no space before '{ch}')", [(m.start(), m.start(), _NBSP)]))
        for m in open_q.finditer(text):
            issues.append((m.start(), "'«' without a space after it", [(m.start() + 1, m.start() + 1, _NBSP)]))
        for m in close_q.finditer(text):
            issues.append((m.start(), "'»' without a space before it", [(m.start(), m.start(), _NBSP)]))
        if conf.get("straight-quotes", True):
            for m in straight.finditer(text):
                # "«" for '"' is a guess at what the quotes mean: a suggestion, not a safe fix.
                issues.append(
                    (
                        m.start(),
                        f"straight quotes '\"{tu.quote(m.group(1), 25)}\"' instead of « »",
                        [(m.start(), m.start() + 1, "«" + _NBSP), (m.end() - 1, m.end(), _NBSP + "»")],
                    )
                )
        if len(issues) < minimum or not issues:
            continue
        issues.sort()
        flagged.append((b, issues))
    # One finding per paragraph; a section where many paragraphs share the habit (every bullet
    # ending in "mot;") gets one finding for the whole run.
    by_section: dict = {}
    for b, issues in flagged:
        by_section.setdefault(b.section, []).append((b, issues))
    per_section = int(conf.get("max-per-section", 3) or 3)
    for section, items in by_section.items():
        if len(items) >= per_section:
            b, issues = items[0]
            total = sum(len(i) for _, i in items)
            shown = "; ".join(d for _, d, _ in issues[:2])
            yield Hit(
                loc.place_of(doc, b, "", issues[0][0]),
                f"{total} French typography issues in {len(items)} paragraphs of this section "
                f"(lines {items[0][0].line}-{items[-1][0].end_line}), e.g. {shown}",
                related=tuple(x.place for x, _ in items[1:6]),
                section=section,
                fix=_typography_fix(doc, items),
            )
            continue
        for b, issues in items:
            shown = "; ".join(d for _, d, _ in issues[:3]) + ("; …" if len(issues) > 3 else "")
            yield Hit(
                loc.place_of(doc, b, "", issues[0][0]),
                f"{len(issues)} French typography issue{'s' if len(issues) > 1 else ''}: {shown}",
                section=b.section,
                fix=_typography_fix(doc, [(b, issues)]),
            )


_NBSP = "\u00a0"


def _typography_fix(doc: Notice, items) -> Fix | None:
    """No-break spaces before the double punctuation and inside « » (certain); « » for straight
    quotes makes the whole fix a suggestion."""
    edits = [
        edit(doc, b, start, end, text) for b, issues in items for _, _, spans in issues for start, end, text in spans
    ]
    straight = any(len(spans) > 1 for _, issues in items for _, _, spans in issues)
    what = "no-break spaces before : ; ? ! and inside « »" + (", « » for straight quotes" if straight else "")
    return make_fix(edits, safe=not straight, description=f"insert {what}")


# ---------------------------------------------------------------------------------------------

_DETERMINERS = r"(?:les|le|la|du|des|de|un|une|aux|au|ce|cette|ces|chaque|tout|toute|tous|toutes|l'|d')"


@rule("inclusive-writing")
def inclusive_writing(doc: Notice, ctx: Context):
    """Inclusive writing used inconsistently in the French half (one finding per notice).

    Why: a notice that writes "les candidat(e)s" in one place and "le candidat" or "candidat·e·s"
    in another looks careless and, with masculine-only forms, may read as addressed to men only.
    Masculine forms are counted only for nouns the notice itself writes inclusively; the finding
    points at the least used form.
    Bad: "candidat(e)s" in the notice, and "le dossier du candidat" in the same paragraph.
        EN: Shortlisted candidates will be invited to an interview; the candidate's file must then
            be complete.
        FR: Les candidat(e)s présélectionné(e)s seront invité(e)s à un entretien ; le dossier du
            candidat doit alors être complet.
    Good: one form throughout.
        EN: Shortlisted candidates will be invited to an interview; the candidate's file must then
            be complete.
        FR: Les candidat(e)s présélectionné(e)s seront invité(e)s à un entretien ; le dossier de
            la/du candidat(e) doit alors être complet.
    """
    if doc.fr is None:
        return
    conf = _typo(ctx).get("inclusive", {})
    styles = {}
    for name in ("parentheses", "middot"):
        pat = conf.get(name)
        if pat:
            try:
                styles[name] = re.compile(pat)
            except re.error:
                continue
    invariable = {fold(w) for w in conf.get("invariable", [])}
    minimum = int(conf.get("minimum-inclusive", 3) or 3)
    blocks = [b for b in doc.fr.blocks if b.kind not in _SKIP_KINDS and b.kind != "field"]
    found: dict[str, list[tuple[Block, int, str, str]]] = {"parentheses": [], "middot": [], "masculine": []}
    nouns: set[str] = set()
    det_before = re.compile(_DETERMINERS + r"\s*$", re.I)
    for b in blocks:
        text = tu.mask_spans(b.clean).replace("’", "'")
        for name, rx in styles.items():
            for m in rx.finditer(text):
                stem = m.group(1)
                found[name].append((b, m.start(), m.group(0), stem))
                head = text[max(0, m.start() - 12) : m.start()]
                if det_before.search(head) and fold(stem) not in invariable:
                    nouns.add(stem.casefold())
    if nouns:
        masc = re.compile(r"(?<![\w/])(" + _DETERMINERS + r")\s*(" + _alt(nouns) + r")(s?)(?![\w(·•/]|\.e)", re.I)
        for b in blocks:
            text = tu.mask_spans(b.clean).replace("’", "'")
            for m in masc.finditer(text):
                pre = text[max(0, m.start() - 4) : m.start()]
                if "/" in pre:
                    continue  # "la/le candidat": written as a doublet
                found["masculine"].append((b, m.start(2), m.group(2) + m.group(3), m.group(2)))
    counts = Counter({k: len(v) for k, v in found.items() if v})
    if len(counts) < 2:
        return
    (major, n_major), *rest = counts.most_common()
    if n_major < minimum:
        return
    minor, n_minor = min(rest, key=lambda kv: (kv[1], kv[0] != "masculine"))
    b, off, form, _ = found[minor][0]
    label = {"parentheses": "with parentheses", "middot": "with a middle dot", "masculine": "masculine-only"}
    same = [f for _, _, f, stem in found[major] if stem.casefold() == found[minor][0][3].casefold()]
    example = same[0] if same else found[major][0][2]
    others = tuple(loc.place_of(doc, bb, f, o) for bb, o, f, _ in found[minor][1:6])
    yield Hit(
        loc.place_of(doc, b, form, off),
        f"inclusive writing is inconsistent in the French half: {n_minor} {label[minor]} form"
        f"{'s' if n_minor > 1 else ''} (first '{form}') against {n_major} {label[major]} "
        f"(e.g. '{example}'); use one form throughout",
        related=others,
        section=b.section,
    )


@rule("run-together-bullets")
def run_together_bullets(doc: Notice, ctx: Context):
    """Two bullets run together on one line, joined by a backslash.

    Why: a list pasted from another document sometimes loses a line break and keeps a backslash
    in its place ("...control procedure\\have very good knowledge..."): the published notice shows
    one garbled bullet. vnlint still reads two bullets (so the other side, which has both, pairs
    with them) and reports the line, at the backslash.
    Bad: the first two English bullets of section 2 on one line; the French has both.
        At: section 2, bullet 1
        EN: - hold a university degree in information management, computer science, business
            administration or a related discipline from an institute of recognised standing\\have at least
            five years of experience in ICT service management or ICT governance, including at least two years
            in a supervisory role;
        At: section 2, bullet 2
        EN: (none)
    Good: one bullet a line.
        At: section 2, bullet 1
        EN: - hold a university degree in information management, computer science, business
            administration or a related discipline from an institute of recognised standing;
    """
    from vnlint.reflow import run_together_breaks

    lines = doc.source.lines
    for half in doc.halves:
        seen: set[tuple[int, int]] = set()
        for b in half.blocks:
            if not b.run_together:
                continue
            # The block's physical lines joined as reflow joined them, each line's offset kept.
            rows, text = [], ""
            for n in range(b.line, min(b.end_line, len(lines)) + 1):
                raw = lines[n - 1]
                lead = len(raw) - len(raw.lstrip())
                text += " " if text else ""
                rows.append((len(text), n, lead))
                text += raw.strip()
            for m in run_together_breaks(text):
                start, n, lead = next(r for r in reversed(rows) if r[0] <= m.start())
                column = m.start() - start + lead + 1
                if (n, column) in seen:
                    continue
                seen.add((n, column))
                before = text[max(0, m.start() - 25) : m.start()].lstrip()
                after = text[m.end() : m.end() + 25].rstrip()
                yield Hit(
                    Place(n, n, half.lang, column, column + 1),
                    f"two bullets run together with a backslash ('…{before}\\{after}…'); "
                    f"read as two bullets: put the second on its own line",
                    section=b.section,
                )
