"""Field and title checks: what they must flag and what they must not (legitimate differences)."""

from __future__ import annotations

import pytest

from notice_factory import EN_HEADER, FR_HEADER, notice, with_header, wrapped
from vnlint.config import Settings
from vnlint.runner import lint_text


def findings(text, select=("fields", "structure")):
    s = Settings()
    s.model = "none"
    from vnlint.codes import resolve

    s.select = {c.code for sel in select for c in resolve(sel)}
    return lint_text(text, s).findings


def codes(text):
    return sorted(f.code for f in findings(text))


def test_clean_notice_has_no_field_findings_in_both_layouts():
    assert codes(notice()) == []
    assert codes(wrapped(notice())) == []


@pytest.mark.parametrize(
    "side,key,value",
    [
        ("fr", "deadline", "Date de retrait : 14-mars-2026, 11:59:00 PM"),
        ("fr", "deadline", "Date de retrait : 14-mars-2026 23:59"),
        ("fr", "salary", "Salaire (Base de paie) : 7540,44 € par mois"),
        ("fr", "clearance", "Niveau de l'habilitation de sécurité : CTS"),
        ("en", "clearance", "Clearance Level: COSMIC TOP SECRET"),
        ("fr", "location", "Emplacement principal : Bruxelles (Belgique)"),
        ("fr", "body", "Organisation : Secrétariat international de l'OTAN"),
        ("fr", "grade", "Grade : G17"),
    ],
)
def test_legitimate_differences_stay_quiet(side, key, value):
    en = with_header(EN_HEADER, **({key: value} if side == "en" else {}))
    fr = with_header(FR_HEADER, **({key: value} if side == "fr" else {}))
    assert codes(notice(en, fr)) == []


@pytest.mark.parametrize(
    "key,value,code",
    [
        ("deadline", "Date de retrait : 15-mars-2026, 23:59:00", "VN203"),
        ("deadline", "Date de retrait : 14-mars-2026, 12:00:00", "VN204"),
        ("deadline", "Date de retrait : 14-Mar-2026, 23:59:00", "VN213"),
        ("salary", "Salaire (Base de paie) : 7 450,44Euro (EUR) Mensuelle", "VN205"),
        ("salary", "Salaire (Base de paie) : 7 540,44 USD Mensuelle", "VN206"),
        ("salary", "Salaire (Base de paie) : 7 540,44Euro (EUR) Annuelle", "VN207"),
        ("grade", "Grade : NATO Grade G18", "VN208"),
        ("clearance", "Niveau de l'habilitation de sécurité : NS", "VN209"),
        ("location", "Emplacement principal : Belgique-Mons", "VN210"),
        ("schedule", "Horaire : Temps partiel", "VN211"),
        ("body", "Organisation : OTAN EMI", "VN214"),
        ("deadline", "Date de retrait : 31-févr.-2026", "VN212"),
        ("title", "Administratrice/Administrateur (planification logistique côtière) (2 postes) (260471)", "VN200"),
        ("title", "Administratrice/Administrateur (planification logistique côtière) (3 postes) (260417)", "VN201"),
    ],
)
def test_field_defects_are_flagged_on_the_french_line(key, value, code):
    text = notice(fr_header=with_header(FR_HEADER, **{key: value}))
    found = findings(text)
    assert [f.code for f in found] == [code], found
    f = found[0]
    lines = text.splitlines()
    assert lines[f.line - 1] == value, "the finding points at the French value"
    assert f.lang == "fr"
    assert f.related and lines[f.related[0].line - 1] == (EN_HEADER[key] if key != "title" else EN_HEADER["title"])


def test_missing_field_is_reported_with_the_english_line():
    fr = with_header(FR_HEADER, schedule="")
    found = findings(notice(fr_header=fr))
    assert [f.code for f in found] == ["VN115"]
    assert "schedule" in found[0].message
    assert found[0].lang == "fr" and found[0].related[0].lang == "en"


def test_posts_per_grade_split_on_one_side_only():
    fr = with_header(FR_HEADER, title="Administratrice/Administrateur (fonds CAP (1 poste) ou DCB (1 poste)) (260417)")
    assert "VN202" in codes(notice(fr_header=fr))
