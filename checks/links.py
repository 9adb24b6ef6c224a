"""Links and contacts across the halves: link targets (allowing the /en/ - /fr/ variants), links
of the French half to English pages, e-mail addresses and telephone numbers.

Rule family: terms.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

from rapidfuzz import fuzz

from vnlint import locate as loc
from vnlint import text as tu
from vnlint.engine import Context, rule
from vnlint.fix import make_fix
from vnlint.model import EN, FR, LANG_NAME, Block, Edit, Hit, Notice
from vnlint.neighbours import block_pairs_with_moved, context_blocks, trailing_urls


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
    all_keys = {
        EN: Counter(u.key for u in _urls_of(doc.en.blocks)),
        FR: Counter(u.key for u in _urls_of(doc.fr.blocks)),
    }
    # Sections whose paragraphs hold as many links on both sides: a paragraph split differently
    # on the two sides moves links between paragraphs without losing any.
    balanced: set = set()
    for sp in ctx.alignment.sections if ctx.alignment is not None else []:
        if sp.aligned and len(_md_links(sp.en.content())) == len(_md_links(sp.fr.content())):
            balanced.add(sp.key)
    for bp in block_pairs_with_moved(ctx.alignment):
        for b in bp.en + bp.fr:
            covered.add(id(b))
        en_u, fr_u = _urls_of(bp.en), _urls_of(bp.fr)
        # What the other side may hold the link in: the aligned paragraph, the URL lines after
        # it, and the neighbouring paragraphs (a paragraph split differently moves a sentence).
        en_keys = {u.key for u in _urls_of(context_blocks(doc.en, bp.en))}
        fr_keys = {u.key for u in _urls_of(context_blocks(doc.fr, bp.fr))}
        reported = False
        for urls, other_keys, other in ((en_u, fr_keys, FR), (fr_u, en_keys, EN)):
            for u in urls:
                if u.key not in other_keys:
                    reported = True
                    yield Hit(
                        loc.place_of(doc, u.block, u.url),
                        f"link {u.url} has no counterpart in the aligned {LANG_NAME[other]} paragraph"
                        + ("" if all_keys[other][u.key] else f" (nor anywhere in the {LANG_NAME[other]} half)"),
                        related=(bp.place(other),),
                        section=bp.section,
                    )
                    other_keys.add(u.key)
        if not reported and bp.section not in balanced:
            en_l = _md_links(bp.en + trailing_urls(doc.en, bp.en))
            fr_l = _md_links(bp.fr + trailing_urls(doc.fr, bp.fr))
            if len(en_l) != len(fr_l):
                more, less = (EN, FR) if len(en_l) > len(fr_l) else (FR, EN)
                texts = en_l if more == EN else fr_l
                holder = next((b for b in (bp.en if more == EN else bp.fr) if texts[0] in b.clean), None)
                yield Hit(
                    bp.place(less),
                    f"the {LANG_NAME[more]} paragraph has {len(texts)} link{'s' if len(texts) != 1 else ''} "
                    f"({', '.join('[' + tu.quote(t, 30) + ']' for t in texts)}) but the {LANG_NAME[less]} "
                    f"paragraph has {len(fr_l if more == EN else en_l)}",
                    related=(loc.place_of(doc, holder, texts[0]) if holder is not None else bp.place(more),),
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
                loc.place_of(doc, u.block, u.url),
                f"link {u.url}{' (' + str(n) + ' times)' if n > 1 else ''} has no counterpart in the "
                f"{LANG_NAME[other]} half",
                related=(_other_half(doc, lang).place,),
                section=u.block.section,
            )


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
            loc.place_of(doc, u.block, u.url),
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
    edits = [
        Edit(n, m.start() + 1, n, m.end() + 1, fr_url)
        for n in rows
        for m in re.finditer(re.escape(u.url) + r"(?![\w/])", lines[n - 1])
    ]
    prefix = _site(fr_url[: _diverge(u.url, fr_url) + 2]) + "/"  # up to the language slot: site/cps/fr/
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
    for kind, finder, key in (
        ("e-mail address", tu.emails_in, lambda s: s.lower()),
        ("telephone number", tu.phones_in, tu.normalise_phone),
    ):
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
                yield Hit(
                    loc.place_of(doc, b, s),
                    f"{kind} differs: EN {best[0]}, FR {s}",
                    related=(loc.place_of(doc, best[2], best[0]),),
                    section=b.section,
                    suggestion=best[0],
                )
            else:
                yield Hit(
                    loc.place_of(doc, b, s),
                    f"{kind} {s} is only in the French half",
                    related=(doc.en.place,),
                    section=b.section,
                )
        for s, k, b in only_en:
            if k in used_en:
                continue
            yield Hit(
                loc.place_of(doc, b, s),
                f"{kind} {s} is only in the English half",
                related=(doc.fr.place,),
                section=b.section,
            )
