"""Every rule's documented Bad and Good examples run: Bad is reported, Good is not.

The example format is described in tests/rule_doc_harness.py. Each example is put into the
fictional clean notice (examples/clean_notice.txt) and linted with that rule's code only: without
the model for text rules, with the real default use-m3 model for the semantic rules.
"""

from __future__ import annotations

import inspect

import pytest
from click.testing import CliRunner
from rule_doc_harness import BASE, DocFormatError, Example, build, names_a_test, parse_doc

from vnlint.cli import main
from vnlint.config import Settings
from vnlint.engine import load_checks
from vnlint.runner import lint_text

RULES = load_checks()


def _lint(text: str, code: str, request) -> list:
    rule = RULES[code]
    settings = Settings()
    settings.select = {code}
    factory = None
    if rule.needs_model:
        emb = request.getfixturevalue("embedder")
        factory = lambda s: emb  # noqa: E731
    else:
        settings.model = "none"
    result = lint_text(text, settings, path="example.txt", embedder_factory=factory)
    internal = [f for f in result.findings if f.code == "VN199"]
    assert not internal, [f.message for f in internal]
    return [f for f in result.findings if f.code == code]


def _show(findings) -> str:
    return "; ".join(f"{f.line}: {f.message}" for f in findings)


@pytest.mark.parametrize("code", sorted(RULES))
def test_documented_examples_run(code, request):
    rule = RULES[code]
    doc = parse_doc(rule.source_doc)  # with its Tested: line, which users never see
    if doc.tested:
        missing = [t for t in doc.tested if not names_a_test(t)]
        assert not missing, f"{code} {rule.name}: Tested: names no test: {missing}"
    executable = doc.bad and doc.good and doc.bad.executable and doc.good.executable
    if not executable:
        assert doc.tested, (
            f"{code} {rule.name}: Bad/Good have no EN:/FR:/Example: items "
            "and no Tested: line names the tests that cover the rule"
        )
        return
    bad = _lint(build(doc.bad, rule.scope), code, request)
    good = _lint(build(doc.good, rule.scope), code, request)
    assert bad, f"{code} {rule.name}: the Bad example is not reported"
    assert not good, f"{code} {rule.name}: the Good example is reported: {_show(good)}"


def test_base_notice_is_clean_for_the_text_rules():
    settings = Settings()
    settings.model = "none"
    result = lint_text(BASE.read_text(encoding="utf-8"), settings)
    assert result.findings == []


# ------------------------------------------------------------------------------ the harness itself


DOC = inspect.cleandoc(
    """The deadline differs.

    Why: candidates apply by their own version.
    Bad: one day apart.
        EN: Application Deadline: 12-Mar-2026
        FR: Date de retrait : 13-mars-2026,
            23:59:00
    Good: a paragraph pair, and a second place.
        EN: The first paragraph.
        EN: The second paragraph.
        FR: (none)
        At: section 4, paragraph 2
        FR: Un paragraphe.
    Tested: tests/test_rule_docs.py::test_harness_parses_and_builds
    """
)


def test_harness_parses_and_builds():
    doc = parse_doc(DOC)
    assert doc.what == "The deadline differs."
    assert doc.why == "candidates apply by their own version."
    assert doc.bad.summary == "one day apart."
    assert [(c.at, c.lang, c.blocks) for c in doc.bad.changes] == [
        (None, "en", ["Application Deadline: 12-Mar-2026"]),
        (None, "fr", ["Date de retrait : 13-mars-2026, 23:59:00"]),
    ]
    assert [(c.at, c.lang, c.blocks) for c in doc.good.changes] == [
        (None, "en", ["The first paragraph.", "The second paragraph."]),
        (None, "fr", []),
        ("section 4, paragraph 2", "fr", ["Un paragraphe."]),
    ]
    assert doc.tested == ["tests/test_rule_docs.py::test_harness_parses_and_builds"]
    assert names_a_test(doc.tested[0])
    assert not names_a_test("tests/test_rule_docs.py::test_no_such_test")

    base = BASE.read_text(encoding="utf-8").split("\n")
    bad = build(doc.bad, "field").split("\n")
    assert len(bad) == len(base)
    changed = [i for i, (a, b) in enumerate(zip(base, bad)) if a != b]
    assert [bad[i] for i in changed] == [
        "Application Deadline: 12-Mar-2026",
        "Date de retrait : 13-mars-2026, 23:59:00",
    ]
    assert base[changed[0]].startswith("Application Deadline:") and base[changed[1]].startswith("Date de retrait")

    good = build(doc.good, "block")
    from vnlint.source import source_from_bytes
    from vnlint.split import split

    n = split(source_from_bytes("x", good.encode()))
    en1 = [b.clean for b in n.en.section("1").content()]
    fr1 = [b.clean for b in n.fr.section("1").content()]
    assert en1[:2] == ["The first paragraph.", "The second paragraph."] and len(en1) == 4
    assert len(fr1) == 2 and fr1[0].startswith("Au sein de la DED")
    assert [b.clean for b in n.fr.section("4").content()][1] == "Un paragraphe."


@pytest.mark.parametrize(
    "doc, needle",
    [
        ("What.\n\nWhy: w.\nBad: b.\n    EN: x\n  stray line\nGood: g.", "not an EN:/FR:/At:/Example: item"),
        ("What.\n\nWhy: w.\nBad: b.\n    EN:\nGood: g.", "is empty"),
        ("What.\n\nWhy: w.\nBad: b.\n    Example: fixture.txt\nGood: g.", "must be 'file PATH'"),
    ],
)
def test_harness_rejects_malformed_examples(doc, needle):
    with pytest.raises(DocFormatError, match=needle):
        parse_doc(doc)


def test_harness_rejects_an_unknown_place():
    ex = Example("Bad", changes=parse_doc("W.\n\nWhy: w.\nBad: b.\n    At: footer\n    EN: x\nGood: g.").bad.changes)
    with pytest.raises(DocFormatError, match="footer"):
        build(ex, "block")


# ------------------------------------------------------------------------------ engine-level rules


def test_a_failing_check_is_reported_as_internal_error(monkeypatch):
    """VN199: a check that raises becomes one internal-error finding and the other checks still run."""
    rules = load_checks()
    grade = next(r for r in rules.values() if r.name == "grade-mismatch")

    def broken(subject, ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setattr(grade, "func", broken)
    text = BASE.read_text(encoding="utf-8").replace("Date de retrait : 25-août-2026", "Date de retrait : 26-août-2026")
    settings = Settings()
    settings.model = "none"
    settings.select = {"VN203", "VN208", "VN199"}
    findings = lint_text(text, settings).findings
    assert [f.code for f in findings].count("VN199") >= 1
    assert any(f.code == "VN199" and "grade-mismatch" in f.message and "boom" in f.message for f in findings)
    assert [f.code for f in findings if f.code != "VN199"] == ["VN203"]


# ------------------------------------------------------------------------------ the CLI


def _invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_rules_docs_prints_every_docstring():
    for flag in ("--docs", "-v"):
        res = _invoke("rules", flag)
        assert res.exit_code == 0, res.output
        out = res.output
        for code, rule in sorted(RULES.items()):
            assert f"{code}  {rule.name}" in out
            doc = parse_doc(rule.doc)
            assert doc.why and doc.bad and doc.good, code
            for line in rule.doc.splitlines():
                assert line.rstrip() in out, (code, line)
            for part in ("Why:", "Bad:", "Good:"):
                assert part in rule.doc
        # in code order, each rule once
        positions = [out.index(f"{code}  {RULES[code].name}") for code in sorted(RULES)]
        assert positions == sorted(positions)
    plain = _invoke("rules").output.splitlines()
    assert len(plain) == len(RULES)  # the default listing is unchanged: one line a rule


@pytest.mark.parametrize("code", sorted(RULES))
def test_explain_works_for_every_code(code):
    rule = RULES[code]
    for sel in (code, rule.name):
        res = _invoke("explain", sel)
        assert res.exit_code == 0, res.output
        assert res.output.startswith(f"{code} {rule.name} (")
        assert rule.doc in res.output
