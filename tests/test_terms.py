"""Terms checks (VN400-VN408): data-driven cases from tests/cases/VN4xx.toml, plus unit tests.

Every case builds a small fictional notice (header, section 1 with the given paragraphs, in both
languages), lints it with settings.model = "none" (structural 1:1 paragraph alignment) and selects
only the code under test. `[[flag]]` cases must produce a finding, `[[pass]]` cases none.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vnlint.config import Settings
from vnlint.runner import lint_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = Path(__file__).resolve().parent / "cases"

EN_HEAD = """Officer, Widget Coordination (1 post) (990001)

Primary Location: Belgium-Brussels
NATO Body: NATO International Staff (NATO IS)
Schedule: Full-time
Application Deadline: 01-Mar-2031
Salary (Pay Basis): 6,000.00Euro (EUR) Monthly
Grade: NATO Grade G15
Clearance Level: NS
Description

1. SUMMARY
"""

FR_HEAD = """Administratrice/Administrateur (coordination des gadgets) (1 poste) (990001)

Emplacement principal : Belgique-Bruxelles

Organisation : OTAN SI

Horaire : Temps plein

Date de retrait : 01-mars-2031

Salaire (Base de paie) : 6 000,00Euro (EUR) Mensuelle

Grade : NATO Grade G15

Niveau de l'habilitation de sécurité : NS

Description

1. RÉSUMÉ
"""


def notice_text(en, fr) -> str:
    """A fictional bilingual notice whose section 1 holds the given paragraphs."""
    en = [en] if isinstance(en, str) else list(en)
    fr = [fr] if isinstance(fr, str) else list(fr)
    return EN_HEAD + "\n" + "\n\n".join(en) + "\n\n" + FR_HEAD + "\n" + "\n\n".join(fr) + "\n"


def lint_case(code: str, case: dict):
    """Findings of `code` for one case dict (en, fr, options, knowledge)."""
    from vnlint.codes import CODES

    s = Settings()
    s.model = "none"
    s.select = {code}
    if case.get("options"):
        s.rule_options[CODES[code].name] = dict(case["options"])
    for name, ext in (case.get("knowledge") or {}).items():
        s.knowledge_ext[name] = ext
    result = lint_text(notice_text(case["en"], case["fr"]), s)
    assert result.error is None
    internal = [f for f in result.findings if f.code == "VN199"]
    assert not internal, internal
    return [f for f in result.findings if f.code == code], result


def load_cases(prefix: str):
    out = []
    for path in sorted(CASES.glob(f"{prefix}*.toml")):
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
        code = doc.get("code", path.stem)
        for kind in ("flag", "pass"):
            for i, case in enumerate(doc.get(kind, [])):
                name = case.get("name", f"{kind}-{i}")
                out.append(pytest.param(code, kind, case, id=f"{code}-{kind}-{name}"))
    return out


def check_case(code: str, kind: str, case: dict) -> None:
    findings, result = lint_case(code, case)
    shown = [f"{f.line}: {f.message}" for f in findings]
    if kind == "pass":
        assert not findings, shown
        return
    assert findings, f"expected a {code} finding"
    if "count" in case:
        assert len(findings) == case["count"], shown
    if "message" in case:
        assert any(case["message"] in f.message for f in findings), shown
    if "lang" in case:
        assert any(f.lang == case["lang"] for f in findings), shown
    # A finding points at a line of the side it names.
    half = {"en": result.notice.en, "fr": result.notice.fr}
    for f in findings:
        if f.lang in half and half[f.lang] is not None:
            h = half[f.lang]
            assert h.line <= f.line <= h.end_line, (f.line, h.line, h.end_line)


@pytest.mark.parametrize("code,kind,case", load_cases("VN4"))
def test_terms_cases(code, kind, case):
    check_case(code, kind, case)


def test_every_terms_code_has_cases():
    from vnlint.codes import CODES

    for code in (c for c in CODES if c.startswith("VN4")):
        path = CASES / f"{code}.toml"
        assert path.is_file(), code
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        assert doc.get("flag") and doc.get("pass"), code


# ------------------------------------------------------------------ unit tests of the helpers


def test_normalise_url_language_variants():
    from vnlint.text import normalise_url

    assert normalise_url("http://www.nato.int/cps/en/natolive/x.htm") == normalise_url(
        "https://nato.int/cps/fr/natolive/x.htm."
    )
    assert normalise_url("https://e.org/a/guide-en.pdf") == normalise_url("https://e.org/a/guide-fr.pdf")
    assert normalise_url("https://e.org/s.ftl?lang=en&x=1") == normalise_url("https://e.org/s.ftl?x=1&lang=fr")
    assert normalise_url("https://e.org/a/1.htm") != normalise_url("https://e.org/a/2.htm")
    # path case matters (video identifiers), host case does not
    assert normalise_url("https://E.org/watch?v=AbC") != normalise_url("https://e.org/watch?v=abc")


def test_url_lang():
    from vnlint.text import url_lang

    assert url_lang("https://www.nato.int/cps/en/natolive/12345.htm") == "en"
    assert url_lang("https://e.org/doc/update-en.pdf") == "en"
    assert url_lang("https://e.org/s.ftl?lang=fr") == "fr"
    assert url_lang("https://e.org/recruitment") is None


def test_acronym_shape():
    from vnlint.acronyms import acronym_shape, norm

    for tok in ("NATO", "CyOC", "WSec", "M&E", "NMAs", "C4ISR"):
        assert acronym_shape(tok), tok
    for tok in ("II", "VI", "G20", "Chat", "ChatGPT", "the", "Incident", "A"):
        assert not acronym_shape(tok), tok
    assert norm("NMAs") == "NMA" and norm("WSec") == "WSEC"


def test_definitions_and_native():
    from vnlint.acronyms import definitions_in, native

    defs = definitions_in("Within the Division, the Widget Policy and Planning Committee (WPPC) meets.")
    assert defs[0][1] == "WPPC"
    assert native("WPPC", defs[0][2], "en")
    assert not native("WPDC", "Comité de la politique et des plans relatifs aux gadgets", "fr")


def test_term_matching_tolerance():
    from vnlint.knowledge import fold
    from vnlint.termmatch import contains_loosely, contains_term

    assert contains_term(fold("la gestion de l’incident"), "gestion des incidents", "fr")
    assert contains_term(fold("un contrat d'une durée déterminée"), "contrat de durée déterminée", "fr")
    assert contains_term(fold("Organizational Awareness"), "Organisational Awareness", "en")
    assert not contains_term(fold("gestion des risques"), "gestion des incidents", "fr")
    assert contains_loosely(
        fold("le développement et le renforcement de ses capacités"), "développement des capacités", "fr"
    )


def test_line_at_in_wrapped_paragraph():
    """A finding about one word of a hard-wrapped paragraph points at that word's line."""
    from vnlint.locate import line_at
    from vnlint.source import source_from_bytes
    from vnlint.split import split

    text = notice_text(
        ["The team works with many partners across the Alliance\nand with the QZX on every widget matter."],
        ["L'équipe travaille avec de nombreux partenaires."],
    )
    notice = split(source_from_bytes("x.txt", text.encode()))
    block = next(b for b in notice.en.content() if "QZX" in b.clean)
    assert block.end_line == block.line + 1
    assert line_at(notice, block, block.clean.index("QZX")) == block.line + 1
    assert line_at(notice, block, 0) == block.line


def test_acronym_introduced_points_at_first_use_and_other_side():
    findings, result = lint_case(
        "VN400",
        {
            "en": ["The widget team meets weekly.", "The team reports monthly."],
            "fr": ["L'équipe des gadgets se réunit chaque semaine.", "L'équipe (EQG) rend compte chaque mois à l'EQG."],
        },
    )
    assert len(findings) == 1
    f = findings[0]
    assert f.lang == "fr" and "used 2 times" in f.message
    second_fr = result.notice.fr.content()[1]
    assert f.line == second_fr.line
    assert f.related and f.related[0].lang == "en"


def test_misspelt_reported_once_for_both_sides():
    findings, _ = lint_case(
        "VN402",
        {
            "en": "Work with the Joint Widget and Security Division (JWSD).",
            "fr": "Travaille avec la Division Gadgets et sécurité (JWS).",
        },
    )
    assert len(findings) == 1
    intro, _ = lint_case(
        "VN400",
        {
            "en": "Work with the Joint Widget and Security Division (JWSD).",
            "fr": "Travaille avec la Division Gadgets et sécurité (JWS).",
        },
    )
    assert intro == []  # explained as a misspelling, not as two introduced acronyms


def test_glossary_files_option(tmp_path, monkeypatch):
    (tmp_path / "g.csv").write_text("en,fr\nwidget factory,usine à gadgets\n", encoding="utf-8")
    (tmp_path / "t.tbx").write_text(
        '<?xml version="1.0"?><martif type="TBX"><text><body><termEntry>'
        '<langSet xml:lang="en"><tig><term>sprocket hub</term></tig></langSet>'
        '<langSet xml:lang="fr"><tig><term>moyeu de pignon</term></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    case = {
        "en": "The widget factory builds the sprocket hub.",
        "fr": "La fabrique de bidules construit la roue.",
        "options": {"files": ["g.csv", "t.tbx"]},
    }
    findings, _ = lint_case("VN408", case)
    assert {m for f in findings for m in ("widget factory", "sprocket hub") if m in f.message} == {
        "widget factory",
        "sprocket hub",
    }
    case["fr"] = "L'usine à gadgets construit le moyeu de pignon."
    assert lint_case("VN408", case)[0] == []


def test_glossary_unreadable_file_is_reported_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    findings, _ = lint_case(
        "VN408", {"en": ["One.", "Two."], "fr": ["Un.", "Deux."], "options": {"files": ["missing.csv"]}}
    )
    assert len(findings) == 1 and "missing.csv" in findings[0].message


def test_glossary_has_enough_terms():
    from vnlint import glossary_import as gi
    from vnlint.knowledge import data

    terms = gi.terms_from_table(data("glossary"))
    assert len(terms) >= 30
    assert "gestion des incidents" in terms["incident management"]
    assert all(isinstance(v, list) and v for v in terms.values())


def test_rules_survive_a_notice_without_french_half():
    s = Settings()
    s.model = "none"
    s.select = {c for c in __import__("vnlint.codes", fromlist=["CODES"]).CODES if c[:3] in ("VN4", "VN5")}
    text = EN_HEAD + "\nThe QZX team works on 5 widgets (https://e.org/en/x) the the end.\n"
    result = lint_text(text, s)
    assert not [f for f in result.findings if f.code == "VN199"]


def test_docstrings_have_the_required_parts():
    from vnlint.engine import load_checks

    rules = load_checks()
    for code, r in rules.items():
        if code[:3] not in ("VN4", "VN5"):
            continue
        doc = r.doc
        assert doc.splitlines()[0].strip(), code
        for part in ("Why:", "Bad:", "Good:"):
            assert part in doc, (code, part)
        assert not r.needs_model, code
