"""data/cldr.json: the CLDR names vnlint reads instead of babel's locale data (tools/gen_cldr.py)."""

from __future__ import annotations

import json
import sys
import zoneinfo
from pathlib import Path

import babel
import pytest

from vnlint import values as V
from vnlint import wordlevel as wl
from vnlint.knowledge import cldr, data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import gen_cldr  # noqa: E402


def test_the_file_is_what_the_installed_babel_gives():
    shipped = json.loads((ROOT / "lint" / "data" / "cldr.json").read_text(encoding="utf-8"))
    if f"babel {babel.__version__};" not in shipped["_source"]:
        pytest.skip(f"cldr.json was generated with another babel ({shipped['_source']})")
    now = gen_cldr.build()
    for key in ("languages", "territories", "currencies", "months", "periods"):
        assert shipped[key] == now[key], key
    # Time zones depend on the machine's tzdata: every zone both know has the same city names.
    common = set(shipped["cities"]) & set(now["cities"])
    assert len(common) > 300
    assert all(shipped["cities"][z] == now["cities"][z] for z in common)


def test_names_come_from_the_file():
    names = wl.Names(data("names"))
    found = {(n.id, n.surface) for n in names.find("Le poste est à Bruxelles ; l'anglais est requis.", "fr")}
    assert ("city:Brussels", "Bruxelles") in found and ("lang:en", "anglais") in found
    found = {n.id for n in names.find("Fluency in German is required; based in Belgium, paid in euros.", "en")}
    assert {"lang:de", "country:BE"} <= found
    assert cldr()["cities"]["Europe/Brussels"] == {"en": "Brussels", "fr": "Bruxelles"}


def test_month_names_are_babels():
    from babel.dates import get_month_names

    for lang in ("en", "fr"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                assert V.month_names(width, context, lang) == dict(get_month_names(width, context, locale=lang))
    assert V._month_number("août") == 8 and V._month_number("Aug") == 8 and V._month_number("sept.") == 9


def test_names_and_months_read_no_babel_locale_data_or_time_zones(monkeypatch):
    """The point of the file: building the name finder and the month tables asks babel and the
    machine's time-zone database for nothing (they cost 40-60 ms a run)."""
    import babel.dates

    def refuse(*args, **kwargs):
        raise AssertionError("babel or zoneinfo was asked")

    for name in ("get_month_names", "get_period_names", "get_timezone_location"):
        monkeypatch.setattr(babel.dates, name, refuse)
    monkeypatch.setattr(babel.Locale, "parse", classmethod(refuse))
    monkeypatch.setattr(zoneinfo, "available_timezones", refuse)
    V._months.cache_clear()
    V._period_words.cache_clear()
    try:
        names = wl.Names(data("names"))
        assert names.find("Paris", "en") and V._month_number("décembre") == 12 and V._period_words()
    finally:
        V._months.cache_clear()
        V._period_words.cache_clear()
