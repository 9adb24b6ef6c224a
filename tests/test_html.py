"""The HTML report: one self-contained page, EN and FR aligned side by side, findings marked at both
places, filterable by severity and code. The page is loaded in headless Chromium (Debian's
`chromium` package) when it is installed; those tests are skipped otherwise."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint.cli import main

HERE = Path(__file__).resolve().parent
INPUTS = HERE / "data" / "inputs"
FAST = ["--model", "none", "--isolated", "--select", "structure"]


class Page(HTMLParser):
    """Elements as (tag, attrs, text inside, up to the next tag)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._stack: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self._stack)}
        self.elements.append(el)
        if tag not in ("meta", "input", "br", "col", "link", "img"):
            self._stack.append(el)

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i]["tag"] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        for el in self._stack:
            el["text"] += data

    def find(self, tag=None, **attrs):
        out = []
        for el in self.elements:
            if tag and el["tag"] != tag:
                continue
            if all(
                v in (el["attrs"].get(k.rstrip("_")) or "").split() if k.endswith("_") else el["attrs"].get(k) == v
                for k, v in attrs.items()
            ):
                out.append(el)
        return out


@pytest.fixture()
def report(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "defective.txt").write_text(
        (INPUTS / "defective_notice.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "clean.txt").write_text((INPUTS / "clean_notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    res = CliRunner().invoke(
        main,
        ["lint", *FAST, "--format", "html", "-o", "report.html", "defective.txt", "clean.txt"],
        catch_exceptions=False,
    )
    assert res.exit_code == 1, res.output
    assert res.stdout == ""
    return tmp_path / "report.html"


def test_report_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    page = Page(text)
    assert text.startswith("<!DOCTYPE html>")
    assert not page.find("link") and not page.find("img") and not page.find("iframe")
    for el in page.elements:
        for key in ("src", "href", "action", "data", "poster"):
            value = el["attrs"].get(key)
            if value is not None:
                assert value.startswith("#"), (el["tag"], key, value)
    assert not re.search(r"(?i)url\(|@import|https?://", text.split("<body", 1)[0])  # no fetch from CSS
    assert page.find("style") and page.find("script")


def test_report_shows_both_files_side_by_side_with_marks(report):
    page = Page(report.read_text(encoding="utf-8"))
    sections = page.find("section", class_="file")
    assert [s["attrs"]["data-path"] for s in sections] == ["clean.txt", "defective.txt"]

    def in_section(el, path):
        return any(p["tag"] == "section" and p["attrs"].get("data-path") == path for p in el["parents"])

    items = [li for li in page.find("li", class_="finding") if in_section(li, "defective.txt")]
    assert sorted(li["attrs"]["data-code"] for li in items) == ["VN112", "VN114"]
    assert not [li for li in page.find("li", class_="finding") if in_section(li, "clean.txt")]

    # The aligned table: EN text on the left, FR on the right, with their own line numbers.
    rows = [r for r in page.find("tr", class_="row") if in_section(r, "defective.txt")]
    titles = [r for r in rows if "kind-title" in r["attrs"]["class"]]
    assert len(titles) == 1
    cells = [el for el in page.elements if el["tag"] == "td" and titles[0] in el["parents"]]
    assert [c["text"].strip() for c in cells] == [
        "3",
        "Assistant, Archive Services (990101)",
        "38",
        "Assistante/Assistant (services d'archives) (990101)",
    ]

    # VN114 is marked at its line (FR 60) and at its counterpart (EN 25-27).
    def marks(code, role):
        out = []
        for a in page.find("a", class_="mark"):
            if a["attrs"]["data-code"] == code and role in a["attrs"]["class"].split():
                td = next(p for p in reversed(a["parents"]) if p["tag"] == "td")
                tr = next(p for p in reversed(a["parents"]) if p["tag"] == "tr")
                cells = [el for el in page.elements if el["tag"] == "td" and tr in el["parents"]]
                ln = cells[cells.index(td) - 1]["text"].strip()
                out.append((td["attrs"]["lang"], ln))
        return out

    assert marks("VN114", "at") == [("fr", "60"), ("fr", "61")]
    assert marks("VN114", "rel") == [("en", "25"), ("en", "26"), ("en", "27")]
    assert marks("VN112", "rel") == [("en", "34"), ("en", "36")]
    assert ("fr", "66") in marks("VN112", "at")
    # Marked cells are highlighted by severity, and link to the finding.
    hit = page.find("td", class_="hit-error")
    assert hit and all(h["attrs"]["lang"] in ("en", "fr") for h in hit)
    finding_ids = {li["attrs"]["id"] for li in items}
    assert {a["attrs"]["href"][1:] for a in page.find("a", class_="mark")} <= finding_ids


def test_html_for_a_pair_of_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = (INPUTS / "defective_notice.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "post_en.txt").write_text("\n".join(lines[:36]) + "\n", encoding="utf-8")
    (tmp_path / "post_fr.txt").write_text("\n".join(lines[37:]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["lint", *FAST, "--format", "html", "."], catch_exceptions=False)
    assert res.exit_code == 1
    page = Page(res.stdout)
    sections = page.find("section", class_="file")
    assert len(sections) == 1  # one notice in two files
    items = page.find("li", class_="finding")
    assert any("post_fr.txt:23" in li["text"] and li["attrs"]["data-code"] == "VN114" for li in items)
    # Line numbers in the table are each file's own.
    at = [a for a in page.find("a", class_="mark") if a["attrs"]["data-code"] == "VN114"]
    assert at
    tds = [el for el in page.elements if el["tag"] == "td" and el["attrs"].get("class") == "ln"]
    assert {"23", "25"} <= {td["text"].strip() for td in tds}


# ---------------------------------------------------------------- in a browser

BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--enable-logging=stderr",
    "--v=0",
]


@pytest.fixture(scope="module")
def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium is not installed (apt-get install chromium)")


def _browse(chromium, tmp_path, url: str, *extra) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and the console messages Chromium logged."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    proc = subprocess.run(
        [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return proc.stdout, console


def test_console_errors_are_detected(chromium, tmp_path):
    """The check below is meaningful: a page with a script error is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><script>missingFunction();</script></body></html>")
    _, console = _browse(chromium, tmp_path, bad.as_uri())
    assert any("Uncaught" in line for line in console), console


def test_report_runs_in_chromium_without_errors(chromium, report, tmp_path):
    dom, console = _browse(chromium, tmp_path, report.as_uri())
    assert console == []
    assert 'data-vnlint-ready="1"' in dom  # the script ran to the end
    assert 'data-visible-findings="2"' in dom
    page = Page(dom)
    assert len(page.find("li", class_="finding")) == 2
    assert not [el for el in page.elements if "hidden" in el["attrs"] and el["attrs"].get("data-code")]


def test_filters_hide_findings_and_marks(chromium, report, tmp_path):
    dom, console = _browse(chromium, tmp_path, report.as_uri() + "?sev=error")
    assert console == []
    page = Page(dom)
    assert page.find("body")[0]["attrs"]["data-visible-findings"] == "1"
    shown = [li["attrs"]["data-code"] for li in page.find("li", class_="finding") if "hidden" not in li["attrs"]]
    assert shown == ["VN112"]
    marks = page.find("a", class_="mark")
    assert all(("hidden" in m["attrs"]) == (m["attrs"]["data-code"] == "VN114") for m in marks)
    # A cell marked only by the hidden warning is no longer highlighted.
    assert not page.find("td", class_="hit-warning")

    dom, _ = _browse(chromium, tmp_path, report.as_uri() + "?code=VN114&only=1")
    page = Page(dom)
    assert page.find("body")[0]["attrs"]["data-visible-findings"] == "1"
    assert "only-hits" in page.find("body")[0]["attrs"]["class"].split()
    assert [li["attrs"]["data-code"] for li in page.find("li", class_="finding") if "hidden" not in li["attrs"]] == [
        "VN114"
    ]
    assert page.find("td", class_="hit-warning") and not page.find("td", class_="hit-error")


def test_screenshot(chromium, report, tmp_path):
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            chromium,
            *BROWSER_FLAGS,
            f"--user-data-dir={tmp_path / 'shot-profile'}",
            "--hide-scrollbars",
            "--window-size=1400,1000",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
