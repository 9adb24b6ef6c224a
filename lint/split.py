"""Blocks to a Notice: find the EN and FR halves from their content, then title, fields, sections.

The French half starts at its own title, the line above its header block ("Emplacement
principal : ..."); never at a fixed line number. Anything that does not fit the expected shape is
recorded as a Problem on the notice, never raised.
"""

from __future__ import annotations


from .knowledge import data, fold
from .lang import guess_lang
from .model import EN, FR, Block, Field, Half, Notice, Place, Section, Source
from .reflow import is_delimiter, is_stray, reflow
from .text import ends_sentence, quote

CONTENT = ("paragraph", "bullet", "subheading")


def _ambiguous_labels() -> set[str]:
    fields = data("structure")["fields"]
    en = {fold(x) for v in fields.values() for x in v.get("en", [])}
    fr = {fold(x) for v in fields.values() for x in v.get("fr", [])}
    return en & fr


def _header_runs(blocks: list[Block]) -> list[list[int]]:
    """Indices of maximal runs of field blocks (two or more fields)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, b in enumerate(blocks):
        if b.kind == "field":
            current.append(i)
        elif b.kind in ("url", "banner") and current:  # a stray letterhead line does not cut a header
            continue
        elif current and _stray_header_line(blocks, i):
            continue  # nor does one garbled line between two fields
        else:
            if len(current) >= 2:
                runs.append(current)
            current = []
    if len(current) >= 2:
        runs.append(current)
    return runs


def _stray_header_line(blocks: list[Block], i: int) -> bool:
    """A short non-field line between two header fields: a garbled or wrapped field line, which
    neither ends the header nor starts a second notice."""
    b = blocks[i]
    return (
        b.kind in ("paragraph", "subheading")
        and len(b.text) <= 160
        and i + 1 < len(blocks)
        and blocks[i + 1].kind == "field"
    )


def _run_lang(blocks: list[Block], run: list[int]) -> str | None:
    ambiguous = _ambiguous_labels()
    votes = {EN: 0, FR: 0}
    for i in run:
        m = blocks[i].field
        if m and fold(m[2]) not in ambiguous:
            votes[m[1]] += 1
    if votes[EN] != votes[FR]:
        return EN if votes[EN] > votes[FR] else FR
    text = " ".join(blocks[i].text for i in run)
    return guess_lang(text, minimum=1)


def _title_index(blocks: list[Block], run_start: int, floor: int) -> int | None:
    """The block just above a header run that names the post (skipping banners and URLs)."""
    i = run_start - 1
    while i >= floor:
        b = blocks[i]
        if b.kind in ("banner", "url") or is_stray(b.text):  # "DRAFT v2" between title and header
            i -= 1
            continue
        if b.kind in ("paragraph", "subheading", "bullet", "heading") and _title_like(b.text):
            return i
        return None
    return None


def _title_like(text: str) -> bool:
    """A post title is short and does not end a sentence ("... (2 posts) (260312)", "... - 250604")."""
    words = text.split()
    return len(text) < 300 and len(words) <= 30 and not (ends_sentence(text) and len(words) > 12)


_TAIL_WINDOW = 8  # a signature delimiter this close to the end of a half closes it


def _stray_tail(blocks: list[Block], begin: int, end: int, lang: str, others: list[Block], last: bool) -> int:
    """Index from which blocks[begin:end], the blocks of a half, end in stray text (end when none).

    Stray: what follows a signature delimiter ("--", "___") among the last blocks, then review notes,
    draft marks and comments (structure.toml [stray]) from the end up; at the end of the file also a
    short note in the other language that copies nothing of the other half ("Comment: please check
    the salary with HR")."""
    k = end
    for i in range(end - 1, max(begin, end - _TAIL_WINDOW) - 1, -1):
        if blocks[i].kind == "heading":
            break
        if is_delimiter(blocks[i].text):
            k = i
            break
    j = k  # a few short lines (a name, a date) under a note are stray with it
    while j > begin + 1:
        b = blocks[j - 1]
        if b.kind in ("heading", "title", "field"):
            break
        if is_stray(b.text) or (last and _foreign_note(b, lang, others)):
            j = k = j - 1
            continue
        if len(b.text.split()) <= 4 and b.kind in CONTENT and j > k - 3:
            j -= 1
            continue
        break
    return k


def _foreign_note(b: Block, lang: str, others: list[Block]) -> bool:
    from rapidfuzz import fuzz

    if b.kind not in CONTENT or len(b.text.split()) > 40:
        return False
    if guess_lang(b.text) != (EN if lang == FR else FR):
        return False
    return not any(fuzz.ratio(b.clean, o.clean) >= 70 for o in others if o.kind in CONTENT)


def _content_lang_switch(blocks: list[Block], start: int, lang: str) -> int | None:
    """First index after `start` from which the content is mostly in the other language."""
    other = FR if lang == EN else EN
    content = [(i, guess_lang(b.text)) for i, b in enumerate(blocks) if i >= start and b.kind in CONTENT]
    langs = [(i, g) for i, g in content if g is not None]
    for k, (i, g) in enumerate(langs):
        if g != other:
            continue
        rest = [x for _, x in langs[k:]]
        if len(rest) >= 4 and sum(1 for x in rest if x == other) >= 0.8 * len(rest):
            # Start the half at a heading or title just before, if any.
            j = i
            while j - 1 > start and blocks[j - 1].kind in ("heading", "subheading", "label", "banner"):
                j -= 1
            return j
    return None


def build_half(lang: str, blocks: list[Block], title: Block | None, notice: Notice) -> Half:
    if not blocks:
        line = title.line if title else 1
        return Half(lang=lang, line=line, end_line=line, title=title)
    half = Half(lang=lang, line=blocks[0].line, end_line=max(b.end_line for b in blocks), title=title)
    preamble = Section(key="0", number=None, heading=None, lang=lang)
    half.sections.append(preamble)
    current = preamble
    in_header = True
    seen_numbers: list[int] = []
    for i, b in enumerate(blocks):
        b.lang = lang
        if b is title:
            b.kind = "title"
            b.section = "title"
            half.blocks.append(b)
            continue
        if b.kind == "banner":
            continue
        if b.kind == "field" and in_header:
            _add_field(half, b, notice)
            continue
        if b.kind == "field":
            b.kind = "paragraph"
        if b.kind == "label":
            in_header = False
            b.section = "header"
            continue
        if b.kind == "heading":
            in_header = False
            current = _open_section(half, b, seen_numbers, notice)
            continue
        if b.kind in CONTENT and not (in_header and _stray_header_line(blocks, i)):
            in_header = False
        b.section = current.key
        current.blocks.append(b)
        half.blocks.append(b)
        if b.kind == "url":
            half.urls.append(b)
    return half


def _add_field(half: Half, b: Block, notice: Notice) -> None:
    """A header field block into `half.fields` (a repeated one into extra_fields, reported)."""
    key, _, label, value = b.field
    f = Field(key=key, label=label, value=value, block=b)
    b.section = "header"
    if key in half.fields:
        half.extra_fields.append(f)
        first = half.fields[key].place
        notice.problem(
            "field-repeated",
            b.place,
            f"header field {label!r} is given twice on the {half.lang.upper()} side (first at line {first.line})",
            related=[first],
            section="header",
        )
    else:
        half.fields[key] = f
    half.blocks.append(b)


def _open_section(half: Half, b: Block, seen_numbers: list[int], notice: Notice) -> Section:
    """The section that heading `b` opens, appended to `half`; its number checked against the ones
    seen so far (`seen_numbers`, extended): repeated, skipped, or not starting at 1."""
    lang = half.lang
    number = b.number
    key = str(number)
    if half.section(key) is not None:
        notice.problem(
            "section-numbering",
            b.place,
            f"section number {number} appears twice on the {lang.upper()} side",
            related=[half.section(key).place],
            section=key,
        )
        key = f"{number}.{sum(1 for n in seen_numbers if n == number) + 1}"
    elif seen_numbers and number != seen_numbers[-1] + 1:
        notice.problem(
            "section-numbering",
            b.place,
            f"section {number} follows section {seen_numbers[-1]} on the {lang.upper()} side "
            f"(expected {seen_numbers[-1] + 1})",
            section=key,
        )
    elif not seen_numbers and number != 1:
        notice.problem(
            "section-numbering",
            b.place,
            f"the first numbered section on the {lang.upper()} side is {number}, not 1",
            section=key,
        )
    seen_numbers.append(number)
    section = Section(key=key, number=number, heading=b, lang=lang)
    half.sections.append(section)
    b.section = key
    half.blocks.append(b)
    return section


def _run_line(blocks: list[Block], title: int) -> int:
    """The first line of the header run below the title at index `title`."""
    for b in blocks[title + 1 :]:
        if b.kind == "field":
            return b.line
    return blocks[title].end_line + 1


def _report_stray(notice: Notice, stray: list[Block]) -> None:
    """Stray blocks leave the halves (kind "stray"); one finding lists them, at the first run of
    consecutive stray blocks, the other runs as related places."""
    stray.sort(key=lambda b: b.line)
    order = {id(b): k for k, b in enumerate(notice.blocks)}
    runs: list[list[Block]] = []
    for b in stray:
        b.kind, b.section, b.lang = "stray", None, ""
        if runs and order.get(id(b), -2) == order.get(id(runs[-1][-1]), -9) + 1:
            runs[-1].append(b)
        else:
            runs.append([b])
    shown = "; ".join(
        f"line {b.line}" + (f"-{b.end_line}" if b.end_line != b.line else "") + f" \u201c{quote(b.text, 40)}\u201d"
        for b in stray[:3]
    )
    more = f" and {len(stray) - 3} more" if len(stray) > 3 else ""
    places = [Place(r[0].line, r[-1].end_line, "") for r in runs]
    notice.problem(
        "stray-text",
        places[0],
        f"text outside the notice ({shown}{more}) is not part of either half; it was not checked",
        related=places[1:],
    )


Start = tuple[int, str, "int | None"]  # (first block index of a half, its language, its title's index)


def split(source: Source, layout: str | None = None) -> Notice:
    """Read `source` into a Notice: its blocks, the EN and FR halves, and the problems found on the way."""
    blocks, layout = reflow(source.lines, layout)
    notice = Notice(source=source, en=None, fr=None, layout=layout, blocks=blocks)
    whole = Place(1, max(1, len(source.lines)))
    if not blocks:
        notice.problem("empty-notice", whole, "file is empty or holds no text")
        return notice
    if not any(b.kind != "banner" for b in blocks):
        notice.problem("no-structure", whole, "the file holds only a letterhead or banner, no notice text")
        return notice
    starts = _half_starts(notice, blocks, whole)
    if not starts:
        return notice
    _report_further_notices(notice, blocks, starts)
    cut, stray = _cut_halves(blocks, starts)
    for lang, half_blocks, t in cut:
        half = build_half(lang, half_blocks, blocks[t] if t is not None else None, notice)
        setattr(notice, lang, half)
    if stray:
        _report_stray(notice, stray)
    _report_half_problems(notice)
    return notice


def _half_starts(notice: Notice, blocks: list[Block], whole: Place) -> list[Start]:
    """Where each half starts: above each header run (at its title), else where the content changes
    language. Empty (with a no-structure problem) when the file has no notice shape at all."""
    starts: list[Start] = []
    floor = 0
    for run in _header_runs(blocks):
        lang = _run_lang(blocks, run)
        if lang is None:
            continue
        t = _title_index(blocks, run[0], floor)
        starts.append((t if t is not None else run[0], lang, t))
        floor = run[-1] + 1

    if not starts:
        # No header at all: fall back on the language of the content.
        content = [b for b in blocks if b.kind in CONTENT]
        headings = [b for b in blocks if b.kind == "heading"]
        first = next((guess_lang(b.text) for b in content if guess_lang(b.text)), None)
        if not headings or first is None:
            notice.problem(
                "no-structure",
                whole,
                "no vacancy-notice structure found (no header fields such as 'Primary Location', no numbered sections)",
            )
            return []
        starts.append((0, first, None))
        notice.problem(
            "header-missing",
            Place(blocks[0].line, blocks[0].end_line, first),
            f"the {first.upper()} half has no header block (Primary Location, Grade, ...)",
        )

    if len(starts) == 1:
        lang = starts[0][1]
        switch = _content_lang_switch(blocks, starts[0][0] + 1, lang)
        if switch is not None:
            other = FR if lang == EN else EN
            starts.append((switch, other, None))
            notice.problem(
                "header-missing",
                Place(blocks[switch].line, blocks[switch].end_line, other),
                f"the {other.upper()} half (from line {blocks[switch].line}) has no header block "
                "(Primary Location / Emplacement principal, ...)",
            )
    return starts


def _report_further_notices(notice: Notice, blocks: list[Block], starts: list[Start]) -> None:
    """One file, one notice: a third half, or a second half in one language, is reported."""
    langs = [lang for _, lang, _ in starts]
    if EN in langs and FR in langs and len(starts) > 2 or langs.count(EN) > 1 or langs.count(FR) > 1:
        extra = starts[2] if len(starts) > 2 else starts[-1]
        b = blocks[extra[0]]
        notice.problem(
            "multiple-notices",
            Place(b.line, b.end_line, extra[1]),
            f"a further notice starts at line {b.line}; one file should hold one notice "
            "(only the first EN/FR pair is checked)",
        )


def _cut_halves(
    blocks: list[Block], starts: list[Start]
) -> tuple[list[tuple[str, list[Block], "int | None"]], list[Block]]:
    """The blocks of the first EN half and of the first FR half, (lang, blocks, title index) each,
    and the stray blocks: above the first title, between a title and its header, after a half's end."""
    chosen: dict[str, int] = {}
    for k, (_, lang, _) in enumerate(starts):
        chosen.setdefault(lang, k)
    order = sorted(chosen.values())
    bounds = []
    for pos, k in enumerate(order):
        begin = starts[k][0] if pos > 0 else 0
        next_k = k + 1
        end = starts[next_k][0] if next_k < len(starts) else len(blocks)
        bounds.append((starts[k][1], begin, end, starts[k][2]))
    stray: list[Block] = []
    cut = []
    for pos, (lang, begin, end, t) in enumerate(bounds):
        start = begin if pos > 0 else starts[order[0]][0]
        # Above the first half's title: letterheads and URLs belong to it, anything else is stray.
        lead = blocks[begin:start]
        others = [b for other in bounds if other is not bounds[pos] for b in blocks[other[1] : other[2]]]
        tail = _stray_tail(blocks, start, end, lang, others, last=end == len(blocks))
        # A draft mark between the title and the header ("DRAFT v2" under the title).
        head_end = _run_line(blocks, t) if t is not None else 0
        inner = [b for b in blocks[start:tail] if b.line < head_end and b is not blocks[t] and is_stray(b.text)]
        skip = {id(b) for b in inner}
        stray += [b for b in lead if b.kind not in ("banner", "url")] + inner + blocks[tail:end]
        kept = [b for b in lead if b.kind in ("banner", "url")] + [b for b in blocks[start:tail] if id(b) not in skip]
        cut.append((lang, kept, t))
    return cut, stray


def _report_half_problems(notice: Notice) -> None:
    """Halves out of order, a half missing, a half without a title."""
    if notice.en is not None and notice.fr is not None and notice.fr.line < notice.en.line:
        notice.problem(
            "halves-out-of-order",
            notice.fr.place,
            f"the French half (line {notice.fr.line}) comes before the English half (line {notice.en.line})",
            related=[notice.en.place],
        )
    if notice.fr is None and notice.en is not None:
        notice.problem("french-half-missing", notice.en.place, "the notice has no French half", section=None)
    if notice.en is None and notice.fr is not None:
        notice.problem("english-half-missing", notice.fr.place, "the notice has no English half", section=None)
    for half in notice.halves:
        if half.title is None:
            notice.problem(
                "title-missing",
                Place(half.line, half.line, half.lang),
                f"no post title found above the {half.lang.upper()} header",
                section="title",
            )
