"""Language knowledge loaded from the TOML data files in vnlint/data, extended by configuration."""

from __future__ import annotations

import copy
import functools
import re
import sys
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    with (resources.files("vnlint") / "data" / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def data(name: str) -> dict:
    """A copy of data file `name`.toml (safe to extend)."""
    return copy.deepcopy(_load(name))


def merge(base: dict, extra: dict) -> dict:
    """Extend `base` with `extra`: lists are concatenated, tables merged, scalars replaced."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + [v for v in value if v not in out[key]]
        else:
            out[key] = copy.deepcopy(value)
    return out


@functools.lru_cache(maxsize=None)
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a string (for matching labels and terms)."""
    if text.isascii():  # nothing to decompose: the same result, without a pass per character
        return " ".join(text.casefold().split())
    import unicodedata

    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    # the combining marks, found among the distinct characters (not a Python test per character)
    marks = {ord(c): None for c in set(text) if not c.isascii() and unicodedata.combining(c)}
    return re.sub(r"\s+", " ", text.translate(marks).casefold()).strip()


@functools.lru_cache(maxsize=8)
def stopwords(lang: str) -> frozenset:
    """The function words of `lang` (data/stopwords.toml), case-folded."""
    try:
        return frozenset(w.casefold() for w in data("stopwords").get(lang, []))
    except Exception:  # pragma: no cover - data file missing
        return frozenset()


@functools.lru_cache(maxsize=1)
def cldr() -> dict:
    """The CLDR names vnlint reads (data/cldr.json, written from babel by tools/gen_cldr.py):
    "languages", "territories" and "currencies" (per language, code -> name), "cities" (time zone ->
    {language: exemplar city}), "months" and "periods" (per language, width and context, as babel's
    get_month_names / get_period_names give them). Read-only: do not modify what it returns."""
    import json

    with (resources.files("vnlint") / "data" / "cldr.json").open("rb") as fh:
        return json.load(fh)
