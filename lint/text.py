"""Text primitives: bullet markers, sentence ends, quoting, URLs, e-mail addresses and phone numbers.

The one home of these patterns: the reader (reflow), the model's clean text, the locator and the
checks all use the same ones, so that what one calls a bullet, the others strip as one. Pure text
processing; nothing here raises on odd input.
"""

from __future__ import annotations

import re
from typing import Optional
from urllib.parse import parse_qsl, urlencode, urlsplit

# ------------------------------------------------------------------ bullets

# A bullet's marker: a dash, a bullet sign or arrow followed by a space, or Word's "o" before a
# lower-case word. Numbered items ("1. ...") are not bullets: "1. Summary" is a section heading.
BULLET = re.compile(r"^\s*(?:[-\u2022\u2023\u25aa\u25cf\u00b7\u2013\u2014*\uf0b7\u27a2\u2043](?=\s)|o(?=\s+[a-z]))")
BULLET_MARK = re.compile(BULLET.pattern + r"\s*")  # the marker with the spaces after it


def strip_bullet(text: str) -> str:
    """`text` without its bullet marker (unchanged when it has none): "\u27a2 item" -> "item"."""
    return BULLET_MARK.sub("", text, count=1)


# ------------------------------------------------------------------ sentence ends

TERMINAL = tuple(".!?:;\u2026")
_CLOSERS = "\u00bb\"')]*\u2019\u201d"


def ends_sentence(text: str) -> bool:
    """Whether `text` ends a sentence (closing quotes and brackets after the stop allowed)."""
    t = text.rstrip().rstrip(_CLOSERS).rstrip()
    return t.endswith(TERMINAL)


# ------------------------------------------------------------------ quoting


def quote(text: str, limit: int = 60) -> str:
    """`text` on one line, cut to `limit` characters at its end ("The incumbent will\u2026"): a message
    shows where a passage starts, the words a reader looks for."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# ------------------------------------------------------------------ URLs, e-mail addresses, phones

URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>()\[\]\"'«»]+(?:\([^\s()]*\)[^\s<>()\[\]\"'«»]*)*", re.I)
EMAIL_RE = re.compile(r"(?<![\w.+-])(?:mailto:)?([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)\d[\d \u00a0().\-/]{6,}\d(?![\d])")
MD_LINK_RE = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")  # no bracket inside: linear in the number of "["
_TRAIL = ".,;:!?)»\"'’"

# Where a URL says its language: /en/ path segments, -en.pdf file names, lang=en queries.
_LANG_CODES = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "french": "fr",
    "francais": "fr",
    "français": "fr",
}
_LANG_QUERY_KEYS = {"lang", "language", "hl", "locale", "lng", "ln"}
_PATH_SEG = re.compile(r"(?<=/)(en|eng|english|fr|fra|fre|french|francais|français)(?=/)", re.I)
_FILE_SUFFIX = re.compile(r"([-_.])(en|fr|eng|fra|e|f)(\.[A-Za-z0-9]{2,5})$", re.I)


def strip_url(url: str) -> str:
    url = url.strip()
    while url and url[-1] in _TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def urls_in(text: str) -> list[str]:
    """URL targets in raw block text: bare and autolinked URLs and markdown link targets
    (placeholders such as "#" are left out)."""
    out = []
    for m in URL_RE.finditer(text):
        u = strip_url(m.group(0))
        if u:
            out.append(u)
    for m in MD_LINK_RE.finditer(text):
        target = m.group(2).strip("<>")
        if target and not target.startswith("#") and not URL_RE.match(target) and "@" not in target:
            if "." in target or "/" in target:
                out.append(strip_url(target))
    return out


def url_lang(url: str) -> Optional[str]:
    """The language a URL names in its path, file name or query ("en", "fr"), if any."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return None
    m = _PATH_SEG.search(parts.path + "/")
    if m:
        return _LANG_CODES.get(m.group(1).lower())
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in _LANG_QUERY_KEYS:
            code = v.lower().split("-")[0].split("_")[0]
            if code in _LANG_CODES:
                return _LANG_CODES[code]
    m = re.search(r"[-_.](en|fr|eng|fra)\.[A-Za-z0-9]{2,5}$", parts.path, re.I)
    if m:
        return _LANG_CODES.get(m.group(1).lower())
    return None


def normalise_url(url: str) -> str:
    """A URL's target with scheme, "www.", trailing slash and language slots taken out, so that
    the EN and FR variants of one page compare equal (/cps/en/ = /cps/fr/, -en.pdf = -fr.pdf,
    lang=en = lang=fr, recruit-e.htm = recruit-f.htm)."""
    url = strip_url(url)
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:
        return url.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path = _PATH_SEG.sub("{lang}", parts.path)
    path = _FILE_SUFFIX.sub(lambda m: m.group(1) + "{lang}" + m.group(3).lower(), path)
    path = path.rstrip("/")
    query = []
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if k.lower() in _LANG_QUERY_KEYS:
            v = "{lang}"
        query.append((k, v))
    q = urlencode(sorted(query))
    return host + path + ("?" + q if q else "")


def emails_in(text: str) -> list[str]:
    return [m.group(1) for m in EMAIL_RE.finditer(text)]


def phones_in(text: str) -> list[str]:
    out = []
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if m.group(0).startswith("00"):
            digits = digits[2:]
        if 8 <= len(digits) <= 15:
            out.append(m.group(0).strip())
    return out


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("00"):
        digits = digits[2:]
    # "(0)" trunk prefix after the country code: +32 (0)2 707 41 11 = +32 2 707 41 11
    if re.search(r"\(0\)", phone):
        m = re.match(r"\s*(?:\+|00)(\d{1,3})", phone)
        if m:
            cc = m.group(1)
            rest = digits[len(cc) :]
            if rest.startswith("0"):
                digits = cc + rest[1:]
    return digits


def mask_spans(text: str) -> str:
    """Text with URLs, e-mail addresses and markdown link targets blanked (same length), so that
    what is inside them is not read as words or acronyms."""

    def blank(m: re.Match) -> str:
        return " " * len(m.group(0))

    text = MD_LINK_RE.sub(lambda m: "[" + m.group(1) + "]" + " " * (len(m.group(2)) + 2), text)
    text = URL_RE.sub(blank, text)
    text = EMAIL_RE.sub(blank, text)
    return text
