"""Limits and configuration errors: a bad configuration is one clear line on stderr and exit 2;
a good one is applied (nearest config wins, --config overrides, select/ignore/severity work)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vnlint.cli import main
from vnlint.config import ConfigError, ConfigResolver, Settings, parse, read_config_file

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "data" / "reliability" / "good.txt"
FR_TITLE = "Officier(-ière), Logistique des phares (250901)"


def english_only() -> str:
    text = GOOD.read_text(encoding="utf-8")
    return text[: text.index(FR_TITLE)]  # VN104 french-half-missing, nothing else


def renumbered() -> str:
    return GOOD.read_text(encoding="utf-8").replace("4. CONTRACT", "5. CONTRACT")  # VN111 (and VN112)


def lint(*args):
    """Run the CLI in-process; returns (exit code, findings or None, stderr)."""
    res = CliRunner().invoke(main, [*map(str, args)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.stderr
    try:
        findings = json.loads(res.stdout)["findings"]
    except ValueError:
        findings = None
    return res.exit_code, findings, res.stderr


def assert_usage_error(args, *needles):
    code, _, err = lint(*args)
    lines = err.strip().splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1 and lines[0].startswith("vnlint: error: "), lines
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def notice(tmp_path):
    p = tmp_path / "notice.txt"
    p.write_text(english_only(), encoding="utf-8")
    return p


# ------------------------------------------------------------------------------ limits


def test_max_file_size_flag_and_config(tmp_path, notice):
    size = notice.stat().st_size
    code, findings, _ = lint(notice, "--format", "json", "--model", "none", "--max-file-size", size - 1)
    assert code == 1 and [f["code"] for f in findings] == ["VN101"]
    assert f"over the limit of {size - 1:,} bytes" in findings[0]["message"]
    code, findings, _ = lint(notice, "--format", "json", "--model", "none", "--max-file-size", size)
    assert "VN101" not in {f["code"] for f in findings}
    (tmp_path / "vnlint.toml").write_text("max-file-size = 100\n", encoding="utf-8")
    code, findings, _ = lint(notice, "--format", "json", "--model", "none")
    assert code == 1 and [f["code"] for f in findings] == ["VN101"]
    # The flag wins over the configuration.
    code, findings, _ = lint(notice, "--format", "json", "--model", "none", "--max-file-size", 10**6)
    assert "VN101" not in {f["code"] for f in findings}


@pytest.mark.parametrize("value", ["0", "-5", "true", '"5MB"', "1.5"])
def test_bad_max_file_size_in_config(tmp_path, notice, value):
    (tmp_path / "vnlint.toml").write_text(f"max-file-size = {value}\n", encoding="utf-8")
    assert_usage_error([notice, "--model", "none"], "max-file-size", "vnlint.toml")


def test_bad_max_file_size_flag(notice):
    res = CliRunner().invoke(main, [str(notice), "--max-file-size", "-3"])
    assert res.exit_code == 2 and "Traceback" not in res.stderr
    assert "--max-file-size" in res.stderr


# -------------------------------------------------------------- bad configuration: exit 2


@pytest.mark.parametrize(
    "content, needles",
    [
        ("colour = true\n", ["unknown key 'colour'"]),
        ('select = ["VN999"]\n', ["unknown code or rule 'VN999'"]),
        ('ignore = ["no-such-rule"]\n', ["'no-such-rule'"]),
        ('severity = { VN104 = "fatal" }\n', ["severity", "'fatal'"]),
        ('severity = { VN999 = "error" }\n', ["'VN999'"]),
        ('fail-on = "never"\n', ["fail-on"]),
        ('model = "nosuch"\n', ["model", "'nosuch'"]),
        ('cache = "no"\n', ["cache must be true or false"]),
        ("exclude = [1, 2]\n", ["exclude"]),
        ("rules = { nosuch = { x = 1 } }\n", ["unknown rule 'nosuch'"]),
        ('rules = { low-similarity = { z = "low" } }\n', ["rules.low-similarity.z must be a number"]),
        ("knowledge = { nosuch = {} }\n", ["unknown data file 'nosuch'"]),
        ("knowledge = { acronyms = { pairs = 5 } }\n", ["knowledge.acronyms.pairs must be a list"]),
        ("select = [\n", ["invalid TOML"]),
        ("select = 'VN1\n", ["invalid TOML"]),
        ("[tool]\nvnlint = 3\n", ["must be a table"]),
    ],
)
def test_bad_vnlint_toml(tmp_path, notice, content, needles):
    (tmp_path / "vnlint.toml").write_text(content, encoding="utf-8")
    line = assert_usage_error([notice, "--format", "json", "--model", "none"], *needles)
    assert str(tmp_path / "vnlint.toml") in line  # says which file


def test_config_not_utf8(tmp_path, notice):
    (tmp_path / "vnlint.toml").write_bytes(b'select = ["\xe9"]\n')
    assert_usage_error([notice, "--model", "none"], "invalid TOML", "not UTF-8")


def test_bad_pyproject_table(tmp_path, notice):
    (tmp_path / "pyproject.toml").write_text('[tool.vnlint]\nselect = ["VN1"]\nverbose = 1\n', encoding="utf-8")
    assert_usage_error([notice, "--model", "none"], "unknown key 'verbose'", "pyproject.toml")
    (tmp_path / "pyproject.toml").write_text('[tool]\nvnlint = "on"\n', encoding="utf-8")
    assert_usage_error([notice, "--model", "none"], "must be a table", "pyproject.toml")


def test_pyproject_without_vnlint_table_is_skipped(tmp_path, notice):
    (tmp_path / "vnlint.toml").write_text('select = ["VN111"]\n', encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.other]\nk = 1\n', encoding="utf-8")
    (sub / "n.txt").write_text(english_only(), encoding="utf-8")
    code, findings, _ = lint(sub / "n.txt", "--format", "json", "--model", "none")
    assert code == 0 and findings == []  # the outer vnlint.toml applies: only VN111 is selected


@pytest.mark.parametrize(
    "args, needles",
    [
        (["--select", "VN999"], ["--select", "'VN999'"]),
        (["--select", "VN104,bogus"], ["--select", "'bogus'"]),
        (["--ignore", "VN9"], ["--ignore", "'VN9'"]),
        (["--extend-select", "nothing"], ["--extend-select"]),
        (["--model", "nosuch"], ["'nosuch'"]),
        (["--model", "st:"], ["model"]),
        (["--config", "/nonexistent/vnlint.toml"], ["config file not found"]),
    ],
)
def test_bad_flags(notice, args, needles):
    assert_usage_error([notice, "--format", "json", *args], *needles)


def test_bad_config_is_reported_by_the_real_cli(tmp_path, notice, run_vnlint):
    """The same, through a real process: one line, exit 2, nothing on stdout."""
    (tmp_path / "vnlint.toml").write_text("colour = true\n", encoding="utf-8")
    proc = run_vnlint(notice, "--format", "json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr_text
    assert proc.stderr_text.strip().splitlines() == [
        f"vnlint: error: {tmp_path / 'vnlint.toml'}: unknown key 'colour' in [tool.vnlint] (known: baseline, "
        "cache, exclude, extend-select, fail-on, ignore, jobs, knowledge, max-file-size, model, per-file-ignores, "
        "rules, select, severity, tm)"
    ]
    assert proc.stdout_text == ""
    proc = run_vnlint(notice, "--model", "nosuch")
    assert proc.returncode == 2 and len(proc.stderr_text.strip().splitlines()) == 1


def test_model_that_cannot_load_is_a_usage_error(tmp_path, monkeypatch):
    """A model that fails to load (a well-formed spec naming nothing on disk, a missing optional
    dependency): exit 2 with one `vnlint: error:` line, not an internal-error finding per file."""
    import vnlint.embed
    import vnlint.runner

    class Unloadable:
        name, dim = "use-m3", 512

        def encode(self, texts):
            raise vnlint.embed.UnknownModelError("cannot load model 'use-m3' offline: weights not found")

    monkeypatch.setattr(vnlint.runner, "_EMBEDDERS", {})
    monkeypatch.setattr(vnlint.embed, "get_embedder", lambda spec, cache=True, **k: Unloadable())
    for name in ("a.txt", "b.txt"):  # both halves: the model is needed
        (tmp_path / name).write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    assert_usage_error([tmp_path, "--format", "json", "-j", "1"], "cannot load model 'use-m3'")


# ------------------------------------------------------------ good configuration is applied


def _by_file(findings):
    out = {}
    for f in findings:
        out.setdefault(Path(f["path"]).name, []).append((f["code"], f["severity"]))
    return out


@pytest.fixture
def nested(tmp_path):
    """outer/vnlint.toml: VN104 is info. outer/inner/vnlint.toml: VN104 ignored.
    Files: outer/a.txt, outer/inner/b.txt, outer/inner/deeper/c.txt (all English-only: VN104),
    and outer/inner/r.txt (renumbered section: VN111)."""
    outer = tmp_path / "outer"
    inner = outer / "inner"
    deeper = inner / "deeper"
    deeper.mkdir(parents=True)
    (outer / "vnlint.toml").write_text('severity = { french-half-missing = "info" }\n', encoding="utf-8")
    (inner / "vnlint.toml").write_text('ignore = ["VN104"]\nseverity = { VN111 = "error" }\n', encoding="utf-8")
    for p in (outer / "a.txt", inner / "b.txt", deeper / "c.txt"):
        p.write_text(english_only(), encoding="utf-8")
    (inner / "r.txt").write_text(renumbered(), encoding="utf-8")
    return outer


def test_nearest_config_wins(nested):
    code, findings, _ = lint(nested, "--format", "json", "--model", "none")
    got = _by_file(findings)
    assert got["a.txt"] == [("VN104", "info")]  # outer config: VN104 downgraded
    assert "b.txt" not in got and "c.txt" not in got  # inner config (also for deeper/): VN104 ignored
    assert ("VN111", "error") in got["r.txt"]  # inner severity override
    assert code == 1  # VN111 as error fails the run
    # Only a.txt: its one finding is info, below the default fail-on (warning).
    code, findings, _ = lint(nested / "a.txt", "--format", "json", "--model", "none")
    assert code == 0 and [f["code"] for f in findings] == ["VN104"]


def test_flags_override_config(nested):
    code, findings, _ = lint(nested, "--format", "json", "--model", "none", "--select", "VN104")
    got = _by_file(findings)
    # --select replaces every config's selection; the outer config's severity still applies.
    assert got == {"a.txt": [("VN104", "info")], "b.txt": [("VN104", "error")], "c.txt": [("VN104", "error")]}
    code, findings, _ = lint(
        nested, "--format", "json", "--model", "none", "--select", "VN1", "--ignore", "french-half-missing,VN112"
    )
    assert {f["code"] for f in findings} == {"VN111"}
    code, findings, _ = lint(nested, "--format", "json", "--model", "none", "--isolated")
    got = _by_file(findings)
    assert got["b.txt"] == [("VN104", "error")] and ("VN111", "warning") in got["r.txt"]


def test_explicit_config_file(nested, tmp_path):
    cfg = tmp_path / "elsewhere.toml"
    cfg.write_text(
        'select = ["structure"]\nignore = ["VN112"]\nfail-on = "error"\nseverity = { VN104 = "warning" }\n',
        encoding="utf-8",
    )
    code, findings, _ = lint(nested, "--format", "json", "--model", "none", "--config", cfg)
    got = _by_file(findings)
    # The nearest configs are not read: every English-only file reports VN104, as a warning.
    assert got["a.txt"] == got["b.txt"] == got["c.txt"] == [("VN104", "warning")]
    assert got["r.txt"] == [("VN111", "warning")]
    assert code == 0  # fail-on = "error" and nothing is an error
    # A pyproject.toml given explicitly: its [tool.vnlint] table.
    py = tmp_path / "pyproject.toml"
    py.write_text('[project]\nname = "x"\n[tool.vnlint]\nselect = ["VN111"]\n', encoding="utf-8")
    code, findings, _ = lint(nested, "--format", "json", "--model", "none", "--config", py)
    assert {f["code"] for f in findings} == {"VN111"} and code == 1


def test_select_prefix_family_and_rule_names_resolve(tmp_path):
    s = parse({"select": ["VN1", "fields"], "ignore": ["title-missing"], "extend-select": ["VN501"]}, "t")
    assert "VN109" not in s.select and {"VN104", "VN203", "VN501"} <= s.select
    assert not any(c.startswith(("VN3", "VN4")) for c in s.select)
    with pytest.raises(ConfigError, match="unknown code or rule 'VN1000'"):
        parse({"select": ["VN1000"]}, "t")


def test_read_config_file_shapes(tmp_path):
    p = tmp_path / "vnlint.toml"
    p.write_text('[tool.vnlint]\nselect = ["VN1"]\n', encoding="utf-8")
    assert read_config_file(p) == {"select": ["VN1"]}  # a [tool.vnlint] table inside vnlint.toml
    p.write_text("", encoding="utf-8")
    assert read_config_file(p) == {} and parse({}, str(p)).select == Settings().select
    py = tmp_path / "pyproject.toml"
    py.write_text("tool = 3\n", encoding="utf-8")
    assert read_config_file(py) is None
    r = ConfigResolver()
    assert r.for_path(str(tmp_path / "x.txt")).select == Settings().select
