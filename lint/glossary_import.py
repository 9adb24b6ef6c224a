"""Glossaries for the glossary-term rule (VN408): CSV and TBX files into {EN term: [FR renderings]}.

    [tool.vnlint.rules.glossary-term]
    files = ["glossary.csv", "termbase.tbx"]     # paths relative to the working directory

CSV: a header row naming the columns "en" and "fr" (also "english"/"french", "source"/"target",
"term_en"/"term_fr"); without such a header the first two columns are EN and FR. Several French
renderings go in one cell separated by "|" or ";", or on several rows with the same English term.
Lines starting with "#" are comments.

TBX (TermBase eXchange, ISO 30042, v2 "martif" and v3 "tbx"): each termEntry / conceptEntry gives
its English terms (langSet / langSec xml:lang="en", "en-GB", ...) and French terms ("fr", "fr-FR",
...); every English term of an entry maps to all its French terms. Terms whose
administrativeStatus / termStatus says "deprecated" or "forbidden" are left out of the renderings.
Documents with a DTD entity declaration are refused (no entity expansion).
"""

from __future__ import annotations

import csv
import io
import os
import re

__all__ = ["read_csv", "read_tbx", "load", "merge_into", "terms_from_table", "parse_csv", "parse_tbx"]

_EN_HEADERS = {"en", "eng", "english", "anglais", "source", "term_en", "en_term", "en-gb", "en-us", "en_gb", "en_us"}
_FR_HEADERS = {"fr", "fra", "fre", "french", "français", "francais", "target", "term_fr", "fr_term", "fr-fr", "fr_fr"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BAD_STATUS = {
    "deprecatedterm-admn-sts",
    "supersededterm-admn-sts",
    "deprecated",
    "forbidden",
    "obsolete",
    "superseded",
    "notrecommended",
    "deprecatedterm",
    "rejected",
}


def _split_cell(cell: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[|;]\s*", cell or "") if p.strip()]


def _add(out: dict[str, list[str]], en: str, frs: list[str]) -> None:
    en = re.sub(r"\s+", " ", en or "").strip()
    if not en:
        return
    bucket = out.setdefault(en, [])
    for f in frs:
        f = re.sub(r"\s+", " ", f).strip()
        if f and f not in bucket:
            bucket.append(f)
    if not bucket:
        del out[en]


def parse_csv(text: str) -> dict[str, list[str]]:
    """CSV text to {EN term: [FR renderings]}."""
    text = text.lstrip("\ufeff")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return {}
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO("\n".join(lines)), dialect))
    if not rows:
        return {}
    head = [c.strip().casefold() for c in rows[0]]
    en_i, fr_i = 0, 1
    start = 0
    if any(h in _EN_HEADERS for h in head) and any(h in _FR_HEADERS for h in head):
        en_i = next(i for i, h in enumerate(head) if h in _EN_HEADERS)
        fr_i = next(i for i, h in enumerate(head) if h in _FR_HEADERS)
        start = 1
    out: dict[str, list[str]] = {}
    for row in rows[start:]:
        if len(row) <= max(en_i, fr_i):
            continue
        _add(out, row[en_i], _split_cell(row[fr_i]))
    return out


def read_csv(path: str) -> dict[str, list[str]]:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return parse_csv(text)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang_of(el) -> str:
    lang = el.get(_XML_LANG) or el.get("lang") or el.get("xml:lang") or ""
    return lang.split("-")[0].split("_")[0].casefold()


def _status_bad(el) -> bool:
    for d in el.iter():
        if _local(d.tag) in ("termNote", "descrip", "admin") and (d.get("type") or "") in (
            "administrativeStatus",
            "termStatus",
            "normativeAuthorization",
        ):
            v = re.sub(r"[\s_]", "", (d.text or "").casefold())
            if v in _BAD_STATUS or v.startswith("deprecated") or v.startswith("superseded"):
                return True
    return False


def _terms_in(lang_el) -> list[str]:
    out = []
    # TBX v2: langSet/tig/term or langSet/ntig/termGrp/term; v3: langSec/termSec/term
    holders = [c for c in lang_el if _local(c.tag) in ("tig", "ntig", "termSec")]
    if not holders:
        holders = [lang_el]
    for h in holders:
        if h is not lang_el and _status_bad(h):
            continue
        for t in h.iter():
            if _local(t.tag) == "term":
                txt = "".join(t.itertext()).strip()
                if txt:
                    out.append(txt)
    return out


def parse_tbx(text: str | bytes) -> dict[str, list[str]]:
    """TBX XML to {EN term: [FR renderings]}. Raises ValueError on malformed XML."""
    import xml.etree.ElementTree as ET  # here, not at import: only a TBX glossary needs it (~25 ms)

    raw = text.encode("utf-8") if isinstance(text, str) else text
    if re.search(rb"<!ENTITY", raw[:65536], re.I):
        raise ValueError("TBX file declares DTD entities; refusing to expand them")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed TBX/XML: {exc}") from None
    out: dict[str, list[str]] = {}
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        en_terms: list[str] = []
        fr_terms: list[str] = []
        for ls in entry:
            if _local(ls.tag) not in ("langSet", "langSec"):
                continue
            lang = _lang_of(ls)
            if lang == "en":
                en_terms += _terms_in(ls)
            elif lang == "fr":
                fr_terms += _terms_in(ls)
        for en in en_terms:
            _add(out, en, fr_terms)
    return out


def read_tbx(path: str) -> dict[str, list[str]]:
    with open(path, "rb") as fh:
        return parse_tbx(fh.read())


def load(path: str) -> dict[str, list[str]]:
    """A glossary file by its extension: .csv/.tsv/.txt as CSV, .tbx/.xml as TBX."""
    ext = os.path.splitext(path)[1].casefold()
    if ext in (".tbx", ".xml"):
        return read_tbx(path)
    if ext in (".csv", ".tsv", ".txt", ""):
        return read_csv(path)
    raise ValueError(f"unknown glossary format {ext!r} (use .csv or .tbx)")


def merge_into(base: dict[str, list[str]], extra: dict[str, list[str]]) -> dict[str, list[str]]:
    """Add `extra` to `base` (in place): renderings of the same English term are joined."""
    index = {k.casefold(): k for k in base}
    for en, frs in extra.items():
        key = index.get(en.casefold(), en)
        index[en.casefold()] = key
        _add(base, key, list(base.get(key, [])) + list(frs))
    return base


def terms_from_table(table: dict) -> dict[str, list[str]]:
    """The glossary data file (merged with configuration) as {EN term: [FR renderings]}.

    Terms live in the [terms] table; list-valued top-level keys are accepted too, so that
    [tool.vnlint.knowledge.glossary] "widget" = ["gadget"] works.
    """
    out: dict[str, list[str]] = {}
    sources = []
    if isinstance(table.get("terms"), dict):
        sources.append(table["terms"])
    sources.append({k: v for k, v in table.items() if k != "terms"})
    for src in sources:
        for en, frs in src.items():
            if isinstance(frs, str):
                frs = [frs]
            if isinstance(frs, list):
                merge_into(out, {str(en): [str(f) for f in frs if isinstance(f, (str, int, float))]})
    return out
