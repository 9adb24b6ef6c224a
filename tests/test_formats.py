"""Machine-readable reports: SARIF 2.1.0 and JUnit XML validated against their published schemas
(tests/data/schemas/, see its README for where they come from), GitHub annotations checked against
the workflow-command syntax and escaping rules."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint.cli import main
from vnlint.codes import CODES
from vnlint.engine import load_checks
from vnlint.model import Finding, Place
from vnlint.report import github

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "data" / "schemas"
INPUTS = HERE / "data" / "inputs"
# Only the structure rules: these tests are about the formats, and these findings are stable.
FAST = ["--model", "none", "--isolated", "--select", "structure"]


def _lint(*args, cwd: Path | None = None):
    runner = CliRunner()
    return runner.invoke(main, ["lint", *FAST, *map(str, args)], catch_exceptions=False)


@pytest.fixture()
def notices(tmp_path, monkeypatch):
    """The defective notice (VN112 error, VN114 warning) and one with an unused suppression (VN117 info),
    under relative paths, as in a checkout."""
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "notices"
    d.mkdir()
    (d / "defective.txt").write_text((INPUTS / "defective_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    clean = (INPUTS / "clean_notice.txt").read_text(encoding="utf-8").splitlines()
    clean.insert(15, "<!-- vnlint: disable=VN114 -->")  # above a translated paragraph: silences nothing
    (d / "suppressed.txt").write_text("\n".join(clean) + "\n", encoding="utf-8")
    return d


# ---------------------------------------------------------------- SARIF


@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_sarif_is_valid_and_complete(notices, sarif_validator):
    res = _lint("--format", "sarif", "notices")
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert _errors(sarif_validator, doc) == []
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vnlint"
    by_id = {r["id"]: r for r in driver["rules"]}
    results = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]): r for r in run["results"]
    }
    assert set(results) == {
        ("VN112", "notices/defective.txt"),
        ("VN114", "notices/defective.txt"),
        ("VN117", "notices/suppressed.txt"),
    }

    missing = results[("VN112", "notices/defective.txt")]
    assert missing["level"] == "error"
    assert missing["locations"][0]["physicalLocation"]["region"] == {"startLine": 66, "endLine": 66, "startColumn": 1}
    bullets = results[("VN114", "notices/defective.txt")]
    assert bullets["level"] == "warning"
    assert bullets["locations"][0]["physicalLocation"]["region"]["startLine"] == 60
    # The English counterpart is a related location, linked from the message.
    rel = bullets["relatedLocations"]
    assert len(rel) == 1
    assert rel[0]["physicalLocation"]["region"] == {"startLine": 25, "endLine": 27}
    assert rel[0]["physicalLocation"]["artifactLocation"]["uri"] == "notices/defective.txt"
    assert f"]({rel[0]['id']})" in bullets["message"]["text"]
    assert bullets["message"]["text"].startswith("section 2 has 3 bullets in English but 2 in French")
    unused = results[("VN117", "notices/suppressed.txt")]
    assert unused["level"] == "note"
    assert unused["locations"][0]["physicalLocation"]["region"]["startLine"] == 16

    # Each result points at its rule, and the rules carry names and the rule documentation.
    for r in run["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["vnlintContent/v1"]
    rule = by_id["VN114"]
    assert rule["name"] == "bullet-count-mismatch"
    assert rule["defaultConfiguration"]["level"] == "warning"
    doc_114 = load_checks()["VN114"].doc
    assert rule["shortDescription"]["text"] == doc_114.splitlines()[0]
    for part in ("Why:", "Bad:", "Good:"):
        assert part in rule["help"]["text"]
        assert f"**{part}**" in rule["help"]["markdown"]


def test_sarif_rules_table_covers_every_registered_rule(notices, sarif_validator):
    doc = json.loads(_lint("--format", "sarif", "notices").stdout)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    registered = load_checks()
    assert set(registered) <= set(rules)
    for code, r in registered.items():
        assert rules[code]["name"] == r.name == CODES[code].name
        assert rules[code]["help"]["text"].startswith(r.doc.splitlines()[0])


def test_sarif_without_findings_is_valid(tmp_path, monkeypatch, sarif_validator):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.txt").write_text((INPUTS / "clean_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    res = _lint("--format", "sarif", "clean.txt")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert _errors(sarif_validator, doc) == []
    assert doc["runs"][0]["results"] == []
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_schema_check_is_effective(notices, sarif_validator):
    """The validator really rejects what the schema forbids (so a passing validation means something)."""
    doc = json.loads(_lint("--format", "sarif", "notices").stdout)
    bad = copy.deepcopy(doc)
    bad["runs"][0]["results"][0]["level"] = "info"  # SARIF has none/note/warning/error
    assert _errors(sarif_validator, bad)
    bad = copy.deepcopy(doc)
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert _errors(sarif_validator, bad)


def test_sarif_escapes_brackets_when_linking_related_locations():
    from vnlint.report import sarif

    f = Finding(
        "a.txt",
        "VN403",
        "number-mismatch",
        "error",
        "number [3] differs",
        7,
        7,
        1,
        "fr",
        None,
        related=(Place(2, 2, "en"),),
        fingerprint="x",
    )
    doc = json.loads(sarif.render([f], ["a.txt"]))
    text = doc["runs"][0]["results"][0]["message"]["text"]
    assert text == r"number \[3\] differs (see [English line 2](1))"


# ---------------------------------------------------------------- JUnit

# junit-xml writes two attributes that Jenkins' junit-10.xsd does not declare: `disabled` (on
# <testsuites> and <testsuite>) and `file` (on <testcase>, which GitLab reads to link the file).
# Every other deviation from the schema fails the test.
KNOWN_JUNIT_EXTENSIONS = (
    re.compile(r"^'disabled' attribute not allowed for element$"),
    re.compile(r"^'file' attribute not allowed for element$"),
)


def _junit_errors(xml_text: str) -> list[str]:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    out = []
    for e in schema.iter_errors(xml_text):
        reason = (e.reason or str(e)).strip()
        if any(p.match(reason) for p in KNOWN_JUNIT_EXTENSIONS):
            continue
        out.append(f"{e.path}: {reason}")
    return out


def test_junit_validates_against_the_junit_xsd(notices):
    import xml.etree.ElementTree as ET

    res = _lint("--format", "junit", "notices")
    assert res.exit_code == 1
    assert _junit_errors(res.stdout) == []
    root = ET.fromstring(res.stdout.encode("utf-8"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"notices/defective.txt", "notices/suppressed.txt"}
    failed = {
        c.get("name").split()[0]: c.find("failure")
        for c in suites["notices/defective.txt"].iter("testcase")
        if c.find("failure") is not None
    }
    assert set(failed) == {"VN112", "VN114"}
    assert failed["VN112"].get("type") == "error"
    assert "notices/defective.txt:66:1: error VN112" in failed["VN112"].text
    assert int(suites["notices/defective.txt"].get("failures")) == 2


def test_junit_schema_check_is_effective(notices):
    out = _lint("--format", "junit", "notices").stdout
    broken = out.replace("<testcase ", '<testcase bogus="1" ', 1)
    assert any("bogus" in e for e in _junit_errors(broken))
    broken = re.sub(r' tests="\d+"', "", out, count=2)  # `tests` is required on <testsuite>
    assert _junit_errors(broken)


# ---------------------------------------------------------------- GitHub annotations

ANNOTATION = re.compile(
    r"^::(?P<cmd>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),endLine=(?P<end>\d+),"
    r"col=(?P<col>\d+),title=(?P<title>[^,:]+)::(?P<msg>.+)$"
)


def test_github_annotations(notices):
    res = _lint("--format", "github", "notices")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert len(lines) == 3
    parsed = {}
    for line in lines:
        m = ANNOTATION.match(line)
        assert m, line
        parsed[m["title"].split()[0]] = m.groupdict()
    assert parsed["VN112"] == {
        "cmd": "error",
        "file": "notices/defective.txt",
        "line": "66",
        "end": "66",
        "col": "1",
        "title": "VN112 section-missing",
        "msg": "section 4 (CONTRACT) has no counterpart in the French half [EN line 34-36]",
    }
    assert parsed["VN114"]["cmd"] == "warning"
    assert (parsed["VN114"]["line"], parsed["VN114"]["end"]) == ("60", "61")
    assert parsed["VN117"]["cmd"] == "notice"
    assert parsed["VN117"]["file"] == "notices/suppressed.txt"


def test_github_escaping():
    f = Finding(
        "dir,1/a:b%.txt", "VN403", "number-mismatch", "warning", "50% more\r\nthan: 3, not 4", 3, 2, 5, "fr", None
    )
    line = github.annotation(f)
    assert line == (
        "::warning file=dir%2C1/a%3Ab%25.txt,line=3,endLine=3,col=5,title=VN403 number-mismatch"
        "::50%25 more%0D%0Athan: 3, not 4"
    )
    assert "\n" not in line and "\r" not in line
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github.escape_data("a:b,c%\n") == "a:b,c%25%0A"


def test_github_no_findings_prints_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.txt").write_text((INPUTS / "clean_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    res = _lint("--format", "github", "clean.txt")
    assert res.exit_code == 0
    assert res.stdout == ""


def test_sarif_pair_related_location_is_in_the_other_file(tmp_path, monkeypatch, sarif_validator):
    """`vnlint pair EN FR`: a finding in the FR file points at its counterpart in the EN file."""
    monkeypatch.chdir(tmp_path)
    lines = (INPUTS / "defective_notice.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "post_en.txt").write_text("\n".join(lines[:36]) + "\n", encoding="utf-8")
    (tmp_path / "post_fr.txt").write_text("\n".join(lines[37:]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(
        main, ["pair", *FAST, "--format", "sarif", "post_en.txt", "post_fr.txt"], catch_exceptions=False
    )
    doc = json.loads(res.stdout)
    assert _errors(sarif_validator, doc) == []
    (r,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "VN114"]
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "post_fr.txt"
    assert r["locations"][0]["physicalLocation"]["region"]["startLine"] == 23
    rel = r["relatedLocations"][0]["physicalLocation"]
    assert rel["artifactLocation"]["uri"] == "post_en.txt"
    assert rel["region"] == {"startLine": 25, "endLine": 27}


def test_json_related_place_of_a_word_has_its_columns():
    """A word-level finding's counterpart is a word too: `related` carries its column and end_column
    (optional keys), and they select the English words on the related line."""
    notice = Path(__file__).resolve().parent.parent / "examples" / "pdf_layout_defects.txt"
    out = subprocess.run(
        [sys.executable, "-m", "vnlint.cli", "--format", "json", str(notice)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    findings = [f for f in json.loads(out.stdout)["findings"] if f["code"] == "VN403"]
    assert findings, out.stderr
    lines = notice.read_text(encoding="utf-8").splitlines()
    f = findings[0]
    assert lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1] == "trois ans"
    (rel,) = f["related"]
    assert set(rel) == {"path", "line", "end_line", "lang", "column", "end_column"}
    assert lines[rel["line"] - 1][rel["column"] - 1 : rel["end_column"] - 1] == "five years"
    # A place that is not a word (a paragraph, a field) keeps the four keys of the contract.
    others = [r for f in json.loads(out.stdout)["findings"] if f["code"] != "VN403" for r in f["related"]]
    assert others and all(set(r) == {"path", "line", "end_line", "lang"} for r in others)
