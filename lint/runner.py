"""Linting files: read, split, align, run the selected rules. Never raises on a bad notice."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from . import engine
from .structure_align import align
from .config import ConfigError
from .model import Alignment, Finding, Notice
from .source import NotText, ReadError, read_source, source_from_bytes
from .split import split

TEXT_SUFFIXES = (".txt", ".md")
DOC_SUFFIXES = (".docx", ".pdf")


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None  # unreadable input: a usage error line (exit 2)
    notice: Optional[Notice] = None
    alignment: Optional[Alignment] = None
    notes: list[str] = field(default_factory=list)  # said on stderr (e.g. a pair given in the wrong order)
    not_notice: bool = False  # found by a walk (or the hook), no notice signature: skipped, not linted


def selected_rules(settings) -> list[engine.Rule]:
    rules = engine.load_checks()
    return [r for code, r in sorted(rules.items()) if code in settings.select and not r.engine]


def needs_model(rules: list[engine.Rule], settings) -> bool:
    return settings.model != "none" and any(r.needs_model for r in rules)


def not_run(settings) -> set[str]:
    """Selected codes that do not run with these settings: those that need the model, with model none."""
    if settings.model != "none":
        return set()
    return {code for code, r in engine.load_checks().items() if r.needs_model and code in settings.select}


_EMBEDDERS: dict[tuple, object] = {}


def get_embedder(settings):
    """The embedder for these settings, created once per process and reused for every file."""
    from .embed import get_embedder as make

    key = (settings.model, settings.cache)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = make(settings.model, cache=settings.cache)
    return _EMBEDDERS[key]


def load_notice(path: str, settings, display: str | None = None) -> Notice:
    """Read and split a file (text, or .docx/.pdf through the same reflow)."""
    lower = path.lower()
    if lower.endswith(DOC_SUFFIXES):
        from .documents import read_document

        source = read_document(path, max_bytes=settings.max_file_size, display=display)
    else:
        source = read_source(path, max_bytes=settings.max_file_size, display=display)
    return split(source)


def lint_notice(
    notice: Notice, settings, rules: list[engine.Rule] | None = None, embedder_factory: Callable | None = None
) -> tuple[list[Finding], Alignment]:
    rules = selected_rules(settings) if rules is None else rules
    alignment = align(notice)
    findings: list[Finding] = []
    if needs_model(rules, settings) and notice.en is not None and notice.fr is not None:
        try:
            from .paragraph_align import semantic_align

            embedder = (embedder_factory or get_embedder)(settings)
            semantic_align(notice, alignment, embedder, settings)
        except Exception as exc:  # model trouble: say so, run what needs no model
            from .embed import UnknownModelError

            if isinstance(exc, UnknownModelError):  # no such model, or it cannot load: a usage error
                from .config import ConfigError

                raise ConfigError(str(exc)) from None
            findings.append(
                engine.internal_error(notice.path, f"semantic alignment failed: {type(exc).__name__}: {exc}")
            )
            rules = [r for r in rules if not r.needs_model]
    else:
        rules = [r for r in rules if not r.needs_model]
    findings += engine.run_rules(notice, alignment, settings, rules)
    return findings, alignment


def display_alignment(
    notice: Notice, alignment: Optional[Alignment], settings, embedder_factory: Callable | None = None
) -> Optional[Alignment]:
    """The alignment to show a reader (`vnlint show`, the HTML report): by meaning whenever the model
    is available, even when no selected rule needed it (the findings are not affected: they were
    computed on the run's own alignment). Structural (alignment.semantic False) with model none."""
    if alignment is None or alignment.semantic or settings.model == "none" or notice.en is None or notice.fr is None:
        return alignment
    try:
        from .paragraph_align import semantic_align

        shown = align(notice)
        semantic_align(notice, shown, (embedder_factory or get_embedder)(settings), settings)
        return shown
    except Exception:  # noqa: BLE001 - the model cannot be used: show the structural pairing
        return alignment


def display_path(path: str) -> str:
    """The path as reports show it. A file name that is not valid UTF-8 reaches Python with its bad
    bytes as lone surrogates, which no report can encode: each becomes U+FFFD."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return (
            path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            if all(not ("\ud800" <= c <= "\udfff") or "\udc80" <= c <= "\udcff" for c in path)
            else path.encode("utf-8", "replace").decode("utf-8")
        )


def has_signature(notice: Notice) -> bool:
    """Anything of a vacancy notice, in either language: a half, a header field, a numbered section
    heading or the VACANCY NOTIFICATION banner. requirements.txt or NOTES.md have none. An empty
    file is not skipped: in a folder of notices it is a notice not written yet (VN102)."""
    return (
        bool(notice.halves)
        or any(b.kind in ("field", "heading", "banner", "title") for b in notice.blocks)
        or any(p.rule == "empty-notice" for p in notice.problems)
    )


def lint_file(
    path: str, settings, display: str | None = None, embedder_factory=None, keep: bool = False, walked: bool = False
) -> FileResult:
    """walked: the file was found by a directory walk or named by the pre-commit hook, not named by
    the user; one with no notice signature at all is then skipped (result.not_notice), not VN103."""
    shown = display_path(display or path)
    result = FileResult(shown)
    key = None
    if not keep and embedder_factory is None and not path.lower().endswith(DOC_SUFFIXES):
        from . import resultcache

        cached, key = resultcache.lookup(path, shown, settings)
        # A walked file whose cached findings could be those of a non-notice is read again (cheap,
        # no model): whether it is skipped depends on how it was found, which the cache does not key.
        if cached is not None and not (
            walked and ("VN103" not in settings.select or any(f.code == "VN103" for f in cached))
        ):
            result.findings = cached
            return result
    try:
        notice = load_notice(path, settings, display=shown)
    except ReadError as exc:
        result.error = str(exc)
        return result
    except NotText as exc:
        from .codes import BY_NAME

        if BY_NAME[exc.rule].code in settings.select:  # not-text or file-too-large
            result.findings.append(engine.file_finding(shown, exc.rule, str(exc), settings))
        return result
    except Exception as exc:  # pragma: no cover - defensive: never a traceback
        result.findings.append(engine.internal_error(shown, f"could not read notice: {type(exc).__name__}: {exc}"))
        return result
    if walked and not has_signature(notice):
        result.not_notice = True
        return result
    try:
        findings, alignment = lint_notice(notice, settings, embedder_factory=embedder_factory)
    except ConfigError:
        raise  # the model cannot be used: exit 2 for the whole run, not a finding per file
    except Exception as exc:  # pragma: no cover - defensive
        findings, alignment = [engine.internal_error(shown, f"{type(exc).__name__}: {exc}")], None
    from .suppress import apply_suppressions

    findings = apply_suppressions(notice, findings, settings)
    result.findings = engine.sort_findings(findings)
    if keep:
        result.notice, result.alignment = notice, display_alignment(notice, alignment, settings, embedder_factory)
    if key is not None and not any(f.code == "VN199" for f in result.findings):
        from . import resultcache

        resultcache.store(key, result.findings)
    return result


def lint_text(text: str, settings, path: str = "<text>", embedder_factory=None) -> FileResult:
    """Lint a notice given as a string (used by tests and the pair command)."""
    result = FileResult(path)
    try:
        # Lone surrogates (from surrogateescape'd input) cannot be encoded: make them U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        notice = split(source_from_bytes(path, text.encode("utf-8")))
    except NotText as exc:
        result.findings.append(engine.file_finding(path, exc.rule, str(exc), settings))
        return result
    findings, alignment = lint_notice(notice, settings, embedder_factory=embedder_factory)
    from .suppress import apply_suppressions

    result.findings = engine.sort_findings(apply_suppressions(notice, findings, settings))
    result.notice, result.alignment = notice, alignment
    return result


def expand_paths(paths: Iterable[str], exclude: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Files to lint (directories walked for *.txt and *.md, symlink loops avoided) and errors."""
    files: list[str] = []
    errors: list[str] = []
    exclude = exclude or []
    for p in paths:
        if p == "-":
            files.append(p)
            continue
        if os.path.isdir(p):
            from .gitignore import GitIgnores

            ignores = GitIgnores(p)
            seen: set[tuple[int, int]] = set()

            def unreadable(exc: OSError, top: str = p) -> None:  # skipped in silence, it would pass the CI gate
                errors.append(f"{exc.filename or top}: cannot read directory: {exc.strerror or exc}")

            for root, dirs, names in os.walk(p, followlinks=True, onerror=unreadable):
                try:
                    st = os.stat(root)
                except OSError:
                    continue
                ident = (st.st_dev, st.st_ino)
                if ident in seen:
                    dirs[:] = []
                    continue
                seen.add(ident)
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not ignores.ignored(os.path.join(root, d), True)
                )
                for n in sorted(names):
                    full = os.path.join(root, n)
                    if not n.lower().endswith(TEXT_SUFFIXES + DOC_SUFFIXES):
                        continue
                    if ignores.ignored(full):
                        continue
                    if n.lower() in ("readme.md", "changelog.md", "manifest.md"):
                        continue
                    if any(fnmatch.fnmatch(full, pat) or fnmatch.fnmatch(n, pat) for pat in exclude):
                        continue
                    try:
                        mode = os.stat(full).st_mode
                    except OSError:
                        mode = None  # a dangling link: reading it says why
                    if mode is not None and not stat.S_ISREG(mode):
                        # A FIFO, socket or device found by walking: opening it could block forever.
                        errors.append(f"{full}: not a regular file (FIFO, socket or device); not read")
                        continue
                    files.append(full)
        elif os.path.lexists(p) or os.path.exists(p):
            files.append(p)
        else:
            errors.append(f"{p}: no such file or directory")
    return files, errors
