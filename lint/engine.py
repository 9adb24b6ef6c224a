"""The engine: runs the selected checks over a notice and turns their hits into findings.

A check is a function decorated with @rule("rule-name"). Its scope is declared by the type of its
first parameter (Notice, TitlePair, FieldPair, SectionPair, BlockPair, Unpaired); its second
parameter is the Context. The engine owns codes, severities, configuration, suppression and order.
A rule declares its options once, on @rule(options={"min-words": Option(4, "one-line doc")}); a check
reads them with ctx.opt("min-words"), and other code with rule_options(settings, "rule-name").
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import importlib
import inspect
import os
import pickle
import re
import threading
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from . import codes as codes_mod
from .codes import CODES, SEVERITY_RANK, Code
from .model import (
    Alignment,
    Finding,
    Hit,
    Notice,
    Place,
)

SCOPES = {
    "Notice": "document",
    "Alignment": "document",
    "TitlePair": "title",
    "FieldPair": "field",
    "SectionPair": "section",
    "BlockPair": "block",
    "Unpaired": "unpaired",
}
CHECK_MODULES = ("structure", "fields", "semantic", "acronyms", "numbers", "links", "glossary", "style", "meaning")


_OPTION_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_TESTED = re.compile(r"^Tested:.*(?:\n[ \t]+\S.*)*\n?", re.M)


@dataclass(frozen=True)
class Option:
    """A rule option, declared once on @rule: its default (which also sets its type) and a one-line doc."""

    default: object
    doc: str

    @property
    def kind(self) -> str:
        """The option's type in words ("a number", "true or false", "a list"...), from its default."""
        return value_kind(self.default)


def value_kind(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


@dataclass
class Rule:
    code: Code
    func: Callable
    scope: str
    needs_model: bool
    options: dict[str, Option] = field(default_factory=dict)
    engine: bool = False  # reported by the engine itself (binary file, crash...), never run as a check

    @property
    def name(self) -> str:
        return self.code.name

    @property
    def source_doc(self) -> str:
        """The whole docstring, with the `Tested:` lines the test harness reads."""
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def doc(self) -> str:
        """The documentation users see (explain, rules --docs, SARIF, HTML): no test references."""
        return _TESTED.sub("", self.source_doc).rstrip()

    @property
    def defaults(self) -> dict:
        return {name: o.default for name, o in self.options.items()}

    def options_doc(self) -> list[str]:
        """One line per option: `name = default  doc`, in TOML spelling."""
        return [f"{name} = {_toml(o.default)}  # {o.doc}" for name, o in self.options.items()]


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


RULES: dict[str, Rule] = {}


def rule(name: str, *, needs_model: bool = False, engine: bool = False, options: dict[str, Option] | None = None):
    """Register a check for rule `name` (which must be in the code table), with its options."""
    code = codes_mod.BY_NAME.get(name)
    if code is None:
        raise KeyError(f"rule {name!r} is not in the code table (lint/codes.py)")
    options = dict(options or {})
    for key, o in options.items():
        if not _OPTION_NAME.fullmatch(key) or not isinstance(o, Option):
            raise TypeError(f"rule {name}: option {key!r} must be kebab-case and declared with Option(default, doc)")

    def deco(func):
        params = list(inspect.signature(func).parameters.values())
        ann = params[0].annotation if params else None
        ann_name = ann if isinstance(ann, str) else getattr(ann, "__name__", "")
        scope = SCOPES.get(ann_name)
        if scope is None:
            raise TypeError(f"check {func.__name__}: first parameter must be annotated with a scope type")
        RULES[code.code] = Rule(code, func, scope, needs_model, options, engine)
        func.rule_code = code.code
        return func

    return deco


def load_checks() -> dict[str, Rule]:
    for mod in CHECK_MODULES:
        importlib.import_module(f"vnlint.checks.{mod}")
    return RULES


@dataclass
class Context:
    """What a check may look at besides its subject: the notice, the alignment, options, knowledge."""

    notice: Notice
    alignment: Alignment
    settings: "object"  # vnlint.config.Settings
    rule: Optional[Rule] = None
    cache: dict = field(default_factory=dict)
    _options: Optional[dict] = field(default=None, repr=False)

    def opt(self, name: str):
        """An option of this check's rule: [tool.vnlint.rules.<rule-name>], else its declared default.
        An option the rule does not declare is a KeyError (a bug in the check)."""
        if self._options is None:
            self._options = rule_options(self.settings, self.rule.name)
        return self._options[name]

    def knowledge(self, name: str) -> dict:
        return self.settings.knowledge(name)


def rule_options(settings, name: str) -> dict:
    """The options of rule `name`: its declared defaults, overridden by the user's settings
    ([tool.vnlint.rules.<name>]). The one place where defaults and configuration meet."""
    declared = load_checks().get(codes_mod.BY_NAME[name].code)
    out = declared.defaults if declared is not None else {}
    out.update((getattr(settings, "rule_options", None) or {}).get(name, {}))
    return out


def _fingerprint(path: str, code: str, notice: Notice, hit: Hit) -> str:
    """A content-based identity for baselines: the code plus the text of the lines involved."""
    lines = notice.source.lines

    def text(p: Place) -> str:
        return " ".join(lines[i - 1].strip() for i in range(p.line, min(p.end_line, len(lines)) + 1))

    h = hashlib.sha256()
    h.update(code.encode())
    h.update(b"\0" + text(hit.place).encode())
    for r in hit.related:
        h.update(b"\0" + text(r).encode())
    return h.hexdigest()[:24]


def _subjects(scope: str, notice: Notice, alignment: Alignment) -> Iterable:
    if scope == "document":
        return [notice]
    if scope == "title":
        return [alignment.title] if alignment.title else []
    if scope == "field":
        return alignment.fields
    if scope == "section":
        return alignment.sections
    if scope == "block":
        # Paragraphs found in another section are pairs too (alignment.moved).
        return [bp for sp in alignment.sections if sp.aligned for bp in sp.block_pairs] + list(alignment.moved)
    if scope == "unpaired":
        return [u for sp in alignment.sections if sp.aligned for u in sp.unpaired]
    return []


def _max_pairs(settings) -> int:
    """The bound on the pairs given to paragraph-pair (block scope) rules: option max-pairs of
    alignment-limited (VN119), which reports it."""
    return int(rule_options(settings, "alignment-limited")["max-pairs"])


def run_rules(notice: Notice, alignment: Alignment, settings, rules: list[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    path = notice.path
    n_lines = max(1, len(notice.source.lines))
    shared: dict = {}  # one cache per notice, shared by every rule (parsed quantities, acronyms...)
    subjects = {scope: list(_subjects(scope, notice, alignment)) for scope in {r.scope for r in rules}}
    cap = _max_pairs(settings)
    pairs = subjects.get("block", [])
    if len(pairs) > cap and any(r.scope == "block" for r in rules):
        # Linear time on any file: the pair checks see the first `cap` pairs, and VN119 says so.
        last = pairs[cap - 1]
        subjects["block"] = pairs[:cap]
        where = last.en[-1] if last.en else last.fr[-1]
        alignment.limits.append(
            (
                Place(where.end_line, where.end_line, where.lang),
                f"the notice has {len(pairs):,} paragraph pairs, more than {cap:,} "
                "(alignment-limited max-pairs): the paragraph-pair checks (numbers, acronyms, "
                f"terms...) stopped after this line, {len(pairs) - cap:,} pairs were not checked",
                (),
            )
        )

    def run(r: Rule) -> list[Finding]:
        out: list[Finding] = []
        ctx = Context(notice=notice, alignment=alignment, settings=settings, rule=r, cache=shared)
        for subject in subjects.get(r.scope, ()):
            try:
                hits = list(r.func(subject, ctx) or ())
            except Exception as exc:  # a bug in a check must not hide the other findings
                tb = traceback.extract_tb(exc.__traceback__)[-1]
                hits = []
                out.append(
                    internal_error(
                        path,
                        f"check {r.name} failed: {type(exc).__name__}: {exc} "
                        f"({tb.filename.rsplit('/', 1)[-1]}:{tb.lineno})",
                    )
                )
            for hit in hits:
                out.append(to_finding(path, r.code, hit, notice, settings, n_lines))
        return out

    aside = [i for i, r in enumerate(rules) if r.name in ASIDE_RULES] if _may_split(subjects) else []
    other = _RulesAside(aside, rules, run) if aside else None
    done: dict[int, list[Finding]] = {}
    for i, r in enumerate(rules):
        if other is None or i not in other.indices:
            done[i] = run(r)
    if other is not None:
        done.update(other.results())
    for i in range(len(rules)):
        findings += done[i]
    return findings


# Rules a run gives to a second process while it runs the others (split_rules): the two
# glossary rules, which share their per-pair work (the terms both ways, the compound modifiers), are
# about half of the rule time on a notice. They read nothing the other rules leave behind.
ASIDE_RULES = frozenset({"glossary-term", "term-substitution"})
MIN_SPLIT_PAIRS = 12  # paragraph pairs: on fewer, the fork costs more than it saves
_SPLIT = {"pid": None}


def split_rules() -> None:
    """Let this process run ASIDE_RULES in a forked copy of itself while it runs the other rules
    (a daemon's run, or a run that lints its files one after the other without --jobs 1: the
    machine's cores are its own). Only this process: a --jobs worker it forks runs every rule
    itself."""
    _SPLIT["pid"] = os.getpid()


def _may_split(subjects: dict) -> bool:
    """This process was told it may, the notice is large enough, and no other thread runs (a fork
    copies only the calling thread: one holding a lock would leave it held in the copy)."""
    return (
        _SPLIT["pid"] == os.getpid()
        and hasattr(os, "fork")
        and len(subjects.get("block", ())) >= MIN_SPLIT_PAIRS
        and threading.active_count() == 1
    )


class _RulesAside:
    """Rules run by a forked copy of this process, their findings sent back pickled through a pipe.
    Anything wrong (no fork, the copy dies, a short or bad answer): this process runs them itself,
    so the findings are always those of one process running every rule."""

    def __init__(self, indices: list[int], rules: list[Rule], run: Callable[[Rule], list[Finding]]):
        self.indices, self._rules, self._run = set(indices), rules, run
        self._pid, self._fd = None, -1
        try:
            r, w = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # pragma: no cover - the copy (its findings are compared in tests/test_daemon.py)
            code = 1
            try:
                os.close(r)
                data = pickle.dumps([(i, run(rules[i])) for i in sorted(indices)], protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(w, view) :]
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self._pid, self._fd = pid, r

    def results(self) -> dict[int, list[Finding]]:
        got = None
        if self._pid is not None:
            chunks = []
            status = 0
            try:
                while True:
                    chunk = os.read(self._fd, 1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
            finally:
                os.close(self._fd)
                try:
                    _, status = os.waitpid(self._pid, 0)
                except ChildProcessError:  # reaped by the system (SIGCHLD ignored): the answer says
                    pass
            if status == 0:
                try:
                    got = dict(pickle.loads(b"".join(chunks)))
                except Exception:  # noqa: BLE001 - a short or damaged answer: run them here
                    got = None
        if got is None or set(got) != self.indices:
            got = {i: self._run(self._rules[i]) for i in sorted(self.indices)}
        return got


def to_finding(path: str, code: Code, hit: Hit, notice: Notice, settings, n_lines: int) -> Finding:
    def clamp(p: Place) -> Place:
        line = min(max(1, p.line), n_lines)
        end = min(max(line, p.end_line), n_lines)
        end_column = p.end_column if p.end_column is not None and p.end_column > p.column else None
        return Place(line, end, p.lang, max(1, p.column), end_column)

    place = clamp(hit.place)
    related = tuple(clamp(r) for r in hit.related)
    severity = settings.severity_for(code) if settings is not None else code.severity
    message, paged = hit.message, notice.source.page_of(place.line)
    if paged is not None:  # a .pdf: the page and the line within it, for the finding and its counterparts
        where = [f"page {paged[0]}, line {paged[1]}"]
        for r in related:
            p, n = notice.source.page_of(r.line)
            where.append(f"{ {'en': 'EN ', 'fr': 'FR '}.get(r.lang, '') }page {p}, line {n}")
        message = f"{message} ({'; '.join(where)})"
    return Finding(
        path=path,
        code=code.code,
        rule=code.name,
        severity=severity,
        message=message,
        line=place.line,
        end_line=place.end_line,
        column=place.column,
        lang=place.lang or None,
        section=hit.section,
        related=related,
        suggestion=hit.suggestion,
        fingerprint=_fingerprint(path, code.code, notice, Hit(place, hit.message, related)),
        end_column=place.end_column,
        page=paged[0] if paged else None,
        page_line=paged[1] if paged else None,
        fix=hit.fix if notice.source.encoding not in ("docx", "pdf") else None,  # documents are never edited
    )


def internal_error(path: str, message: str) -> Finding:
    code = CODES["VN199"]
    return Finding(path, code.code, code.name, code.severity, message, 1, 1, 1, None, None)


def file_finding(path: str, rule_name: str, message: str, settings=None, line: int = 1) -> Finding:
    """A finding about the whole file (binary, too large...), before any notice could be built."""
    code = codes_mod.BY_NAME[rule_name]
    severity = settings.severity_for(code) if settings is not None else code.severity
    h = hashlib.sha256(f"{code.code}\0{message}".encode()).hexdigest()[:24]
    return Finding(path, code.code, code.name, severity, message, line, line, 1, None, None, fingerprint=h)


def _same_difference(general: Finding, specific: Finding) -> bool:
    """Both findings are about the same place: the specific one lies within the general one's lines on
    the same side, and both point at the same counterpart (or, without one, at the same lines)."""
    if (
        general.path != specific.path
        or not general.lang
        or general.lang != specific.lang
        or not general.line <= specific.line <= specific.end_line <= general.end_line
    ):
        return False
    if not general.related or not specific.related:
        return (general.line, general.end_line) == (specific.line, specific.end_line)
    return any(
        a.lang == b.lang and a.line <= b.end_line and b.line <= a.end_line
        for a in general.related
        for b in specific.related
    )


def fold_overlaps(findings: list[Finding]) -> list[Finding]:
    """One defect, one finding: a finding folded into a more specific one at the same place.

    Tiers come from codes.OVERLAP_TIERS. A finding is folded into a finding of a more specific tier
    at the same place (see _same_difference) whose severity is at least its own (folding never
    lowers what --fail-on sees) and that has a fix if it has one (a fix is never dropped); the kept
    finding's message gains "(also CODE name: message)" and its related places gain the folded
    one's. Findings outside the tiers are never touched.
    """
    tiers = {id(f): codes_mod.overlap_tier(f.code) for f in findings}
    if sum(1 for t in tiers.values() if t is not None) < 2:
        return findings
    kept: dict[int, Finding] = {}  # id(original) -> the finding as reported (messages extended)
    by_place: dict[tuple, list[Finding]] = {}  # (path, lang) -> kept findings of a tier, by line
    folded: set[int] = set()
    order = sorted((f for f in findings if tiers[id(f)] is not None), key=lambda f: (tiers[id(f)], f.sort_key()))
    for f in order:
        key = (f.path, f.lang)
        target = None
        near = by_place.get(key, [])
        for cand in near[bisect.bisect_left(near, f.line, key=lambda x: x.line) :]:
            if cand.line > f.end_line:
                break
            if (
                tiers[id(cand)] < tiers[id(f)]
                and SEVERITY_RANK[cand.severity] >= SEVERITY_RANK[f.severity]
                and (f.fix is None or cand.fix is not None)
                and _same_difference(f, cand)
            ):
                target = cand
                break
        if target is None:
            bisect.insort(by_place.setdefault(key, []), f, key=lambda x: (x.line, tiers[id(x)], x.sort_key()))
            continue
        folded.add(id(f))
        now = kept.get(id(target), target)
        seen = {(r.line, r.end_line, r.lang) for r in now.related}  # the same lines, whatever the columns
        related = now.related + tuple(r for r in f.related if (r.line, r.end_line, r.lang) not in seen)
        kept[id(target)] = dataclasses.replace(
            now, message=f"{now.message} (also {f.code} {f.rule}: {f.message})", related=related
        )
    return [kept.get(id(f), f) for f in findings if id(f) not in folded]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


def at_or_above(findings: list[Finding], level: str) -> list[Finding]:
    rank = SEVERITY_RANK[level]
    return [f for f in findings if SEVERITY_RANK[f.severity] >= rank]
