"""Fitting the workflow (issue 12, items 7-13): pairs from disk, paths relative to their config file,
non-notices found by a walk, severities and CI semantics, word-level places, `show` by meaning."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import notice_factory as nf
import pytest
from click.testing import CliRunner
from test_html import Page, _browse
from test_terms import lint_case, load_cases, notice_text
from vnlint.cli import main

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "data" / "inputs"
NOTICES = HERE / "data" / "notices"
SCHEMAS = HERE / "data" / "schemas"
FAST = ["--model", "none", "--isolated", "--select", "structure"]


def _invoke(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


@pytest.fixture()
def defective(tmp_path, monkeypatch):
    """notices/bad.txt (VN112 error at FR line 66, VN114 warning at FR line 60), notices/good.txt."""
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "notices"
    d.mkdir()
    shutil.copy(INPUTS / "defective_notice.txt", d / "bad.txt")
    shutil.copy(INPUTS / "clean_notice.txt", d / "good.txt")
    return d


# ---------------------------------------------------------------- item 10: severity and CI semantics


def test_text_lines_show_the_severity_after_the_place(defective):
    res = _invoke(*FAST, "notices/bad.txt")
    lines = res.stdout.splitlines()
    assert any(ln.startswith("notices/bad.txt:60:1: warning VN114 ") for ln in lines), lines
    assert any(ln.startswith("notices/bad.txt:66:1: error VN112 ") for ln in lines), lines


def test_text_summary_names_the_rules_that_did_not_run(defective):
    res = _invoke(*FAST, "notices/good.txt")
    assert res.stdout.splitlines()[-1] == "Not run (--model none, no paragraph alignment by meaning): VN116."
    res = _invoke("--model", "none", "--isolated", "--select", "fields", "notices/good.txt")
    assert "Not run" not in res.stdout  # nothing selected needs the model
    assert "Not run" not in _invoke(*FAST, "--quiet", "notices/good.txt").stdout


def test_statistics_most_frequent_first(defective):
    shutil.copy(INPUTS / "defective_notice.txt", defective / "bad2.txt")
    shutil.copy(NOTICES / "en_only.txt", defective / "en_only.txt")
    res = _invoke(*FAST, "--statistics", "notices/")
    stats = [ln.split()[:2] for ln in res.stdout.splitlines() if ln.startswith("    ")]
    counts = [int(n) for n, _ in stats]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1], stats
    assert stats[0] == ["2", "VN112"] and stats[1] == ["2", "VN114"]


def test_junit_failures_follow_fail_on_and_model_rules_are_skipped(defective):
    res = _invoke(*FAST, "--format", "junit", "--fail-on", "error", "notices/bad.txt")
    assert res.exit_code == 1
    cases = {c.get("name").split()[0]: c for c in ET.fromstring(res.stdout.encode()).iter("testcase")}
    assert cases["VN112"].find("failure") is not None
    assert cases["VN112"].find("failure").get("type") == "error"
    # The warning is below --fail-on error: not a failure, but printed in the case's system-out.
    assert cases["VN114"].find("failure") is None
    assert "notices/bad.txt:60:1: warning VN114" in cases["VN114"].find("system-out").text
    # VN116 needs the model: with --model none it did not run.
    assert cases["VN116"].find("skipped") is not None
    assert cases["VN115"].find("skipped") is None
    suite = next(ET.fromstring(res.stdout.encode()).iter("testsuite"))
    assert suite.get("failures") == "1" and suite.get("skipped") == "1"
    # With the default fail level (warning), both fail.
    res = _invoke(*FAST, "--format", "junit", "notices/bad.txt")
    cases = {c.get("name").split()[0]: c for c in ET.fromstring(res.stdout.encode()).iter("testcase")}
    assert cases["VN114"].find("failure") is not None


def test_junit_with_skipped_cases_validates(defective):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    out = _invoke(*FAST, "--format", "junit", "--fail-on", "error", "notices/").stdout
    errors = [
        e.reason
        for e in schema.iter_errors(out)
        if "'disabled' attribute" not in (e.reason or "") and "'file' attribute" not in (e.reason or "")
    ]
    assert errors == []


def test_sarif_says_which_rules_did_not_run(defective):
    jsonschema = pytest.importorskip("jsonschema")
    res = _invoke(*FAST, "--format", "sarif", "notices/good.txt")
    doc = json.loads(res.stdout)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(doc)
    inv = doc["runs"][0]["invocations"][0]
    notes = inv["toolExecutionNotifications"]
    assert [n["associatedRule"]["id"] for n in notes] == ["VN116"]
    assert notes[0]["level"] == "note" and "did not run" in notes[0]["message"]["text"]
    assert inv["executionSuccessful"] is True
    with_model_off = {
        n["associatedRule"]["id"]
        for n in json.loads(_invoke("--model", "none", "--isolated", "--format", "sarif", "notices/good.txt").stdout)[
            "runs"
        ][0]["invocations"][0]["toolExecutionNotifications"]
    }
    assert with_model_off == {
        "VN116",
        "VN300",
        "VN301",
        "VN302",
        "VN303",
        "VN304",
        "VN305",
        "VN306",
        "VN600",
        "VN601",
        "VN602",
        "VN603",
        "VN604",
        "VN606",
    }


# ---------------------------------------------------------------- item 7: pairs from disk

DEFECTIVE = (INPUTS / "defective_notice.txt").read_text(encoding="utf-8")
EN_LINES, FR_LINES = DEFECTIVE.splitlines()[:36], DEFECTIVE.splitlines()[37:]


def _codes(stdout: str) -> list[tuple[str, int, str]]:
    out = []
    for line in stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            out.append((parts[0], int(parts[1]), parts[3].split()[1]))
    return sorted(out)


@pytest.fixture()
def split_pair(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post_en.txt").write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    (tmp_path / "post_fr.txt").write_text("\n".join(FR_LINES) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("named", ["post_fr.txt", "post_en.txt"])
def test_one_file_of_a_pair_loads_its_sibling_from_disk(split_pair, named):
    res = _invoke(*FAST, named)
    got = _codes(res.stdout)
    assert got == [("post_fr.txt", 23, "VN114"), ("post_fr.txt", 29, "VN112")], res.stdout
    assert res.exit_code == 1


def test_sibling_with_another_spelling(split_pair):
    (split_pair / "post_en.txt").rename(split_pair / "post-EN.txt")
    assert _codes(_invoke(*FAST, "post_fr.txt").stdout) == [("post_fr.txt", 23, "VN114"), ("post_fr.txt", 29, "VN112")]


def test_one_file_without_a_sibling_is_linted_alone(split_pair):
    (split_pair / "post_en.txt").unlink()
    assert [c for _, _, c in _codes(_invoke(*FAST, "post_fr.txt").stdout)] == ["VN105"]


def test_pair_with_swapped_arguments_is_linted_the_right_way_round(split_pair):
    right = _invoke("pair", *FAST, "post_en.txt", "post_fr.txt")
    swapped = _invoke("pair", *FAST, "post_fr.txt", "post_en.txt")
    assert (
        _codes(swapped.stdout) == _codes(right.stdout) == [("post_fr.txt", 23, "VN114"), ("post_fr.txt", 29, "VN112")]
    )
    assert "VN105" not in swapped.stdout and "VN104" not in swapped.stdout
    assert "post_fr.txt is in French and post_en.txt in English" in swapped.stderr
    assert "is in French" not in right.stderr


# ---------------------------------------------------------------- item 9: non-notices

REQUIREMENTS = "click>=8.1\nbabel>=2.12\nrequests==2.31.0\n"
NOTES = (
    "# Notes\n\nThings to do before the next round:\n\n1. Ask HR about the deadline.\n"
    "2. Check the French title.\n\n## Ideas\n\n- Grade: check G15 or G17\n- Location: Brussels\n"
)


@pytest.fixture()
def mixed(defective):
    (defective / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    (defective / "NOTES.md").write_text(NOTES, encoding="utf-8")
    return defective


def test_a_walk_skips_files_that_are_not_notices_and_counts_them(mixed):
    res = _invoke(*FAST, "notices")
    assert res.exit_code == 1
    assert {p for p, _, _ in _codes(res.stdout)} == {"notices/bad.txt"}
    assert "VN103" not in res.stdout
    assert "Found 2 findings (1 error, 1 warning) in 2 files." in res.stdout
    assert "Skipped 2 files that are not notices (no header fields, no numbered sections)." in res.stdout
    doc = json.loads(_invoke(*FAST, "--format", "json", "notices").stdout)
    assert {f["path"] for f in doc["findings"]} == {"notices/bad.txt"}


def test_a_non_notice_named_on_the_command_line_is_still_vn103(mixed):
    res = _invoke(*FAST, "notices/NOTES.md", "notices/requirements.txt")
    assert _codes(res.stdout) == [("notices/NOTES.md", 1, "VN103"), ("notices/requirements.txt", 1, "VN103")]
    assert res.exit_code == 1


def test_a_run_that_finds_no_notice_exits_2(mixed):
    for name in ("bad.txt", "good.txt"):
        (mixed / name).unlink()
    res = _invoke(*FAST, "notices")
    assert res.exit_code == 2
    assert res.stderr.strip() == "vnlint: error: no notice found in notices (2 files skipped: not notices)"
    (mixed / "NOTES.md").unlink()
    (mixed / "requirements.txt").unlink()
    res = _invoke(*FAST, "notices")
    assert res.exit_code == 2 and res.stderr.strip() == "vnlint: error: no notice found in notices"


def test_the_hook_mode_skips_staged_non_notices_and_passes_without_notices(mixed):
    res = _invoke(*FAST, "--pre-commit", "notices/NOTES.md", "notices/requirements.txt")
    assert res.exit_code == 0 and "VN103" not in res.stdout
    res = _invoke(*FAST, "--pre-commit", "notices/NOTES.md", "notices/bad.txt")
    assert res.exit_code == 1 and {p for p, _, _ in _codes(res.stdout)} == {"notices/bad.txt"}


def test_a_cached_walk_still_skips_non_notices(mixed, monkeypatch, tmp_path):
    monkeypatch.setenv("VNLINT_RESULT_CACHE", "1")
    monkeypatch.setenv("VNLINT_CACHE_DIR", str(tmp_path / "cache"))
    _invoke(*FAST, "notices/NOTES.md")  # named: VN103, stored in the results cache
    res = _invoke(*FAST, "notices")
    assert "VN103" not in res.stdout and "Skipped 2 files" in res.stdout


def test_hooks_pass_pre_commit_and_the_documents_hook_has_its_readers():
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((HERE.parent / ".pre-commit-hooks.yaml").read_text())}
    assert all(h["entry"].split()[-1] == "--pre-commit" for h in hooks.values())
    deps = " ".join(hooks["vnlint-documents"]["additional_dependencies"])
    assert "python-docx" in deps and "pdfminer.six" in deps


# ---------------------------------------------------------------- item 8: paths


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """proj/vnlint.toml; proj/notices/{bad,good}.txt, proj/notices/drafts/bad.txt, proj/notices/legacy/bad.txt."""
    proj = tmp_path / "proj"
    for sub in ("notices/drafts", "notices/legacy", "elsewhere"):
        (proj / sub).mkdir(parents=True)
    for d in ("notices", "notices/drafts", "notices/legacy"):
        shutil.copy(INPUTS / "defective_notice.txt", proj / d / "bad.txt")
    shutil.copy(INPUTS / "clean_notice.txt", proj / "notices" / "good.txt")
    (proj / "vnlint.toml").write_text(
        'model = "none"\nselect = ["structure"]\n'
        'exclude = ["notices/drafts/"]\n'
        'per-file-ignores = { "notices/legacy/*.txt" = ["VN114"] }\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return proj


def _abs_found(stdout: str, cwd: Path) -> list[tuple[str, str]]:
    return sorted((str((cwd / p).resolve()), c) for p, _, c in _codes(stdout))


def _from(cwd: Path, monkeypatch, *args):
    monkeypatch.chdir(cwd)
    res = _invoke(*args)
    return res, _abs_found(res.stdout, cwd)


def test_exclude_and_per_file_ignores_are_relative_to_the_config_file(project, monkeypatch):
    notices = project / "notices"
    expected = sorted(
        [
            (str(notices / "bad.txt"), "VN112"),
            (str(notices / "bad.txt"), "VN114"),
            (str(notices / "legacy" / "bad.txt"), "VN112"),
        ]
    )  # drafts/ excluded; no VN114 in legacy/
    runs = [
        (project, ["notices"]),
        (notices, ["."]),
        (notices / "legacy", ["..", "../.."]),
        (project / "elsewhere", [str(notices)]),
        (project.parent, ["proj/notices"]),
    ]
    for cwd, args in runs:
        for arg in args:  # ../.. from notices/legacy: the walk of proj/ finds the same notices
            res, found = _from(cwd, monkeypatch, arg)
            assert found == expected, (cwd, arg, res.stdout)
    # A named file under an excluded folder is excluded too (the hook names files).
    res, found = _from(notices, monkeypatch, "drafts/bad.txt", "good.txt")
    assert found == []


def test_baseline_in_the_config_is_relative_to_the_config_file(project, monkeypatch):
    monkeypatch.chdir(project)
    assert _invoke("--write-baseline", "vnlint-baseline.json", "notices").exit_code == 0
    with open(project / "vnlint.toml", "a", encoding="utf-8") as fh:
        fh.write('baseline = "vnlint-baseline.json"\n')
    for cwd, arg in [
        (project, "notices"),
        (project / "notices", "."),
        (project / "notices" / "legacy", "bad.txt"),
        (project / "elsewhere", str(project / "notices")),
    ]:
        res, found = _from(cwd, monkeypatch, arg)
        assert found == [] and res.exit_code == 0, (cwd, arg, res.stdout, res.stderr)


def test_baseline_entries_are_relative_to_the_baseline_file(project, monkeypatch):
    monkeypatch.chdir(project / "notices")
    assert _invoke("--write-baseline", "../elsewhere/b.json", ".").exit_code == 0
    doc = json.loads((project / "elsewhere" / "b.json").read_text(encoding="utf-8"))
    assert sorted({e["path"] for e in doc["findings"]}) == ["../notices/bad.txt", "../notices/legacy/bad.txt"]
    for cwd, args in [
        (project, ["--baseline", "elsewhere/b.json", "notices"]),
        (project / "elsewhere", ["--baseline", "b.json", str(project / "notices")]),
        (project.parent, ["--baseline", str(project / "elsewhere" / "b.json"), "proj/notices/bad.txt"]),
    ]:
        res, found = _from(cwd, monkeypatch, *args)
        assert found == [] and res.exit_code == 0, (cwd, args, res.stdout, res.stderr)


def test_directory_walks_honour_gitignore(project, monkeypatch):
    (project / ".git").mkdir()  # a repository root: its .gitignore applies to walks of any folder below
    (project / ".gitignore").write_text("*.tmp.txt\nbuild/\n!notices/keep.tmp.txt\n", encoding="utf-8")
    (project / "notices" / ".gitignore").write_text("legacy/\n", encoding="utf-8")
    (project / "notices" / "build").mkdir()
    for name in ("notices/x.tmp.txt", "notices/keep.tmp.txt", "notices/build/bad.txt"):
        shutil.copy(INPUTS / "defective_notice.txt", project / name)
    notices = project / "notices"
    expected = sorted((str(notices / n), c) for n in ("bad.txt", "keep.tmp.txt") for c in ("VN112", "VN114"))
    for cwd, arg in [(project, "notices"), (notices, "."), (project.parent, str(notices))]:
        res, found = _from(cwd, monkeypatch, arg)
        assert found == expected, (cwd, arg, res.stdout)
    # Named explicitly, an ignored file is linted.
    res, found = _from(notices, monkeypatch, "x.tmp.txt")
    assert {c for _, c in found} == {"VN112", "VN114"}


# ---------------------------------------------------------------- item 11: word-level places

WORD_CODES = ("VN400", "VN401", "VN402", "VN403", "VN404", "VN405", "VN406", "VN407", "VN408", "VN501", "VN502")
AT_THE_WORD = {"VN400", "VN402", "VN406", "VN407", "VN501", "VN502"}  # the finding itself


def _word_cases():
    return [p for p in load_cases("VN4") + load_cases("VN5") if p.values[0] in WORD_CODES and p.values[1] == "flag"]


@pytest.mark.parametrize("code,kind,case", _word_cases())
def test_word_findings_carry_the_column_and_end_column_of_the_word(code, kind, case):
    findings, result = lint_case(code, case)
    lines = result.notice.source.lines
    for f in findings:
        spans = [(p.line, p.column, p.end_column) for p in (f, *f.related) if p.end_column is not None]
        assert spans, (code, f)
        if code in AT_THE_WORD:
            assert f.end_column is not None, (code, f)
        for line, col, end in spans:
            text = lines[line - 1][col - 1 : end - 1]
            assert text and text == text.strip() and any(c.isalnum() for c in text), (code, text)
        if code == "VN403" and f.end_column is not None:  # the French number named in the message
            assert f"'{lines[f.line - 1][f.column - 1 : f.end_column - 1]}" in f.message, f.message
        if code == "VN501":
            w = f.message.split("'")[1]
            assert lines[f.line - 1][f.column - 1 : f.end_column - 1] == w


def test_end_column_in_json_and_sarif(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text(
        notice_text(
            "The incumbent works in the the Operations Division.",
            "La/Le titulaire travaille au sein de la Division Opérations.",
        ),
        encoding="utf-8",
    )
    args = ["--isolated", "--model", "none", "--select", "VN501"]
    (f,) = json.loads(_invoke(*args, "--format", "json", "n.txt").stdout)["findings"]
    line = (tmp_path / "n.txt").read_text(encoding="utf-8").splitlines()[f["line"] - 1]
    assert line[f["column"] - 1 : f["end_column"] - 1] == "the the"
    (r,) = json.loads(_invoke(*args, "--format", "sarif", "n.txt").stdout)["runs"][0]["results"]
    region = r["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (f["column"], f["end_column"])


# ---------------------------------------------------------------- items 11 and 12: the HTML report and `show`


def _gap_notice() -> str:
    """The second summary paragraph dropped from the French half (VN300)."""
    fr = [(h, list(p)) for h, p in nf.FR_SECTIONS]
    fr[0][1].pop(1)
    return nf.notice(fr_sections=fr)


def _words_notice() -> str:
    en = [(h, list(p)) for h, p in nf.EN_SECTIONS]
    en[0][1][1] += " It works with the NCIA and the the JLSG."
    return nf.notice(en_sections=en)


def _html(tmp_path, monkeypatch, text: str, *args) -> Page:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.txt").write_text(text, encoding="utf-8")
    res = _invoke("--isolated", *args, "--format", "html", "-o", "r.html", "n.txt")
    assert res.exit_code in (0, 1), res.output
    return Page((tmp_path / "r.html").read_text(encoding="utf-8"))


def test_html_highlights_the_words_not_the_paragraph(tmp_path, monkeypatch):
    page = _html(tmp_path, monkeypatch, _words_notice(), "--model", "none", "--select", "VN400,VN501")
    marked = sorted((m["attrs"]["data-wcode"], m["text"]) for m in page.find("mark", class_="word"))
    assert marked == [("VN400", "JLSG"), ("VN400", "NCIA"), ("VN501", "the the")]
    for m in page.find("mark", class_="word"):
        td = next(p for p in reversed(m["parents"]) if p["tag"] == "td")
        assert td["attrs"]["lang"] == "en"
        assert not any(c.startswith("hit-") for c in td["attrs"]["class"].split())  # the words, not the cell
    # The paragraph-level VN114 still lights its cell.
    page = _html(tmp_path, monkeypatch, (INPUTS / "defective_notice.txt").read_text(encoding="utf-8"), *FAST)
    assert page.find("td", class_="hit-warning")


def test_html_shows_a_missing_paragraph_as_a_gap(tmp_path, monkeypatch):
    page = _html(tmp_path, monkeypatch, _gap_notice(), "--select", "VN300")
    (li,) = page.find("li", class_="finding")
    assert li["attrs"]["data-code"] == "VN300"
    at = [a for a in page.find("a", class_="mark") if "at" in a["attrs"]["class"].split()]
    assert len(at) == 1
    td = next(p for p in reversed(at[0]["parents"]) if p["tag"] == "td")
    assert "gap" in td["attrs"]["class"].split() and td["attrs"]["lang"] == "fr"
    tr = next(p for p in reversed(at[0]["parents"]) if p["tag"] == "tr")
    cells = [el for el in page.elements if el["tag"] == "td" and tr in el["parents"]]
    assert "prepares logistics plans" in cells[1]["text"]  # facing the English paragraph that is missing


def test_html_and_show_pair_by_meaning_when_the_model_is_available(tmp_path, monkeypatch):
    # No selected rule needs the model: the report still pairs the paragraphs by meaning.
    page = _html(tmp_path, monkeypatch, _gap_notice(), "--select", "terms")
    assert [p["attrs"]["data-pairing"] for p in page.find("p", class_="pairing")] == ["meaning"]
    assert any(r["attrs"].get("title", "").startswith("similarity") for r in page.find("tr", class_="row"))
    page = _html(tmp_path, monkeypatch, _gap_notice(), "--model", "none")
    (note,) = page.find("p", class_="pairing")
    assert note["attrs"]["data-pairing"] == "structure" and "structure only" in note["text"]

    shown = _invoke("show", "n.txt")
    assert shown.exit_code == 0 and "paragraphs paired by meaning" in shown.stdout
    assert json.loads(_invoke("show", "--format", "json", "n.txt").stdout)["pairing"] == "meaning"
    shown = _invoke("show", "--model", "none", "n.txt")
    assert "paragraphs paired by structure only (--model none)" in shown.stdout
    assert json.loads(_invoke("show", "--model", "none", "--format", "json", "n.txt").stdout)["pairing"] == "structure"


def test_html_word_filters_in_a_browser(tmp_path, monkeypatch):
    """Filtering a code out unlights its words without hiding the text; no script error."""
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    if chromium is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    _html(tmp_path, monkeypatch, _words_notice(), "--model", "none", "--select", "VN400,VN501")
    url = (tmp_path / "r.html").as_uri()
    dom, console = _browse(chromium, tmp_path, url)
    assert console == []
    marks = Page(dom).find("mark", class_="word")
    assert len(marks) == 3 and not any("off" in m["attrs"]["class"].split() for m in marks)
    dom, console = _browse(chromium, tmp_path, url + "?code=VN501")
    assert console == []
    marks = Page(dom).find("mark", class_="word")
    assert sorted(
        (m["attrs"]["data-wcode"], "off" in m["attrs"]["class"].split(), "hidden" in m["attrs"]) for m in marks
    ) == [("VN400", True, False), ("VN400", True, False), ("VN501", False, False)]
