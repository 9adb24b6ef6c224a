"""Value parsers: header-field and body text -> comparable values.

Pure functions used by the field checks and the term checks. Every public function accepts any
string, never raises, and returns ``None`` (or an empty list) when it cannot parse its input.

Language knowledge comes from libraries and data files, not from tables in this module:

* month names, AM/PM and midnight/noon words: CLDR (``data/cldr.json``, from babel), plus the
  few extra spellings in ``data/months.toml``;
* numbers: ``babel.numbers.parse_decimal`` (``en`` / ``fr_FR``, the other locale as a fallback);
* number words: the ``text2num`` package (``text_to_num.text2num``);
* units, pay periods, currencies, schedules: ``data/units.toml``; clearance levels:
  ``data/clearance.toml``; language levels: ``data/languages.toml``; duty stations and
  timezones: ``data/locations.toml``.

Conventions worth knowing:

* ``lang`` is ``"en"`` or ``"fr"``; anything else is treated as ``"en"``. Both languages' month
  names, number formats and unit words are accepted whatever ``lang`` says; ``lang`` only settles
  ambiguous cases (``"1,234"`` is 1234 in English, 1.234 in French) and picks the text2num language.
* Numeric dates are day-first in both languages (``03/06/2025`` is 3 June 2025).
* ``midnight`` / ``minuit`` and ``24:00`` parse as 00:00 (``datetime.time`` has no 24:00; the date
  is not shifted); ``noon`` / ``midi`` as 12:00.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterator, NamedTuple, TypeVar

from .knowledge import cldr
from .knowledge import data as _data

__all__ = [
    "Deadline",
    "Money",
    "Grade",
    "Clearance",
    "Title",
    "Location",
    "Quantity",
    "DateMatch",
    "parse_date",
    "find_dates",
    "date_month_language",
    "parse_time",
    "parse_deadline",
    "parse_number",
    "parse_money",
    "parse_grade",
    "parse_clearance",
    "parse_title",
    "parse_schedule",
    "parse_location",
    "extract_quantities",
    "extract_language_levels",
]

_T = TypeVar("_T")


# --------------------------------------------------------------------------------------------
# result types


@dataclass(frozen=True)
class Deadline:
    date: _dt.date
    time: _dt.time | None = None
    tz: str | None = None  # canonical key of data/locations.toml [timezones], e.g. "CET"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str | None = None  # ISO 4217 code, e.g. "EUR"
    period: str | None = None  # "month" | "year" | "week" | "day" | "hour"


@dataclass(frozen=True)
class Grade:
    """NATO grade(s). ``kind`` is "single" (G20), "range" (G11-G15) or "alternatives" (A2/A3)."""

    codes: tuple[str, ...]
    kind: str = "single"

    @property
    def normalized(self) -> str:
        return ("-" if self.kind == "range" else "/").join(self.codes)

    def __str__(self) -> str:
        return self.normalized


@dataclass(frozen=True)
class Clearance:
    level: str  # canonical key of data/clearance.toml [levels]: "CTS", "NS", "NC", "NR", "NU"
    suffix: str | None = None  # e.g. "ATOMAL"

    def __str__(self) -> str:
        return self.level + (f"/{self.suffix}" if self.suffix else "")


@dataclass(frozen=True)
class Title:
    name: str
    posts: int | None = None
    requisition: str | None = None
    per_grade: dict[str, int] = field(default_factory=dict)


class Location(NamedTuple):
    city: str | None
    country: str | None


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str | None
    span: tuple[int, int]  # offsets into the text given, number and unit included
    raw: str  # text[span[0]:span[1]]
    words: bool = False  # written in words ("five years") rather than digits


@dataclass(frozen=True)
class DateMatch:
    date: _dt.date
    span: tuple[int, int]
    month: str | None  # the month token as written ("août", "Aug"), None for numeric dates


# --------------------------------------------------------------------------------------------
# helpers


def _safe(default: Callable[[], _T]):
    """Public functions never raise: on any unexpected error they return ``default()``."""

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(text, *args, **kwargs):
            if not isinstance(text, str):
                return default()
            try:
                return fn(text, *args, **kwargs)
            except Exception:  # noqa: BLE001 - contract: never raise on malformed input
                return default()

        return wrapper

    return deco


_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"}


@functools.lru_cache(maxsize=4096)  # pure, per character: called ~35k times per notice
def _fold_char(c: str) -> str:
    if c in _SPACES:
        return " "
    if c in _DASHES:
        return "-"
    if c in _QUOTES:
        return _QUOTES[c]
    d = unicodedata.normalize("NFKD", c)
    return "".join(x for x in d if not unicodedata.combining(x)).casefold()


def _fold_map(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, with the index in ``text`` of every folded character.

    The map has one extra entry (``len(text)``) so that an end offset can be mapped too."""
    if text.isascii():  # the usual English text: one folded character for each
        return text.lower().replace("`", "'"), list(range(len(text) + 1))
    out = [_fold_char(c) for c in text]
    folded = "".join(out)
    if len(folded) == len(text):
        return folded, list(range(len(text) + 1))
    idx: list[int] = []
    for i, f in enumerate(out):
        idx.extend([i] * len(f))
    idx.append(len(text))
    return folded, idx


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return _fold_map(text)[0]


def _lang(lang: object) -> str:
    return "fr" if isinstance(lang, str) and lang.lower().startswith("fr") else "en"


def _alias_pattern(alias: str, folded: bool = True) -> str:
    """Regex for one alias: whole word where it starts/ends with a word character; any run of
    whitespace (or a hyphen, where the alias has one) between words."""
    a = _fold(alias) if folded else alias
    parts = re.split(r"([\s-]+)", a.strip())
    pat = ""
    for p in parts:
        if not p:
            continue
        if p.isspace():
            pat += r"[\s-]+"
        elif set(p) <= set(" -"):
            pat += r"[\s-]*"
        else:
            pat += re.escape(p)
    if re.match(r"\w", a, re.U):
        pat = r"(?<![^\W_])" + pat
    if re.search(r"\w$", a, re.U):
        pat = pat + r"(?![^\W_])"
    return pat


def _alternation(aliases: dict[str, str], folded: bool = True, plural_s: bool = False) -> re.Pattern:
    """One regex matching any alias (longest first); group name-free, use ``_lookup``."""
    pats = []
    for alias in sorted(aliases, key=len, reverse=True):
        p = _alias_pattern(alias, folded)
        if plural_s:
            # allow "année(s)": insert before the trailing word-boundary lookahead
            tail = r"(?![^\W_])"
            if p.endswith(tail):
                p = p[: -len(tail)] + r"(?:\(s\))?" + tail
        pats.append(p)
    return re.compile("|".join(f"(?:{p})" for p in pats) or r"(?!x)x", re.I)


def _norm_key(s: str) -> str:
    return re.sub(r"[\s-]+", " ", _fold(s)).strip().rstrip(".").replace("(s)", "")


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _search_all(pattern: re.Pattern, text: str, pos: int = 0) -> Iterator[re.Match]:
    """Like finditer but also yields matches that start inside a previous match, so that a
    candidate rejected by the caller does not hide a valid one just after it."""
    while pos <= len(text):
        m = pattern.search(text, pos)
        if not m:
            return
        yield m
        pos = m.start() + 1


# --------------------------------------------------------------------------------------------
# data tables (built once from the data files)


@functools.lru_cache(maxsize=1)
def _units() -> dict:
    return _data("units")


def month_names(width: str, context: str, lang: str) -> dict[int, str]:
    """CLDR's month names (as babel's get_month_names gives them): number -> name."""
    return {int(k): v for k, v in cldr()["months"][lang][width][context].items()}


@functools.lru_cache(maxsize=1)
def _months() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """(exact, folded): per language, month spelling -> number.

    ``exact`` keys are case-folded but keep accents and the trailing dot ("déc.", "aug");
    ``folded`` keys drop accents and dots ("dec")."""
    exact: dict[str, dict[str, int]] = {"en": {}, "fr": {}}
    folded: dict[str, dict[str, int]] = {"en": {}, "fr": {}}

    def add(lang: str, name: str, num: int) -> None:
        e = name.strip().casefold()
        exact[lang].setdefault(e, num)
        exact[lang].setdefault(e.rstrip("."), num)
        folded[lang].setdefault(_fold(name).strip().rstrip("."), num)

    for lang in ("en", "fr"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for num, name in month_names(width, context, lang).items():
                    add(lang, name, num)
    try:
        extra = _data("months")
    except Exception:  # noqa: BLE001 - the extras are optional
        extra = {}
    for lang in ("en", "fr"):
        for num, names in (extra.get(lang) or {}).items():
            for name in names:
                add(lang, name, int(num))
    return exact, folded


def _month_number(token: str) -> int | None:
    _, folded = _months()
    key = _fold(token).strip().rstrip(".")
    for lang in ("en", "fr"):
        if key in folded[lang]:
            return folded[lang][key]
    return None


def _month_lang(token: str) -> str | None:
    """Which language a month token is written in; None when it could be either."""
    exact, folded = _months()
    t = token.strip().casefold()
    for key in (t, t.rstrip(".")):
        hits = [lang for lang in ("en", "fr") if key in exact[lang]]
        if len(hits) == 1:
            return hits[0]
    f = _fold(token).strip().rstrip(".")
    hits = [lang for lang in ("en", "fr") if f in folded[lang]]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        return None
    # Spelled alike in both ("Oct"/"oct", "Nov"/"nov"): English capitalises month names,
    # French does not.
    letters = token.strip().rstrip(".")
    if letters[:1].isupper() and not letters.isupper():
        return "en"
    if letters.islower():
        return "fr"
    return None


@functools.lru_cache(maxsize=1)
def _period_words() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Regexes (on folded text) for AM, PM, midnight, noon, from CLDR's day-period names."""
    periods = cldr()["periods"]
    names: dict[str, set[str]] = {"am": set(), "pm": set(), "midnight": set(), "noon": set()}
    for lang in ("en", "fr"):
        for width in ("abbreviated", "wide"):
            for context in ("format", "stand-alone"):
                for key, value in periods[lang][width][context].items():
                    if key in names:
                        names[key].add(_fold(value))

    def ampm(words: set[str]) -> re.Pattern:
        # "pm" also as "p.m.", "p. m.", "P.M"
        alts = ["\\.?\\s?".join(re.escape(ch) for ch in w) + r"\.?" for w in sorted(words) if w]
        return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])", re.I)

    def words_re(words: set[str]) -> re.Pattern:
        return re.compile("|".join(_alias_pattern(w) for w in sorted(words, key=lambda w: (-len(w), w))), re.I)

    return ampm(names["am"]), ampm(names["pm"]), words_re(names["midnight"]), words_re(names["noon"])


def _table_and_regex(entries: list[tuple[str, str]], plural_s: bool = False) -> tuple[dict[str, str], re.Pattern]:
    """(alias, canonical) pairs -> lookup table on normalised keys, and one regex that matches
    the aliases as written and accent-folded (so it works on raw and on folded text)."""
    table: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for alias, canon in entries:
        table.setdefault(_norm_key(alias), canon)
        spellings.setdefault(alias.casefold(), canon)
        spellings.setdefault(_fold(alias), canon)
    return table, _alternation(spellings, folded=False, plural_s=plural_s)


def _lang_entries(section: dict) -> list[tuple[str, str]]:
    return [
        (alias, canon) for canon, langs in (section or {}).items() for lg in ("en", "fr") for alias in langs.get(lg, [])
    ]


def _currency_entries() -> list[tuple[str, str]]:
    cur = _units().get("currencies") or {}
    return [(alias, code) for code, entry in cur.items() for alias in entry.get("names", [])]


@functools.lru_cache(maxsize=1)
def _unit_table() -> tuple[dict[str, str], re.Pattern]:
    """alias -> canonical unit, and a regex for them (units and currencies)."""
    return _table_and_regex(_lang_entries(_units().get("units")) + _currency_entries(), plural_s=True)


@functools.lru_cache(maxsize=1)
def _currency_table() -> tuple[dict[str, str], re.Pattern]:
    return _table_and_regex(_currency_entries())


@functools.lru_cache(maxsize=1)
def _period_table() -> tuple[dict[str, str], re.Pattern]:
    return _table_and_regex(_lang_entries(_units().get("periods")))


def _lookup(table: dict[str, str], matched: str) -> str | None:
    return table.get(_norm_key(matched))


# --------------------------------------------------------------------------------------------
# numbers


_SPACE_CLASS = " \u00a0\u202f\u2009\u2007"
# A number as written in either language: 8,754.21 / 8 754,21 / 8.754,21 / 5043 / 12,5.
_NUM_BODY = (
    r"\d{1,3}(?:\.\d{3})+,\d+"
    r"|\d{1,3}(?:(?:,\d{3})+|(?:[" + _SPACE_CLASS + r"]\d{3})+|(?:\.\d{3}){2,})(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?"
)
# In running text: not glued to letters or to other digits/dots (G20, C4ISR, 1.2.3 are skipped).
_NUM_TEXT = re.compile(r"(?<![\w.,])(?:" + _NUM_BODY + r")(?![^\W_]|[.,]\d)")
# In a header value: letters may follow ("8,754.21Euro").
_NUM_FIELD = re.compile(r"(?<![\w.,])(?:" + _NUM_BODY + r")(?![.,]?\d)")

_LOCALES = {"en": "en", "fr": "fr_FR"}


def _to_decimal(raw: str, lang: str) -> Decimal | None:
    """Parse one number with Babel, trying the locale that the separators suggest, then the other."""
    from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

    s = raw.strip()
    if not s or not re.fullmatch(r"[\d.,\s" + _SPACE_CLASS + r"]+", s):
        return None
    order = ["en", "fr"] if lang == "en" else ["fr", "en"]
    has_space_group = bool(re.search(r"\d[\s" + _SPACE_CLASS + r"]\d", s))
    if has_space_group:
        order = ["fr", "en"]
    elif "," in s and "." in s:
        order = ["en", "fr"] if s.rfind(".") > s.rfind(",") else ["fr", "en"]
    for i, loc_key in enumerate(order):
        locale = _LOCALES[loc_key]
        candidate = s
        if has_space_group:
            if loc_key != "fr":
                continue
            candidate = re.sub(r"[\s" + _SPACE_CLASS + r"]", get_group_symbol(locale), s)
        try:
            return parse_decimal(candidate, locale, strict=True)
        except (NumberFormatError, ValueError, ArithmeticError):
            continue
    # "8.754,21" (dot grouping, comma decimal) is valid in neither locale strictly.
    m = re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s)
    if m:
        return Decimal(s.replace(".", "").replace(",", "."))
    return None


@_safe(lambda: None)
def parse_number(text: str, lang: str = "en") -> Decimal | None:
    """The first number written in digits in ``text`` ("8,754.21", "8 754,21", "5043")."""
    m = _NUM_FIELD.search(text)
    return _to_decimal(m.group(0), _lang(lang)) if m else None


@functools.lru_cache(maxsize=8192)
def _word_value(words: str, lang: str) -> int | None:
    from text_to_num import text2num

    try:
        return int(text2num(words, lang))
    except Exception:  # noqa: BLE001 - text2num raises ValueError/other on non-numbers
        return None


@functools.lru_cache(maxsize=1)
def _number_word_filters() -> tuple[frozenset, frozenset]:
    nw = _units().get("number_words") or {}
    return (
        frozenset(_fold(w) for w in nw.get("ignore", [])),
        frozenset(_fold(w) for w in nw.get("needs_unit", [])),
    )


_LETTERS = re.compile(r"[^\W\d_]+")


def _word_numbers(text: str, lang: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, value) of number-word runs, via text2num; the longest parse wins."""
    ignore, _ = _number_word_filters()
    tokens = list(_LETTERS.finditer(text))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = tok.group(0)
        if _word_value(word, lang) is None:
            i += 1
            continue
        # tokens joined by whitespace or one hyphen only (no punctuation) can form one number
        j = i
        while j + 1 < len(tokens) and j - i < 7:
            gap = text[tokens[j].end() : tokens[j + 1].start()]
            if not re.fullmatch(r"\s+|\s*-\s*", gap):
                break
            j += 1
        best = None
        for k in range(j, i - 1, -1):
            chunk = text[tok.start() : tokens[k].end()]
            v = _word_value(chunk, lang)
            if v is not None:
                best = (tok.start(), tokens[k].end(), v, k)
                break
        if best is None or (best[3] == i and _fold(word) in ignore):
            # the ignore list applies to a word on its own: "one" no, "one hundred" yes
            i += 1
            continue
        yield best[0], best[1], best[2]
        i = best[3] + 1


# --------------------------------------------------------------------------------------------
# dates and times

_MON = r"([^\W\d_]{3,}\.?)"
_DAY_SUFFIX = r"(?:er|re|ᵉʳ|st|nd|rd|th|e)?"
_DATE_DMY_NAME = re.compile(
    r"(?<![\w.])(\d{1,2})" + _DAY_SUFFIX + r"(\s+|\s*[-/.]\s*)" + _MON + r"(\s+|\s*[-/.,]\s*)(\d{4}|\d{2})(?![\w])",
    re.I,
)
_DATE_MDY_NAME = re.compile(r"(?<![\w])" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I)
_DATE_ISO = re.compile(r"(?<![\w.\-/])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w]|[-/.]\d)")
_DATE_NUM = re.compile(r"(?<![\w.\-/])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?![\w]|[-/.]\d)")
_MONTH_YEAR = re.compile(r"(?<![\w])" + _MON + r"\s+(\d{4})(?!\d)", re.I)


def _mk_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


@_safe(list)
def find_dates(text: str) -> list[DateMatch]:
    """All dates in ``text``, in order: "25-Aug-2024", "27-avr.-2025", "1er juin 2025",
    "June 3, 2025", "2025-06-03", "03/06/2025" (day-first). Months in either language."""
    hits: list[DateMatch] = []
    for m in _search_all(_DATE_DMY_NAME, text):
        num = _month_number(m.group(3))
        if num is None:
            continue
        ytxt = m.group(5)
        if len(ytxt) == 2:
            # two-digit years only in the compact "25-Aug-24" form
            if m.group(2).strip() != "-" or m.group(4).strip() != "-":
                continue
            year = 2000 + int(ytxt)
        else:
            year = int(ytxt)
        d = _mk_date(year, num, int(m.group(1)))
        if d:
            hits.append(DateMatch(d, m.span(), m.group(3)))
    for m in _search_all(_DATE_MDY_NAME, text):
        num = _month_number(m.group(1))
        d = _mk_date(int(m.group(3)), num, int(m.group(2))) if num else None
        if d:
            hits.append(DateMatch(d, m.span(), m.group(1)))
    for m in _DATE_ISO.finditer(text):
        d = _mk_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            hits.append(DateMatch(d, m.span(), None))
    for m in _DATE_NUM.finditer(text):
        d = _mk_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
        if d:
            hits.append(DateMatch(d, m.span(), None))
    hits.sort(key=lambda h: (h.span[0], -(h.span[1] - h.span[0])))
    out: list[DateMatch] = []
    for h in hits:
        if not out or h.span[0] >= out[-1].span[1]:
            out.append(h)
    return out


@_safe(lambda: None)
def parse_date(text: str, lang: str = "en") -> _dt.date | None:
    """The first date in ``text`` (see :func:`find_dates`); month names of either language."""
    hits = find_dates(text)
    return hits[0].date if hits else None


@_safe(lambda: None)
def date_month_language(text: str) -> str | None:
    """ "en" or "fr": the language of the month name of the first date in ``text``.

    None for numeric dates, no date, or a spelling both languages share with no telling
    capitalisation ("OCT"). "Dec"/"Oct" (capitalised, no dot) count as English, "déc."/"oct." as
    French."""
    hits = find_dates(text)
    if not hits or hits[0].month is None:
        return None
    return _month_lang(hits[0].month)


_TIME_COLON = re.compile(
    r"(?<![\d:])(\d{1,2})[ \t]*(?::|h(?=[ \t]*\d{2}))[ \t]*(\d{2})(?:[ \t]*:[ \t]*(\d{2}))?(?!\d)", re.I
)
_TIME_H = re.compile(r"(?<![\w:.,])(\d{1,2})\s?h(?![^\W_])", re.I)


@functools.lru_cache(maxsize=1)
def _ampm_time_patterns() -> tuple[re.Pattern, re.Pattern]:
    """ "11.59 p.m." and "11 pm": times that need Babel's AM/PM marker after them."""
    am_re, pm_re, _, _ = _period_words()
    marker = r"[ \t]*(?:" + am_re.pattern + "|" + pm_re.pattern + ")"
    return (
        re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?!\d)(?=" + marker + ")", re.I),
        re.compile(r"(?<![\w:.,])(\d{1,2})(?=" + marker + ")", re.I),
    )


def _find_times(text: str) -> list[tuple[_dt.time | None, tuple[int, int]]]:
    """Every time-of-day candidate, in order, without overlaps: (time or None when out of range
    such as "25:00", span including any AM/PM marker)."""
    am_re, pm_re, midnight_re, noon_re = _period_words()
    time_dot, hour_only = _ampm_time_patterns()
    candidates: list[tuple[int, int, int, int, int]] = []  # start, end, h, m, s
    for rx in (_TIME_COLON, time_dot):
        for m in rx.finditer(text):
            sec = int(m.group(3)) if rx is _TIME_COLON and m.group(3) else 0
            candidates.append((m.start(), m.end(), int(m.group(1)), int(m.group(2)), sec))
    for rx in (hour_only, _TIME_H):
        for m in rx.finditer(text):
            candidates.append((m.start(), m.end(), int(m.group(1)), 0, 0))
    if midnight_re.pattern or noon_re.pattern:
        folded, idx = _fold_map(text)
        for rx, hour in ((midnight_re, 0), (noon_re, 12)):
            for m in rx.finditer(folded):
                if m.end() > m.start():
                    candidates.append((idx[m.start()], idx[m.end()], hour, 0, 0))
    candidates.sort(key=lambda c: (c[0], -c[1]))
    out: list[tuple[_dt.time | None, tuple[int, int]]] = []
    last_end = -1
    for start, end, h, mi, s in candidates:
        if start < last_end:
            continue
        after = text[end : end + 8]
        pad = len(after) - len(after.lstrip(" \t\u00a0\u202f"))
        marker = None
        m_pm = pm_re.match(after, pad)
        m_am = am_re.match(after, pad)
        if m_pm:
            marker, end = "pm", end + m_pm.end()
        elif m_am:
            marker, end = "am", end + m_am.end()
        value: _dt.time | None = None
        if marker:
            if 1 <= h <= 12 and 0 <= mi <= 59 and 0 <= s <= 59:
                value = _dt.time((0 if h == 12 else h) + (12 if marker == "pm" else 0), mi, s)
        elif h == 24 and mi == 0 and s == 0:
            value = _dt.time(0, 0)
        elif 0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59:
            value = _dt.time(h, mi, s)
        out.append((value, (start, end)))
        last_end = end
    return out


def _find_time(text: str) -> tuple[_dt.time, tuple[int, int]] | None:
    """The first time candidate; None when there is none or it is out of range."""
    found = _find_times(text)
    if not found or found[0][0] is None:
        return None
    return found[0][0], found[0][1]


@_safe(lambda: None)
def parse_time(text: str) -> _dt.time | None:
    """The first time of day in ``text``: "11:59:00 PM", "23:59:00", "23h59", "23 h 59",
    "11:59 p.m.", "11 pm", "midnight"/"minuit" (00:00), "noon"/"midi" (12:00), "24:00" (00:00)."""
    found = _find_time(text)
    return found[0] if found else None


@functools.lru_cache(maxsize=1)
def _timezone_patterns() -> list[tuple[re.Pattern, str, int]]:
    d = _data("locations").get("timezones") or {}
    pats = []
    for canon, entry in d.items():
        for name in entry.get("names", []):
            if len(name) <= 4 and name.isupper():
                # short codes ("ET", "CET") are case-sensitive: "et" is French for "and"
                pats.append((re.compile(_alias_pattern(name, folded=False)), canon, len(name)))
            else:
                pats.append((re.compile(_alias_pattern(name), re.I), canon, len(name)))
    pats.sort(key=lambda p: -p[2])
    return pats


def _find_timezone(text: str) -> str | None:
    folded = _fold(text)
    best = None
    for rx, canon, length in _timezone_patterns():
        target = text if not (rx.flags & re.I) else folded
        m = rx.search(target)
        if m and (best is None or length > best[1]):
            best = (canon, length)
    return best[0] if best else None


@_safe(lambda: None)
def parse_deadline(text: str, lang: str = "en") -> Deadline | None:
    """A deadline field value: "27-Apr-2025, 11:59:00 PM", "27-avr.-2025, 23:59:00",
    "25-Aug-2024", "03/06/2025 23:59 CET", "... heure de Bruxelles". None without a date."""
    hits = find_dates(text)
    if not hits:
        return None
    h = hits[0]
    rest = text[: h.span[0]] + " " * (h.span[1] - h.span[0]) + text[h.span[1] :]
    found = _find_time(rest)
    return Deadline(h.date, found[0] if found else None, _find_timezone(rest))


# --------------------------------------------------------------------------------------------
# money


@_safe(lambda: None)
def parse_money(text: str, lang: str = "en") -> Money | None:
    """A salary value: "8,754.21Euro (EUR) Monthly", "8 754,21Euro (EUR) Mensuelle",
    "EUR 5,043.00 per month", "5 043,00 € par mois". None without a number."""
    lang = _lang(lang)
    m = _NUM_FIELD.search(text)
    if not m:
        return None
    amount = _to_decimal(m.group(0), lang)
    if amount is None:
        return None
    rest = text[: m.start()] + " " + text[m.end() :]
    folded = _fold(rest)
    cur_table, cur_re = _currency_table()
    currency = None
    # symbols and codes match on the text as written too ("€", "EUR" glued to the number)
    for target in (folded, _fold(text[m.end() :])):
        c = cur_re.search(target)
        if c:
            currency = _lookup(cur_table, c.group(0))
            break
    if currency is None:
        glued = re.match(r"\s*([^\W\d_]+|[^\w\s])", text[m.end() :])
        if glued:
            currency = _lookup(cur_table, glued.group(1))
    per_table, per_re = _period_table()
    p = per_re.search(folded)
    period = _lookup(per_table, p.group(0)) if p else None
    return Money(amount, currency, period)


# --------------------------------------------------------------------------------------------
# grades, clearance


_GRADE_CODE = r"([ABCGL])[-\u2010\u2011]?(\d{1,2})"
_GRADE = re.compile(r"(?<![\w])" + _GRADE_CODE + r"(?![\w])", re.I)
_GRADE_RANGE_SEP = re.compile(r"\s*(?:[-\u2010-\u2015]|to|à|a)\s*", re.I)
_GRADE_ALT_SEP = re.compile(r"\s*(?:/|,|or|ou|and|et)\s*", re.I)


@_safe(lambda: None)
def parse_grade(text: str) -> Grade | None:
    """NATO grade(s): "NATO Grade G20" -> G20; "G11-G15" (also "G11-15", "G11 to G15") -> range;
    "A2/A3" (also "A2 or A3") -> alternatives; "grade g17" -> G17. Codes are upper-case."""
    codes = [(m, f"{m.group(1).upper()}{int(m.group(2))}") for m in _GRADE.finditer(text)]
    if not codes:
        return None
    first_m, first = codes[0]
    after = text[first_m.end() :]
    # "G11-15": second code without its letter
    short = re.match(r"\s*[-\u2010-\u2015]\s*(\d{1,2})(?![\w])", after)
    if short and (len(codes) < 2 or codes[1][0].start() > first_m.end() + short.end()):
        return Grade((first, f"{first[0]}{int(short.group(1))}"), "range")
    if len(codes) == 1:
        return Grade((first,), "single")
    out = [first]
    kind = None
    prev_end = first_m.end()
    for m, code in codes[1:]:
        gap = text[prev_end : m.start()]
        if _GRADE_RANGE_SEP.fullmatch(gap) and kind in (None, "range") and len(out) == 1:
            kind = "range"
        elif _GRADE_ALT_SEP.fullmatch(gap) and kind in (None, "alternatives"):
            kind = "alternatives"
        else:
            break
        out.append(code)
        prev_end = m.end()
    if len(out) == 1:
        return Grade((first,), "single")
    return Grade(tuple(out), kind or "alternatives")


@functools.lru_cache(maxsize=1)
def _clearance_tables():
    d = _data("clearance")
    levels: dict[str, str] = {}
    for canon, entry in (d.get("levels") or {}).items():
        for name in entry.get("names", []):
            levels.setdefault(_norm_key(name), canon)
    suffixes: dict[str, str] = {}
    for canon, entry in (d.get("suffixes") or {}).items():
        for name in entry.get("names", []):
            suffixes.setdefault(_norm_key(name), canon)
    long_suffixes = {k: v for k, v in suffixes.items() if len(k) > 1}
    suffix_re = re.compile(
        r"\s*[/-]\s*(" + _alternation(suffixes).pattern + r")|\s+(" + _alternation(long_suffixes).pattern + r")",
        re.I,
    )
    return levels, _alternation(levels), suffixes, suffix_re


@_safe(lambda: None)
def parse_clearance(text: str) -> Clearance | None:
    """Security clearance: "NS", "NATO SECRET", "SECRET OTAN" -> NS; "CTS/A",
    "COSMIC TOP SECRET/ATOMAL", "COSMIC TRÈS SECRET/ATOMAL" -> CTS + ATOMAL. The longest name
    found wins ("NATO SECRET (NS)" -> NS). Case- and accent-insensitive."""
    levels, level_re, suffixes, suffix_re = _clearance_tables()
    folded = _fold(text)
    best = None
    for m in _search_all(level_re, folded):
        if best is None or len(m.group(0)) > len(best.group(0)):
            best = m
    if best is None:
        return None
    level = _lookup(levels, best.group(0))
    if level is None:
        return None
    s = suffix_re.match(folded, best.end())
    suffix = None
    if s:
        suffix = _lookup(suffixes, s.group(1) or s.group(2))
    return Clearance(level, suffix)


# --------------------------------------------------------------------------------------------
# title


_REQ_END = re.compile(r"\s*(?:\(\s*(\d{5,8})\s*\)|[-\u2010-\u2015]\s*(\d{5,8}))\s*$")


def _number_in_words_or_digits(s: str, lang: str) -> int | None:
    s = s.strip()
    if s.isdigit():
        return int(s)
    for lg in (lang, "fr" if lang == "en" else "en"):
        v = _word_value(s, lg)
        if v is not None:
            return v
    return None


@functools.lru_cache(maxsize=1)
def _post_count_re() -> re.Pattern:
    post = (_units().get("units") or {}).get("post") or {}
    aliases = {a: "post" for lg in ("en", "fr") for a in post.get(lg, [])}
    unit = _alternation(aliases, folded=False).pattern
    return re.compile(r"(\d+|[^\W\d_]+(?:[-\s][^\W\d_]+)?)\s+(?:" + unit + r")", re.I)


@_safe(lambda: None)
def parse_title(text: str) -> Title | None:
    """A notice title: "Officer, Planning (5 posts) (241124)", "Officer, Planning - 250604",
    "Administratrice/Administrateur (...) (2 postes) (241124)", "(1 post G15, 2 posts G17)",
    "... CAP (1 poste) ou DCB (2 postes) ...".

    ``posts`` is the total (the sum of the per-group counts when there is no single count);
    ``per_grade`` maps a grade code found next to a count ("1 post G15"), or else the acronym
    just before a count's parentheses ("DCB (2 postes)"), to that count."""
    s = re.sub(r"\s+", " ", text).strip()
    if not s:
        return None
    requisition = None
    m = _REQ_END.search(s)
    if m:
        requisition = m.group(1) or m.group(2)
        s = s[: m.start()].rstrip()
    count_re = _post_count_re()
    lang = "fr" if re.search(r"\bpostes?\b", s, re.I) and not re.search(r"\bposts?\b", s, re.I) else "en"
    counts: list[tuple[int, str | None]] = []
    removals: list[tuple[int, int]] = []
    # innermost parentheses first
    for p in re.finditer(r"\(([^()]*)\)", s):
        inner = p.group(1)
        found = []
        for c in count_re.finditer(inner):
            n = _number_in_words_or_digits(c.group(1), lang)
            if n is None:
                continue
            found.append((c, n))
        if not found:
            continue
        leftover = inner
        for c, n in found:
            seg_start = max(inner.rfind(",", 0, c.start()), inner.rfind(";", 0, c.start())) + 1
            seg_end_candidates = [x for x in (inner.find(",", c.end()), inner.find(";", c.end())) if x != -1]
            seg_end = min(seg_end_candidates) if seg_end_candidates else len(inner)
            seg = inner[seg_start:seg_end]
            g = _GRADE.search(seg)
            key = f"{g.group(1).upper()}{int(g.group(2))}" if g else None
            if key is None and len(found) == 1 and inner.strip() == c.group(0).strip():
                before = re.search(r"([A-Z][A-Z0-9]{1,9})\s*$", s[: p.start()])
                key = before.group(1) if before else None
            counts.append((n, key))
            leftover = leftover.replace(c.group(0), " ", 1)
        leftover = _GRADE.sub(" ", leftover)
        if not re.sub(r"[\s,;:/]|\b(?:and|et|or|ou|at|of|de|au|grade)\b", "", leftover, flags=re.I):
            removals.append(p.span())
    name = s
    for a, b in sorted(removals, reverse=True):
        name = name[:a].rstrip() + (" " if b < len(name) and name[b : b + 1] not in ")" else "") + name[b:].lstrip()
    name = re.sub(r"\s+\)", ")", re.sub(r"\s+", " ", name)).strip(" -,")
    posts = None
    per_grade: dict[str, int] = {}
    if counts:
        keyed = [(n, k) for n, k in counts if k]
        if len(counts) == 1:
            posts = counts[0][0]
        else:
            posts = sum(n for n, _ in counts)
        for n, k in keyed:
            per_grade[k] = per_grade.get(k, 0) + n
        if len(counts) == 1 and len(keyed) == 1 and not _GRADE.fullmatch(keyed[0][1]):
            # a single "(2 postes)" after an acronym is the total, not a split
            per_grade = {}
    if not name and posts is None and requisition is None:
        return None
    return Title(name, posts, requisition, per_grade)


# --------------------------------------------------------------------------------------------
# schedule, location


@functools.lru_cache(maxsize=1)
def _schedule_table() -> tuple[dict[str, str], re.Pattern]:
    table: dict[str, str] = {}
    for canon, langs in (_units().get("schedules") or {}).items():
        for lg in ("en", "fr"):
            for alias in langs.get(lg, []):
                table.setdefault(_norm_key(alias), canon)
    return table, _alternation(table)


@_safe(lambda: None)
def parse_schedule(text: str) -> str | None:
    """ "full-time" or "part-time" (Full-time, Temps plein, Part-time, Temps partiel); None when
    neither or both are named."""
    table, rx = _schedule_table()
    found = {_lookup(table, m.group(0)) for m in rx.finditer(_fold(text))}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


@functools.lru_cache(maxsize=1)
def _location_tables():
    countries: dict[str, tuple[str, dict[str, str]]] = {}  # folded country name -> (canon, cities)
    all_cities: dict[str, tuple[str, str]] = {}  # folded city name -> (canon city, canon country)
    for entry in (_data("locations").get("countries") or {}).values():
        names = entry.get("names", [])
        if not names:
            continue
        canon = names[0]
        cities: dict[str, str] = {}
        for city, aliases in (entry.get("cities") or {}).items():
            for a in [city, *aliases]:
                cities.setdefault(_norm_key(a), city)
                all_cities.setdefault(_norm_key(a), (city, canon))
        for n in names:
            countries.setdefault(_norm_key(n), (canon, cities))
    return countries, all_cities


@_safe(lambda: None)
def parse_location(text: str) -> Location | None:
    """A duty station: "Belgium-Brussels" / "Belgique-Bruxelles" -> ("Brussels", "Belgium");
    "États-Unis-Norfolk" -> ("Norfolk", "United States"); also "Brussels, Belgium",
    "Wiesbaden (Germany)" or a known city alone. An unknown city after a known country is kept as
    written. Canonical names are the English ones in data/locations.toml."""
    countries, all_cities = _location_tables()
    key = _norm_key(re.sub(r"[(),;]", " ", text))
    key = re.sub(r"\s+", " ", key).strip()
    if not key:
        return None
    for cname in sorted(countries, key=len, reverse=True):
        canon, cities = countries[cname]
        rest = None
        if key == cname:
            return Location(None, canon)
        if key.startswith(cname + " "):
            rest = key[len(cname) + 1 :]
        elif key.endswith(" " + cname):
            rest = key[: -len(cname) - 1]
        if rest is None:
            continue
        rest = rest.strip()
        if rest in cities:
            return Location(cities[rest], canon)
        if rest in all_cities and all_cities[rest][1] == canon:
            return Location(all_cities[rest][0], canon)
        # unknown city: keep it as written (original text minus the country name)
        raw = re.sub(r"\s+", " ", text).strip(" -,()")
        parts = re.split(r"\s*[-,(]\s*|\s*\)\s*", raw)
        city_raw = " ".join(p for p in parts if p and _norm_key(p) != cname).strip()
        return Location(city_raw or rest, canon)
    if key in all_cities:
        return Location(*all_cities[key])
    return None


# --------------------------------------------------------------------------------------------
# body quantities


_URL = re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\]\([^()]*\)", re.I)
_PHONE = re.compile(r"\+\d[\d\s().\-/]{6,}\d")
_ENUM = re.compile(r"^[ \t>*\-•]*\d{1,2}(?:\.\d{1,2})*[.)](?=\s)", re.M)
_ACRONYM_NUM = re.compile(r"\b[A-Z][A-Z&]{1,}[ \u00a0]?(?=\d)")
_LETTER_HYPHEN_NUM = re.compile(r"(?<![^\W\d_])[^\W\d_]+[-\u2010\u2011]\d[\d.,]*")  # from a word's start
_GRADE_SPAN = re.compile(
    r"(?<![\w-])[ABCGL]-?\d{1,2}(?:\s*(?:[-\u2010-\u2015/]|to|à|or|ou)\s*[ABCGL]?-?\d{1,2})*(?![\w])"
)
_SLP = re.compile(r"\b(?:SLP|PLN)\s*:?\s*\d(?:[\s\-./]?\d){3}(?!\d)", re.I)
_IDENT = re.compile(r"^\d{5,8}$")


def _skip_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose digits are not quantities: URLs/e-mails/link targets, phone numbers, dates
    (and "June 2025"), times, grades (G20, G11-G15, A2/A3), "SLP 3333", list numbering at the
    start of a line ("1. SUMMARY"), and numbers after an acronym ("STANAG 6001", "ISO 27001";
    currency codes excepted)."""
    spans: list[tuple[int, int]] = []
    spans += [m.span() for m in _URL.finditer(text)]
    spans += [m.span() for m in _PHONE.finditer(text)]
    spans += [d.span for d in find_dates(text)]
    for m in _search_all(_MONTH_YEAR, text):
        if _month_number(m.group(1)):
            spans.append(m.span())
    spans += [span for _, span in _find_times(text)]
    spans += [m.span() for m in _GRADE_SPAN.finditer(text)]
    spans += [m.span() for m in _SLP.finditer(text)]
    spans += [m.span() for m in _ENUM.finditer(text)]
    spans += [m.span() for m in _LETTER_HYPHEN_NUM.finditer(text)]
    cur_table, _ = _currency_table()
    for m in _ACRONYM_NUM.finditer(text):
        if _lookup(cur_table, m.group(0).strip()) is None:
            n = _NUM_TEXT.match(text, m.end())
            spans.append((m.start(), n.end() if n else m.end() + 1))
    return spans


def _unit_after(text: str, end: int) -> tuple[str | None, int]:
    table, rx = _unit_table()
    m = re.compile(r"\s*(?:[-\u2010\u2011][ \t]*)?").match(text, end)
    start = m.end() if m else end
    u = rx.match(text, start)
    if not u:
        return None, end
    if start > end and u.group(0) == "%" and re.match(r"\s*-", text[end:start]):
        return None, end
    return _lookup(table, u.group(0)), u.end()


def _currency_before(text: str, start: int) -> tuple[str | None, int]:
    table, rx = _currency_table()
    head = text[max(0, start - 40) : start]
    for m in rx.finditer(head):
        if re.fullmatch(r"[ \u00a0\u202f]*", head[m.end() :]):
            return _lookup(table, m.group(0)), start - len(head) + m.start()
    return None, start


def _absorb_duplicate(text: str, end: int, value: Decimal, lang: str) -> int:
    """ "five (5) years": the parenthesised repetition belongs to the same quantity."""
    m = re.match(r"\s*\(\s*([^()]{1,30}?)\s*\)", text[end:])
    if not m:
        return end
    inner = m.group(1)
    v = _to_decimal(inner, lang) if re.fullmatch(r"[\d.,\s]+", inner) else None
    if v is None:
        w = _word_value(inner, lang)
        v = Decimal(w) if w is not None else None
    return end + m.end() if v is not None and v == value else end


@functools.lru_cache(maxsize=4)
def _range_connectors(lang: str):
    """The regex of the words between the two ends of a range ("to", "à"), built once per language."""
    connectors = (_units().get("range_connectors") or {}).get(lang, [])
    return (
        re.compile(r"\s*(?:" + "|".join(_alias_pattern(c, folded=False) for c in connectors) + r")\s*", re.I)
        if connectors
        else None
    )


@_safe(list)
def extract_quantities(text: str, lang: str = "en") -> list[Quantity]:
    """Numbers in body text, in digits ("5 years", "3-year", "10 %", "8,754.21", "8 754,21",
    "EUR 5,043.00") and in words ("five years", "cinq ans", "two posts", "deux postes"), each with
    its canonical unit from data/units.toml when one follows (or a currency before).

    Skipped: see ``_skip_spans`` (dates, times, grades, URLs, phone numbers, "SLP 3333", list
    numbering, acronym + number), digits glued to letters (C4ISR, 3D, ordinals "1st", "2e"),
    letter-hyphen-digits (F-35, COVID-19), bare 5-8 digit identifiers with no unit (requisition
    numbers), ordinal words ("first", "deuxième"), and the number words listed in
    data/units.toml [number_words] ("one", "un", "une" count only when a unit follows)."""
    lang = _lang(lang)
    skip = _skip_spans(text)
    _, unit_rx = _unit_table()
    out: list[Quantity] = []

    for m in _NUM_FIELD.finditer(text):
        if _overlaps(m.span(), skip):
            continue
        raw = m.group(0)
        value = _to_decimal(raw, lang)
        if value is None:
            continue
        unit, end = _unit_after(text, _absorb_duplicate(text, m.end(), value, lang))
        if re.match(r"[^\W\d_]", text[m.end() : m.end() + 1]) and (unit is None or text[m.end() : end][:1].isspace()):
            continue  # glued to letters that are not a unit: 3D, 1st, 2e, 5G
        start = m.start()
        if unit is None:
            cur, cstart = _currency_before(text, m.start())
            if cur is not None:
                unit, start = cur, cstart
        if unit is None and _IDENT.match(raw):
            continue  # requisition / reference number
        out.append(Quantity(value, unit, (start, end), text[start:end], False))

    _, needs_unit = _number_word_filters()
    words = list(_word_numbers(text, lang))
    unit_spans = [m.span() for m in unit_rx.finditer(text)] if words else []  # only when needed
    for a, b, v in words:
        if _overlaps((a, b), skip) or _overlaps((a, b), unit_spans):
            continue
        value = Decimal(v)
        end = _absorb_duplicate(text, b, value, lang)
        unit, uend = _unit_after(text, end)
        if unit is None and _fold(text[a:b]) in needs_unit:
            continue
        if unit is not None:
            end = uend
        out.append(Quantity(value, unit, (a, end), text[a:end], True))

    out.sort(key=lambda q: (q.span[0], -q.span[1]))
    merged: list[Quantity] = []
    for q in out:
        if merged and q.span[0] < merged[-1].span[1]:
            continue
        merged.append(q)

    # "3 to 5 years", "3-5 ans": the first end takes the unit of the second
    conn_re = _range_connectors(lang) if len(merged) > 1 else None
    for i in range(len(merged) - 1):
        q1, q2 = merged[i], merged[i + 1]
        unit_follows = q2.words or q2.raw[:1].isdigit()  # not "X or EUR 5"
        if q1.unit is None and q2.unit is not None and unit_follows and conn_re is not None:
            if conn_re.fullmatch(text[q1.span[1] : q2.span[0]]):
                merged[i] = Quantity(q1.value, q2.unit, q1.span, q1.raw, q1.words)
    return merged


# --------------------------------------------------------------------------------------------
# language levels


@functools.lru_cache(maxsize=1)
def _language_tables():
    d = _data("languages")
    names: dict[str, str] = {}
    for roman, langs in (d.get("levels") or {}).items():
        for lg in ("en", "fr"):
            for n in langs.get(lg, []):
                names.setdefault(_norm_key(n), roman)
    keywords = [k for lg in ("en", "fr") for k in (d.get("keywords") or {}).get(lg, [])]
    slp = (d.get("slp") or {}).get("names", [])
    romans = sorted((d.get("levels") or {}).keys(), key=len, reverse=True)
    roman_alt = "|".join(re.escape(r) for r in romans) or r"(?!x)x"
    name_alt = _alternation(names).pattern
    quote = r"[\"'«»“”‘’‹›\s]*"
    named = re.compile(
        r"(?<![\w])(" + roman_alt + r")(?![\w])\s*\(" + quote + r"(" + name_alt + r")" + quote + r"\)",
        re.I,
    )
    kw_alt = _alternation({k: k for k in keywords}).pattern
    keyworded = re.compile(r"(?:" + kw_alt + r")\s+(" + roman_alt + r")(?![\w])", re.I)
    slp_alt = _alternation({k: k for k in slp}).pattern
    slp_re = re.compile(r"(?:" + slp_alt + r")\s*:?\s*(\d)[\s\-./]?(\d)[\s\-./]?(\d)[\s\-./]?(\d)(?!\d)", re.I)
    return romans, named, keyworded, slp_re


@_safe(list)
def extract_language_levels(text: str, lang: str = "en") -> list[str]:
    """NATO language levels in order of appearance: Roman numerals given with their name
    ('V ("Advanced")', 'niveau II (« élémentaire »)') or after "level"/"niveau"; and STANAG 6001
    profiles as "SLP dddd" ("SLP 3333", "SLP 3-3-3-3"). A bare "I" or "V" is not a level.
    The numeral is returned even when its name belongs to another level."""
    return [r for _, _, r in language_level_spans(text, lang)]


def language_level_spans(text: str, lang: str = "en") -> list[tuple[int, int, str]]:
    """The levels of extract_language_levels with where each is written: (start, end, level)."""
    romans, named, keyworded, slp_re = _language_tables()
    folded, idx = _fold_map(text)
    upper = {r.casefold(): r for r in romans}
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    # case-sensitive numerals: "i"/"v" in running text are not levels
    for m in named.finditer(folded):
        a, b = idx[m.start(1)], idx[m.end(1)]
        if text[a:b].isupper():
            found.append((a, b, upper[m.group(1)]))
            taken.append((a, b))
    for m in keyworded.finditer(folded):
        a, b = idx[m.start(1)], idx[m.end(1)]
        if text[a:b].isupper() and not _overlaps((a, b), taken):
            found.append((a, b, upper[m.group(1)]))
            taken.append((a, b))
    for m in slp_re.finditer(folded):
        found.append((idx[m.start()], idx[m.end()], "SLP " + "".join(m.group(i) for i in range(1, 5))))
    found.sort()
    return found
