"""Configuration: [tool.vnlint] in pyproject.toml or a vnlint.toml; the nearest one to a file wins.

Keys (all optional):
  select = ["VN2", "terms"]          codes, prefixes, rule names or families to run (default: all)
  ignore = ["VN502"]                 the same, to leave out
  severity = { VN301 = "error" }     per-code (or rule-name) severity
  fail-on = "warning"                lowest severity that makes the exit code 1
  model = "use-m3"                   embedder: use-m3 | sentence-transformers:<name or path> | none
  cache = true                       embedding cache on disk
  max-file-size = 5242880            bytes; larger files are reported (VN101), not read
  exclude = ["drafts/"]              files not linted (gitignore-style patterns, relative to this file)
  per-file-ignores = { "legacy/*.txt" = ["VN5"] }   codes left out for matching files (same patterns)
  baseline = "vnlint-baseline.json"  a baseline file, relative to this file
  rules = { low-similarity = { z = -2.5 } }   per-rule options (kebab-case; `vnlint explain`)
  knowledge = { acronyms = { pairs = [["DPPC", "CPPD"]] } }  extends the data files
  tm = "tm.json"                     translation memory (`vnlint tm build`), relative to this file
"""

from __future__ import annotations

import copy
import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from . import knowledge as kn
from .codes import CODES, SEVERITIES, Code, resolve
from .engine import value_kind as _kind

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "severity",
    "fail-on",
    "model",
    "cache",
    "max-file-size",
    "exclude",
    "rules",
    "knowledge",
    "jobs",
    "baseline",
    "per-file-ignores",
    "tm",
}


class ConfigError(Exception):
    """A configuration problem: reported as a usage error (exit 2) with a one-line message."""


def _codes(selectors, where: str) -> set[str]:
    out: set[str] = set()
    for s in selectors:
        found = resolve(str(s))
        if not found:
            raise ConfigError(f"{where}: unknown code or rule {s!r} (see `vnlint rules`)")
        out.update(c.code for c in found)
    return out


@dataclass
class Settings:
    select: set[str] = field(default_factory=lambda: set(CODES))
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str = "warning"
    model: str = "use-m3"
    cache: bool = True
    max_file_size: int = 5 * 1024 * 1024
    exclude: list[str] = field(default_factory=list)
    rule_options: dict[str, dict] = field(default_factory=dict)
    knowledge_ext: dict[str, dict] = field(default_factory=dict)
    source: Optional[str] = None  # the file the settings came from
    baseline: Optional[str] = None  # absolute, or relative to the working directory (--baseline)
    per_file_ignores: list[tuple[str, frozenset]] = field(default_factory=list)  # (pattern, codes)
    tm: str | None = None  # translation memory file (vnlint.tm)
    _knowledge: dict = field(default_factory=dict, repr=False)
    _specs: dict = field(default_factory=dict, repr=False)

    @property
    def root(self) -> str:
        """The directory that relative paths and patterns in the settings are relative to: the config
        file's own directory (the working directory when there is no config file)."""
        return os.path.dirname(os.path.abspath(self.source)) if self.source else os.getcwd()

    def _relative(self, path: str) -> str:
        """`path` relative to the config file's directory, with / separators (the absolute path, less
        its root, for a file outside that directory), whatever the working directory."""
        full = os.path.abspath(path)
        rel = os.path.relpath(full, self.root)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            rel = os.path.splitdrive(full)[1].lstrip(os.sep)
        return rel.replace(os.sep, "/")

    def _matches(self, patterns: tuple[str, ...], path: str) -> bool:
        import pathspec

        if patterns not in self._specs:
            self._specs[patterns] = pathspec.GitIgnoreSpec.from_lines(patterns)
        return self._specs[patterns].match_file(self._relative(path))

    def excluded(self, path: str) -> bool:
        """`exclude` patterns (gitignore syntax) match the path relative to the config file."""
        return path != "-" and bool(self.exclude) and self._matches(tuple(self.exclude), path)

    def ignored_for(self, path: str) -> frozenset:
        """Codes that `per-file-ignores` leaves out for this file."""
        if path == "-":
            return frozenset()
        out: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if self._matches((pattern,), path):
                out |= codes
        return frozenset(out)

    def severity_for(self, code: Code) -> str:
        return self.severity.get(code.code, code.severity)

    def knowledge(self, name: str) -> dict:
        if name not in self._knowledge:
            base = kn.data(name)
            self._knowledge[name] = kn.merge(base, self.knowledge_ext.get(name, {}))
        return self._knowledge[name]

    def copy(self) -> "Settings":
        new = copy.copy(self)
        new.select = set(self.select)
        new.severity = dict(self.severity)
        new._knowledge = {}
        new._specs = {}
        return new


def parse(table: dict, where: str) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.vnlint] must be a table")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
            f"in [tool.vnlint] (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    s = Settings(source=where)
    if "select" in table:
        s.select = _codes(_list(table["select"], "select", where), f"{where}: select")
    if "extend-select" in table:
        s.select |= _codes(_list(table["extend-select"], "extend-select", where), f"{where}: extend-select")
    if "ignore" in table:
        s.select -= _codes(_list(table["ignore"], "ignore", where), f"{where}: ignore")
    sev = table.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(f'{where}: severity must be a table of code = "error"|"warning"|"info"')
    for key, value in sev.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{where}: severity for {key!r} must be one of {', '.join(SEVERITIES)}, not {value!r}")
        for code in _codes([key], f"{where}: severity"):
            s.severity[code] = value
    if "fail-on" in table:
        if table["fail-on"] not in SEVERITIES:
            raise ConfigError(f"{where}: fail-on must be one of {', '.join(SEVERITIES)}")
        s.fail_on = table["fail-on"]
    if "model" in table:
        s.model = str(table["model"])
        if s.model != "none":
            from .embed import UnknownModelError, check_spec

            try:
                check_spec(s.model)
            except UnknownModelError as exc:
                raise ConfigError(f"{where}: model: {exc}") from None
    if "cache" in table:
        if not isinstance(table["cache"], bool):
            raise ConfigError(f"{where}: cache must be true or false")
        s.cache = table["cache"]
    if "max-file-size" in table:
        size = table["max-file-size"]
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise ConfigError(f"{where}: max-file-size must be a positive number of bytes")
        s.max_file_size = table["max-file-size"]
    if "exclude" in table:
        s.exclude = _list(table["exclude"], "exclude", where)
    if "baseline" in table:
        if not isinstance(table["baseline"], str):
            raise ConfigError(f"{where}: baseline must be a string (a path relative to this file)")
        s.baseline = os.path.join(s.root, table["baseline"])  # relative to the config file, not to the cwd
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f'{where}: per-file-ignores must be a table of "pattern" = [codes]')
    for pattern, codes in pfi.items():
        s.per_file_ignores.append(
            (
                pattern,
                frozenset(
                    _codes(_list(codes, f"per-file-ignores.{pattern}", where), f"{where}: per-file-ignores.{pattern}")
                ),
            )
        )
    if "tm" in table:
        s.tm = check_tm(os.path.join(s.root, str(table["tm"])), f"{where}: tm")
    rules = table.get("rules", {})
    if not isinstance(rules, dict):
        raise ConfigError(f"{where}: rules must be a table of rule-name = {{ option = value }}")
    from .codes import BY_NAME

    for name, opts in rules.items():
        if name not in BY_NAME:
            raise ConfigError(f"{where}: rules: unknown rule {name!r} (see `vnlint rules`)")
        if not isinstance(opts, dict):
            raise ConfigError(f"{where}: rules.{name} must be a table of options")
        _check_options(name, opts, where)
        s.rule_options[name] = dict(opts)
    know = table.get("knowledge", {})
    if not isinstance(know, dict):
        raise ConfigError(f"{where}: knowledge must be a table")
    for name, ext in know.items():
        try:
            kn.data(name)
        except (FileNotFoundError, ModuleNotFoundError, OSError):
            raise ConfigError(f"{where}: knowledge: unknown data file {name!r}") from None
        if not isinstance(ext, dict):
            raise ConfigError(f"{where}: knowledge.{name} must be a table")
        unknown = sorted(set(ext) - set(kn.data(name)))
        if unknown:  # the entries below a data file's keys are the user's own (glossary terms...); its keys are not
            raise ConfigError(
                f"{where}: knowledge.{name}: unknown key {unknown[0]!r} (known: {', '.join(kn.data(name))})"
            )
        _check_shape(kn.data(name), ext, f"{where}: knowledge.{name}")
        s.knowledge_ext[name] = ext
    return s


def check_tm(path: str, where: str) -> str:
    """A translation memory that exists and can be read, or a ConfigError."""
    from .tm import TMError, load

    try:
        load(path)
    except TMError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return path


def _check_options(rule_name: str, opts: dict, where: str) -> None:
    """Each option must be one the rule declares (kebab-case), of the declared default's type: an
    unknown or misspelt key would be silently ignored, a wrong type would make the check fail on
    every notice (VN199) instead of one clear error here."""
    from .codes import BY_NAME
    from .engine import load_checks

    declared = load_checks().get(BY_NAME[rule_name].code)
    known = declared.options if declared else {}
    for key, value in opts.items():
        option = known.get(key)
        if option is None:
            kebab = str(key).replace("_", "-").lower()
            close = [kebab] if kebab in known else difflib.get_close_matches(str(key), list(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            listed = f"known: {', '.join(known)}" if known else f"{rule_name} has no options"
            raise ConfigError(f"{where}: rules.{rule_name}: unknown option {key!r} ({hint}{listed})")
        if _kind(value) != option.kind:
            raise ConfigError(f"{where}: rules.{rule_name}.{key} must be {option.kind}, not {value!r}")


def _check_shape(base: dict, ext: dict, where: str) -> None:
    """Extensions of a data file keep its shape (a list stays a list, a table a table)."""
    for key, value in ext.items():
        if key not in base:
            continue
        want, got = _kind(base[key]), _kind(value)
        if want in ("a list", "a table") and want != got:
            raise ConfigError(f"{where}.{key} must be {want}, not {value!r}")
        if want == "a table" and got == "a table":
            _check_shape(base[key], value, f"{where}.{key}")


def _list(value, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return list(value)


def read_config_file(path: Path) -> Optional[dict]:
    """The [tool.vnlint] table of a pyproject.toml, or the whole vnlint.toml; None if absent."""
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    tool = doc.get("tool")
    if path.name == "pyproject.toml":
        table = tool.get("vnlint") if isinstance(tool, dict) else None
    elif isinstance(tool, dict) and "vnlint" in tool:
        table = tool["vnlint"]
    else:
        table = doc
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.vnlint] must be a table, not {type(table).__name__}")
    return table


def find_config(start: Path) -> Optional[Path]:
    """The nearest vnlint.toml or pyproject.toml with a [tool.vnlint] table, walking up from `start`."""
    here = start if start.is_dir() else start.parent
    here = here.resolve()
    for d in [here, *here.parents]:
        for name in ("vnlint.toml", ".vnlint.toml", "pyproject.toml"):
            p = d / name
            if p.is_file():
                if name == "pyproject.toml":
                    table = read_config_file(p)
                    if table is None:
                        continue
                return p
    return None


class ConfigResolver:
    """Settings for each file: from --config if given, else the nearest config file (cached per dir)."""

    def __init__(self, explicit: Optional[str] = None, overrides=None, isolated: bool = False):
        self.explicit = explicit
        self.overrides = overrides or (lambda s: s)
        self.isolated = isolated
        self._by_dir: dict[str, Settings] = {}
        self._by_file: dict[str, Settings] = {}
        self._per_file_cache: dict[tuple, Settings] = {}
        if explicit:
            p = Path(explicit)
            if not p.is_file():
                raise ConfigError(f"{explicit}: config file not found")
            self._explicit = self._load(p)

    def _load(self, p: Path) -> Settings:
        key = str(p.resolve())
        if key not in self._by_file:
            table = read_config_file(p) or {}
            self._by_file[key] = self.overrides(parse(table, str(p)))
        return self._by_file[key]

    def for_path(self, path: str) -> Settings:
        if self.explicit:
            settings = self._explicit
        elif self.isolated:
            return self._default()
        else:
            d = os.path.dirname(os.path.abspath(path)) or "."
            if d not in self._by_dir:
                found = find_config(Path(d))
                self._by_dir[d] = self._load(found) if found else self._default()
            settings = self._by_dir[d]
        return self._per_file(settings, path)

    def _per_file(self, settings: Settings, path: str) -> Settings:
        """The settings less the codes that per-file-ignores leaves out for this file (one copy per set)."""
        if not settings.per_file_ignores:
            return settings
        ignored = settings.ignored_for(path) & settings.select
        if not ignored:
            return settings
        key = (id(settings), ignored)
        if key not in self._per_file_cache:
            narrowed = settings.copy()
            narrowed.select -= ignored
            self._per_file_cache[key] = narrowed
        return self._per_file_cache[key]

    def _default(self) -> Settings:
        if "<default>" not in self._by_file:
            self._by_file["<default>"] = self.overrides(Settings(source=None))
        return self._by_file["<default>"]
