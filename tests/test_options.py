"""Issue 13, items 1-4: one declaration per rule option, unknown keys are errors, docs list the
options (and no test references), problem names come from the code table."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint import engine
from vnlint.cli import main
from vnlint.codes import BY_NAME, CODES
from vnlint.config import ConfigError, Settings, parse
from vnlint.engine import Context, Option, load_checks, rule_options

ROOT = Path(__file__).resolve().parent.parent
RULES = load_checks()
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ----------------------------------------------------------------------------- 1. one declaration


def test_every_option_is_declared_once_with_a_default_and_a_doc():
    for code, r in RULES.items():
        for name, o in r.options.items():
            assert isinstance(o, Option), (code, name)
            assert KEBAB.fullmatch(name), (code, name)
            assert o.doc.strip() and "\n" not in o.doc, (code, name)


def test_checks_read_options_only_through_the_context_without_fallbacks():
    """No `ctx.opt(name, default)`, no second reader of options, no DEFAULTS table."""
    import vnlint.paragraph_align as sem

    assert not hasattr(sem, "DEFAULTS") and not hasattr(sem, "options")
    for path in sorted((ROOT / "checks").glob("*.py")) + sorted((ROOT / "lint").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "opt":
                assert len(node.args) == 1 and not node.keywords, f"{path.name}:{node.lineno}: ctx.opt with a fallback"
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "rule_options"
                and path.name not in ("config.py", "engine.py", "resultcache.py")
            ):
                raise AssertionError(f"{path.name}:{node.lineno}: reads settings.rule_options directly")
        for m in re.finditer(
            r'(?:ctx\.opt|rule_options\([^)]*\))\(?\["?"([a-z_-]+)"', path.read_text(encoding="utf-8")
        ):
            assert "_" not in m.group(1), f"{path.name}: option {m.group(1)!r} is not kebab-case"


def test_every_option_read_by_a_check_is_declared():
    """Every `ctx.opt("x")` of a module names an option some rule of that module declares, and every
    `rule_options(..., "rule")["x"]` an option of that rule."""
    by_module: dict[str, set] = {}
    for r in RULES.values():
        by_module.setdefault(r.func.__module__.rsplit(".", 1)[-1], set()).update(r.options)
    for path in sorted((ROOT / "checks").glob("*.py")) + [ROOT / "lint" / "paragraph_align.py"]:
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r'ctx\.opt\("([^"]+)"\)', text):
            assert name in by_module.get(path.stem, set()), (path.name, name)
        for var, rname in re.findall(r'(\w+) = (?:options|rule_options)\([^,]+, "([a-z-]+)"\)', text):
            declared = RULES[BY_NAME[rname].code].options
            for name in re.findall(rf'\b{var}\["([^"]+)"\]', text):
                assert name in declared or any(
                    name in RULES[BY_NAME[n].code].options for n in BY_NAME if BY_NAME[n].code in RULES
                ), (path.name, rname, name)
        for rname, name in re.findall(r'(?:options|rule_options)\([^,]+, "([a-z-]+)"\)\["([^"]+)"\]', text):
            assert name in RULES[BY_NAME[rname].code].options, (path.name, rname, name)


def test_rule_options_merges_declared_defaults_with_settings():
    s = Settings()
    assert rule_options(s, "low-similarity")["z"] == -2.5
    s.rule_options = {"low-similarity": {"z": -4.0}}
    got = rule_options(s, "low-similarity")
    assert got["z"] == -4.0 and got["max-raw"] == 0.30
    assert rule_options(s, "low-similarity") is not got  # a copy: callers cannot change the defaults
    assert RULES[BY_NAME["low-similarity"].code].options["z"].default == -2.5


def test_context_opt_has_no_fallback_and_rejects_undeclared_names():
    r = RULES[BY_NAME["low-similarity"].code]
    ctx = Context(notice=None, alignment=None, settings=Settings(), rule=r)
    assert ctx.opt("min-words") == 6
    with pytest.raises(KeyError):
        ctx.opt("min_words")
    with pytest.raises(TypeError):
        ctx.opt("min-words", 6)


def test_an_option_must_be_declared_kebab_case():
    with pytest.raises(TypeError):
        engine.rule("doubled-word", options={"min_words": Option(1, "x")})
    with pytest.raises(TypeError):
        engine.rule("doubled-word", options={"min-words": 1})


def test_a_configured_option_changes_what_a_check_sees():
    """[tool.vnlint.rules.paragraph-missing] min-words is read (it was silently ignored before)."""
    s = parse({"rules": {"paragraph-missing": {"min-words": 100}}}, "t.toml")
    assert rule_options(s, "paragraph-missing")["min-words"] == 100
    ctx = Context(notice=None, alignment=None, settings=s, rule=RULES[BY_NAME["paragraph-missing"].code])
    assert ctx.opt("min-words") == 100


# ----------------------------------------------------------------------------- 2. unknown keys


@pytest.mark.parametrize(
    "table, expect",
    [
        (
            {"rules": {"paragraph-missing": {"min_words": 100}}},
            [
                "rules.paragraph-missing: unknown option 'min_words'",
                "did you mean 'min-words'?",
                "known: ",
                "min-words",
            ],
        ),
        ({"rules": {"low-similarity": {"zz": -3.0}}}, ["unknown option 'zz'", "known: min-words, z, max-raw"]),
        ({"rules": {"empty-notice": {"x": 1}}}, ["unknown option 'x'", "empty-notice has no options"]),
        ({"rules": {"acronym-misspelt": {"case_sensitive": True}}}, ["did you mean 'case-sensitive'?"]),
        ({"rules": {"low-similarity": {"z": "low"}}}, ["rules.low-similarity.z must be a number"]),
        (
            {"knowledge": {"acronyms": {"pair": [["A", "B"]]}}},
            ["knowledge.acronyms: unknown key 'pair'", "known: pairs"],
        ),
        ({"selct": ["VN2"]}, ["unknown key 'selct'"]),
        ({"rules": {"nosuch": {}}}, ["unknown rule 'nosuch'"]),
    ],
)
def test_unknown_keys_are_errors_at_every_level(table, expect):
    with pytest.raises(ConfigError) as info:
        parse(table, "t.toml")
    msg = str(info.value)
    assert "\n" not in msg
    for part in expect:
        assert part in msg, msg


def test_unknown_option_is_a_one_line_usage_error(tmp_path):
    cfg = tmp_path / "vnlint.toml"
    cfg.write_text("[rules.paragraph-missing]\nmin_words = 100\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["--config", str(cfg), str(ROOT / "examples" / "clean_notice.txt")])
    assert res.exit_code == 2
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "did you mean 'min-words'?" in lines[0], res.output


def test_declared_options_and_knowledge_extensions_are_accepted():
    s = parse(
        {
            "rules": {name: r.defaults for r in RULES.values() for name in [r.name] if r.options},
            "knowledge": {"glossary": {"terms": {"widget": {"fr": ["gadget"]}}}},
        },
        "t.toml",
    )
    assert s.rule_options["low-similarity"]["z"] == -2.5


# ----------------------------------------------------------------------------- 3. documentation


@pytest.mark.parametrize("code", sorted(c for c, r in RULES.items() if r.options))
def test_explain_lists_the_options_with_defaults(code):
    r = RULES[code]
    out = _invoke("explain", code).output
    assert f"Options ([tool.vnlint.rules.{r.name}]):" in out
    for name, o in r.options.items():
        assert f"  {name} = {engine._toml(o.default)}  # {o.doc}" in out
    docs = _invoke("rules", "--docs").output
    assert f"    {name} = {engine._toml(o.default)}  # {o.doc}" in docs
    j = {x["code"]: x for x in json.loads(_invoke("rules", "--format", "json", "--docs").output)}
    assert j[code]["options"] == {n: {"default": o.default, "doc": o.doc} for n, o in r.options.items()}


def test_user_facing_docs_hold_no_test_references():
    tested = [code for code, r in RULES.items() if "Tested:" in r.source_doc]
    assert tested  # the harness still reads them
    for code, r in RULES.items():
        assert "Tested:" not in r.doc, code
    assert "Tested:" not in _invoke("rules", "--docs").output
    assert "Tested:" not in _invoke("rules", "--docs", "--format", "markdown").output
    for code in tested:
        assert "Tested:" not in _invoke("explain", code).output
    from vnlint.report.sarif import _rule_descriptor as _rule

    for code in tested:
        assert "Tested:" not in json.dumps(_rule(CODES[code], RULES[code])), code


def _readme_table(header: str) -> list[list[str]]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(header)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


def test_readme_rules_table_matches_vnlint_rules():
    printed = [line.split()[:4] for line in _invoke("rules").output.splitlines()]
    table = [row[:4] for row in _readme_table("| code | name | scope | severity | summary |")]
    assert table == printed


def test_readme_options_table_matches_the_declarations():
    declared = [
        [f"{code} {r.name}", f"`{name}`", f"`{engine._toml(o.default)}`", o.doc]
        for code, r in sorted(RULES.items())
        for name, o in r.options.items()
    ]
    assert _readme_table("| rule | option | default | meaning |") == declared


def test_option_names_in_the_readme_are_declared():
    """Every backquoted kebab-case word the README gives as an option of a rule is one it declares."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    every = {name for r in RULES.values() for name in r.options}
    for m in re.finditer(r"[Oo]ptions? \(?`([a-z_-]+)`((?:,? (?:and )?`[a-z_-]+`)*)", text):
        for name in [m.group(1)] + re.findall(r"`([a-z_-]+)`", m.group(2)):
            assert name in every, name
    for toml in re.findall(r"```toml\n(.*?)```", text, re.S):
        import tomllib

        table = tomllib.loads(toml).get("tool", {}).get("vnlint", {})
        parse({k: v for k, v in table.items() if k not in ("baseline", "tm", "model")}, "README.md")


# ----------------------------------------------------------------------------- 4. problem names


def test_notice_problem_rejects_a_name_not_in_the_code_table():
    from vnlint.model import Notice, Place

    notice = Notice.__new__(Notice)
    notice.problems = []
    notice.problem("empty-notice", Place(1, 1, ""), "x")
    assert len(notice.problems) == 1
    with pytest.raises(KeyError):
        notice.problem("empty-notices", Place(1, 1, ""), "x")


def test_every_problem_call_names_a_rule_of_the_code_table():
    calls = 0
    for path in sorted((ROOT / "lint").rglob("*.py")) + sorted((ROOT / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "problem":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path.name}:{node.lineno}: problem() needs a literal rule name"
                )
                assert first.value in BY_NAME, f"{path.name}:{node.lineno}: {first.value!r}"
                calls += 1
    assert calls >= 10
