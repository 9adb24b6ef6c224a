"""Style checks (VN500-VN503): data-driven cases from tests/cases/VN5xx.toml, plus unit tests.

The case harness (fictional notice, settings.model = "none", one code selected) is the one of
test_terms.py, loaded by path so that this module does not depend on how pytest imports tests.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("_vnlint_terms_harness", Path(__file__).with_name("test_terms.py"))
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)


@pytest.mark.parametrize("code,kind,case", harness.load_cases("VN5"))
def test_style_cases(code, kind, case):
    harness.check_case(code, kind, case)


def test_every_style_code_has_cases():
    from vnlint.codes import CODES

    for code in (c for c in CODES if c.startswith("VN5")):
        assert (harness.CASES / f"{code}.toml").is_file(), code


def test_doubled_word_points_at_its_line_in_a_wrapped_paragraph():
    findings, result = harness.lint_case(
        "VN501",
        {
            "en": "The incumbent plans the widget budget for the Division\nand reports to to the Head of Section.",
            "fr": "La/Le titulaire du poste planifie le budget et rend compte à la/au chef de section.",
        },
    )
    assert len(findings) == 1
    block = result.notice.en.content()[0]
    assert findings[0].line == block.line + 1
    assert findings[0].suggestion == "to"


@pytest.mark.parametrize("doubled", ["les les", "le le", "la la"])
def test_doubled_french_article_is_a_slip(doubled):
    """A doubled article is the commonest French editing slip; unlike "nous nous" it is never correct."""
    w = doubled.split()[0]
    case = {
        "en": "The incumbent advises the member countries.",
        "fr": f"La/Le titulaire conseille {doubled} pays membres."
        if w == "les"
        else f"La/Le titulaire conseille {doubled} {'comité' if w == 'le' else 'division'}.",
    }
    findings = harness.lint_case("VN501", case)[0]
    assert [f.message for f in findings] == [f"doubled word '{doubled}'"]


def test_a_run_of_repeats_is_one_finding_with_one_fix():
    """ "côtière côtière côtière côtière" is one slip: one finding over the whole run, whose fix leaves
    one word (two findings, words 1-2 and 3-4, each with a fix, and the first fix removed the run)."""
    from vnlint import fix as fx

    case = {
        "en": "The Coastal Logistics Section plans the supply routes.",
        "fr": "La Section Logistique côtière côtière côtière côtière planifie les itinéraires.",
    }
    findings, result = harness.lint_case("VN501", case)
    assert [f.message for f in findings] == ["word 'côtière' repeated 4 times in a row"]
    fixed = fx.apply_edits(result.notice.source.text, findings[0].fix.edits)
    assert "Logistique côtière planifie" in fixed
    case["fr"] = "La Section Logistique côtière côtière planifie les côtes côtes côtes."
    assert [f.message for f in harness.lint_case("VN501", case)[0]] == [
        "doubled word 'côtière côtière'",
        "word 'côtes' repeated 3 times in a row",
    ]


def test_doubled_word_whitelist_from_configuration():
    case = {"en": "They said bye bye.", "fr": "Ils ont dit au revoir au revoir."}
    assert harness.lint_case("VN501", case)[0] == []  # "bye bye" is listed; "au revoir au revoir" is not doubled
    case = {"en": "Widgets widgets everywhere.", "fr": "Des gadgets partout."}
    assert len(harness.lint_case("VN501", case)[0]) == 1
    case["knowledge"] = {"typography": {"doubled-ok": {"en": ["widgets widgets"]}}}
    assert harness.lint_case("VN501", case)[0] == []


def test_french_typography_one_finding_per_block():
    findings, _ = harness.lint_case(
        "VN502",
        {
            "en": ["Why? Because.", "Note: fine."],
            "fr": ["Pourquoi? Parce que.", "Note: bien; «ok»."],
        },
    )
    assert len(findings) == 2
    assert any(f.message.startswith("4 French typography issues") for f in findings)


def test_french_typography_minimum_option_in_data():
    case = {"en": "Why?", "fr": "Pourquoi?", "knowledge": {"typography": {"french": {"minimum": 2}}}}
    assert harness.lint_case("VN502", case)[0] == []


def test_inclusive_writing_points_at_the_minority_form():
    findings, result = harness.lint_case(
        "VN503",
        {
            "en": [
                "Candidates apply.",
                "Candidates are interviewed.",
                "Candidates are informed.",
                "The candidate is selected.",
            ],
            "fr": [
                "Les candidat(e)s postulent.",
                "Les candidat(e)s sont convoqué(e)s.",
                "Les candidat(e)s sont informé(e)s.",
                "Le candidat est sélectionné.",
            ],
        },
    )
    assert len(findings) == 1
    last = result.notice.fr.content()[3]
    assert findings[0].line == last.line
    assert "candidat(e)s" in findings[0].message


def test_collapsed_terms_names_the_english_pair():
    findings, _ = harness.lint_case(
        "VN500",
        {
            "en": "Ensure effectiveness and efficiency in widget delivery.",
            "fr": "Veille à l'efficacité et efficacité de la livraison des gadgets.",
        },
    )
    assert len(findings) == 1
    assert "effectiveness" in findings[0].message and "efficiency" in findings[0].message
