"""The vnlint command line. Heavy modules are imported lazily so `vnlint --version` stays fast."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

# One OpenBLAS (numpy) thread unless VNLINT_THREADS or OPENBLAS_NUM_THREADS says otherwise; set
# before numpy is imported. vnlint's matrices are small: with OpenBLAS's default (a thread per core)
# each product paid ~0.1 s of thread start-up and spin-waiting on a busy 2-core machine. (torch, for
# the sentence-transformers backend, uses OpenMP threads and is left alone.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", os.environ.get("VNLINT_THREADS", "").strip() or "1")

import click  # noqa: E402

from . import __version__  # noqa: E402

FORMATS = ("text", "json", "junit", "sarif", "github", "html")
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C: never 1, which reads as "findings"


class DefaultGroup(click.Group):
    """`vnlint PATH...` means `vnlint lint PATH...`. Every usage error is one `vnlint: error:` line
    (exit 2), not click's usage block; Ctrl-C is `vnlint: interrupted`, exit 130."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["lint", *args]
        elif not args:
            args = ["lint"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()

    def main(self, *args, standalone_mode=True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click.Abort:  # Ctrl-C or end of input while click itself was parsing
            _interrupted()
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except SystemExit as exc:  # SIGTERM's handler (143), or any sys.exit below
            _exit(exc.code)
        _exit(rv if isinstance(rv, int) else 0)


def _interrupted() -> NoReturn:
    _stderr_line("vnlint: interrupted")
    _exit(EXIT_INTERRUPTED)


def _exit(code) -> NoReturn:
    """sys.exit, except after Ctrl-C or SIGTERM stopped worker processes: then flush and os._exit,
    because the interpreter's own exit would wait on the abandoned pool's threads (see parallel._stop)."""
    parallel = sys.modules.get("vnlint.parallel")
    if parallel is not None and parallel.abandoned():
        code = code if isinstance(code, int) else (0 if code is None else 1)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


def _stderr_line(text: str) -> None:
    from .report.text import safe

    try:
        click.echo(safe(text), err=True)
    except OSError:  # stderr gone too: the exit code still tells
        pass


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vnlint")
def main():
    """Bilingual consistency and translation-QA linter for NATO vacancy notices.

    Run `vnlint PATH...` to lint files and directories (*.txt, *.md, .docx, .pdf).
    """


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _stderr_line(f"vnlint: error: {message}")
    sys.exit(code)


def _make_resolver(config, isolated, select, ignore, extend_select, model, no_cache, fail_on, max_size, tm=None):
    from .codes import resolve
    from .config import ConfigError, ConfigResolver

    def codes(values, opt):
        out = set()
        for v in values:
            for part in v.split(","):
                if not part.strip():
                    continue
                found = resolve(part)
                if not found:
                    raise ConfigError(f"{opt}: unknown code or rule {part.strip()!r} (see `vnlint rules`)")
                out.update(c.code for c in found)
        return out

    sel = codes(select, "--select") if select else None
    ext = codes(extend_select, "--extend-select") if extend_select else set()
    ign = codes(ignore, "--ignore") if ignore else set()

    def overrides(s):
        s = s.copy()
        if sel is not None:
            s.select = set(sel)
        s.select |= ext
        s.select -= ign
        if model:
            s.model = model
        if no_cache:
            s.cache = False
        if fail_on:
            s.fail_on = fail_on
        if max_size:
            s.max_file_size = max_size
        if tm:
            s.tm = tm
        return s

    return ConfigResolver(config, overrides, isolated)


def _check_model(spec: str) -> None:
    from .embed import UnknownModelError, check_spec

    try:
        check_spec(spec)
    except UnknownModelError as exc:
        from .config import ConfigError

        raise ConfigError(str(exc)) from None


lint_options = [
    click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
    ),
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the report to a file instead of standard output.",
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="CODES",
        help="Only these codes, prefixes (VN2), rule names or families (terms). Repeatable.",
    ),
    click.option("--extend-select", multiple=True, metavar="CODES", help="Add to the selection."),
    click.option("--ignore", multiple=True, metavar="CODES", help="Leave these out. Repeatable."),
    click.option(
        "--fail-on",
        type=click.Choice(["info", "warning", "error"]),
        default=None,
        help="Lowest severity that makes the exit code 1 [default: warning].",
    ),
    click.option(
        "--model",
        default=None,
        metavar="SPEC",
        help="Embedder: use-m3 (default), sentence-transformers:NAME_OR_PATH, or none.",
    ),
    click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache."),
    click.option(
        "--config",
        type=click.Path(dir_okay=False),
        default=None,
        help="Use this config file instead of the nearest vnlint.toml / pyproject.toml.",
    ),
    click.option("--isolated", is_flag=True, help="Ignore configuration files."),
    click.option(
        "--max-file-size",
        type=click.IntRange(min=1),
        default=None,
        metavar="BYTES",
        help="Files larger than this are reported (VN101), not read.",
    ),
    click.option(
        "-j", "--jobs", type=int, default=0, metavar="N", help="Parallel processes for many files [default: all cores]."
    ),
    click.option(
        "--baseline",
        type=click.Path(dir_okay=False),
        default=None,
        help="Hide findings recorded in this baseline file.",
    ),
    click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False),
        default=None,
        help="Record the current findings as accepted, in this file, and exit 0.",
    ),
    click.option("--statistics", is_flag=True, help="Print a count per code after the findings."),
    click.option("-q", "--quiet", is_flag=True, help="Print findings only (no summary, no progress)."),
    click.option("--color/--no-color", default=None, help="Colour the text output [default: on terminals]."),
    click.option(
        "--pre-commit",
        "from_hook",
        is_flag=True,
        help="The files are those a commit stages (the pre-commit hooks pass this): files that "
        "are not notices at all are skipped, as in a directory walk, and a commit with "
        "no notice passes.",
    ),
    click.option("--fix", is_flag=True, help="Apply the safe fixes in place, then report what is left."),
    click.option(
        "--diff",
        is_flag=True,
        help="Print the fixes as a unified diff and change nothing (exit 1 when there is something to fix).",
    ),
    click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply the suggestions too."),
    click.option(
        "--tm",
        type=click.Path(dir_okay=False),
        default=None,
        metavar="FILE",
        help="Translation memory (vnlint tm build): suggest the approved French of known paragraphs.",
    ),
]


def with_lint_options(f):
    for opt in reversed(lint_options):
        f = opt(f)
    return f


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@with_lint_options
def lint_cmd(paths, **opts):
    """Lint notices (files or directories)."""
    if not paths:
        _fail("no path given (try `vnlint examples/`)")
    sys.exit(run_lint(list(paths), **opts))


def run_lint(
    paths,
    fmt="text",
    output=None,
    select=(),
    extend_select=(),
    ignore=(),
    fail_on=None,
    model=None,
    no_cache=False,
    config=None,
    isolated=False,
    max_file_size=None,
    jobs=0,
    baseline=None,
    write_baseline=None,
    statistics=False,
    quiet=False,
    color=None,
    pairs=None,
    from_hook=False,
    fix=False,
    diff=False,
    unsafe_fixes=False,
    tm=None,
) -> int:
    from .config import ConfigError
    from .runner import expand_paths

    try:
        if tm:
            from .config import check_tm

            check_tm(tm, "--tm")
        resolver = _make_resolver(
            config, isolated, select, ignore, extend_select, model, no_cache, fail_on, max_file_size, tm
        )
        if model and model != "none":
            _check_model(model)
    except ConfigError as exc:
        _fail(str(exc))

    if pairs is None:
        files, errors = expand_paths(paths)
        # Exclusions come from the configuration of each file.
        try:
            files = [f for f in files if not resolver.for_path(f).excluded(f)]
        except ConfigError as exc:
            _fail(str(exc))
    else:
        files, errors = [], []
    files = _spare_targets(files, paths, [t for t in (output, write_baseline) if t])
    # The regular expressions this run compiles are kept for the next (vnlint.regexcache), unless
    # the cache is off for a file it lints.
    from . import regexcache

    regexcache.keep(bool(files) and all(resolver.for_path(f).cache for f in files))
    # The report (or baseline) file is reserved before any linting: an unwritable place is a usage
    # error now, not after minutes of work; it is written whole at the end, or not at all.
    target = write_baseline or output
    writer = _reserve(target, "baseline" if write_baseline else "report") if target else None
    previous = _on_stop_signals()
    try:
        if fix or diff:
            from .fix import run_fixes

            try:
                status, fix_errors = run_fixes(files, resolver, unsafe=unsafe_fixes, diff=diff, quiet=quiet)
            except ConfigError as exc:
                _fail(str(exc))
            if diff:
                for e in errors + fix_errors:
                    _stderr_line(f"vnlint: error: {e}")
                return EXIT_USAGE if errors or fix_errors else status
            errors += fix_errors
        return _lint_and_report(
            files,
            errors,
            resolver,
            writer,
            paths=paths,
            from_hook=from_hook,
            fmt=fmt,
            jobs=jobs,
            pairs=pairs,
            baseline=baseline,
            quiet=quiet,
            color=color,
            statistics=statistics,
        )
    finally:
        if writer is not None:
            writer.discard()
        _restore_signals(previous)


def _reserve(target: str, what: str):
    from .safeio import AtomicWriter

    try:
        writer = AtomicWriter(target)
        writer.what = what
        return writer
    except OSError as exc:
        _fail(f"{target}: cannot write {what}: {exc.strerror or exc}")


def _on_stop_signals():
    """SIGTERM (a CI timeout) exits with 143 through the normal clean-up (worker processes stopped,
    no temporary report file left). Ctrl-C is remembered as well as raised: should a library swallow
    the KeyboardInterrupt (one raised inside a finaliser is only printed), the run still ends with
    exit 130 before any report (see `_interrupted_meanwhile`), never with a report and exit 0 or 1.
    A SIGINT this process inherited as ignored (a background job) stays ignored. Returns the previous
    handlers; None when not in the main thread."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def on_term(signum, frame):
        sys.exit(128 + signum)

    def on_int(signum, frame):
        _INTERRUPTS.append(signum)
        raise KeyboardInterrupt

    _INTERRUPTS.clear()  # a Ctrl-C of an earlier run in this process (the API, tests) is not this run's
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_term)}
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, on_int)
    return previous


_INTERRUPTS: list[int] = []


def _interrupted_meanwhile() -> None:
    """Ctrl-C came while linting, and its KeyboardInterrupt was lost on the way: act on it now."""
    if _INTERRUPTS:
        raise KeyboardInterrupt


def _restore_signals(previous) -> None:
    import signal

    for signum, handler in (previous or {}).items():
        signal.signal(signum, handler)


def _lint_and_report(
    files, errors, resolver, writer, *, paths, from_hook, fmt, jobs, pairs, baseline, quiet, color, statistics
) -> int:
    from .config import ConfigError
    from .parallel import WorkerDied, lint_many

    # Files found by walking a directory (or staged, for the hook) that are not notices at all are
    # skipped; a file named on the command line is always linted (VN103 if it is not a notice).
    named = set(paths)
    walked = set(files) if from_hook else {f for f in files if f not in named}
    try:
        results = lint_many(
            files, resolver, jobs=jobs, progress=not quiet, pairs=pairs, keep=fmt == "html", walked=walked
        )
    except ConfigError as exc:
        _fail(str(exc))
    except WorkerDied as exc:  # the files that finished are still reported; exit 2
        results = exc.results
        errors.append(str(exc))
    _interrupted_meanwhile()
    ignored = [r.path for r in results if r.not_notice]
    results = [r for r in results if not r.not_notice]
    if not results and not errors and not from_hook:
        n = len(ignored)
        what = "notices" if n != 1 else "a notice"
        skipped_note = f" ({n} file{'s' if n != 1 else ''} skipped: not {what})" if n else ""
        _fail(f"no notice found in {', '.join(paths)}{skipped_note}")
    for r in results:
        if r.error:
            errors.append(r.error)
    findings = [f for r in results for f in r.findings]

    if baseline or any(resolver.for_path(r.path).baseline for r in results if r.path != "-"):
        from .baseline import filter_baseline

        try:
            findings = filter_baseline(findings, baseline, resolver)
        except ValueError as exc:
            _fail(str(exc))
    if writer is not None and writer.what == "baseline":
        from .baseline import baseline_text

        try:
            writer.commit(baseline_text(findings, writer.target))
        except OSError as exc:
            _fail(f"{writer.target}: cannot write baseline: {exc.strerror or exc}")
        if not quiet:
            _stderr_line(f"vnlint: wrote {len(findings)} finding(s) to {writer.target}")
        for e in errors:
            _stderr_line(f"vnlint: error: {e}")
        return EXIT_OK if not errors else EXIT_USAGE

    from .report import render

    linted = [r.path for r in results if not r.error]
    selected = set()
    for path in linted:
        selected |= resolver.for_path(path).select if path != "-" else set()
    use_color = _want_color(color, writer)
    from .runner import not_run

    skipped, fail_levels = {}, {}
    for r in results:
        if r.error:
            continue
        s = resolver.for_path(r.path)
        for p in getattr(r, "pair_paths", None) or (r.path,):
            skipped[p], fail_levels[p] = not_run(s), s.fail_on if r.path != "-" else "warning"
    text = render(
        fmt,
        findings,
        linted,
        color=use_color,
        quiet=quiet,
        results=results,
        selected=selected or None,
        skipped={p: c for p, c in skipped.items() if c},
        fail_on=fail_levels,
        ignored=ignored,
    )
    if writer is not None:
        try:
            writer.commit(text)
        except OSError as exc:
            _fail(f"{writer.target}: cannot write report: {exc.strerror or exc}")
    else:
        _write_stdout(text, use_color)
    if statistics and not quiet:
        from collections import Counter

        from .codes import CODES

        counts = Counter(f.code for f in findings)
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):  # most frequent first
            click.echo(f"{n:5d}  {code}  {CODES[code].name}", err=writer is None and fmt != "text")
    for r in results:
        for note in r.notes:
            _stderr_line(f"vnlint: note: {note}")
    for e in errors:
        _stderr_line(f"vnlint: error: {e}")
    if errors:
        return EXIT_USAGE
    from .codes import SEVERITY_RANK

    def level_for(path):
        return resolver.for_path(path).fail_on if path != "-" else "warning"

    failing = [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[level_for(f.path)]]
    return EXIT_FINDINGS if failing else EXIT_OK


def _write_stdout(text: str, color: bool) -> None:
    """The report on standard output; a full disk or a closed pipe is one error line, exit 2."""
    try:
        # color= explicitly: click.echo would strip the styles from `--color` output sent to a pipe.
        click.echo(text, nl=False, color=color)
        sys.stdout.flush()
    except OSError as exc:
        try:  # what could not be written must not be flushed again (and fail again) at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        _fail(f"cannot write the report to standard output: {exc.strerror or exc}")


def _spare_targets(files: list[str], named, targets: list[str]) -> list[str]:
    """Never overwrite a notice with a report or a baseline: a target that is also a file to lint
    (named, or met while walking a directory) is a usage error, checked before anything is written."""

    def same(a: str, b: str) -> bool:
        try:
            return os.path.samefile(a, b)
        except OSError:
            return False

    for t in targets:
        if os.path.exists(t) and any(p != "-" and same(p, t) for p in [*named, *files]):
            _fail(f"{t}: is also a file to lint; refusing to overwrite it with the report")
    return files


def _want_color(flag, output) -> bool:
    if flag is not None:
        return flag
    if output or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


@main.command("pair")
@click.argument("en_path", type=click.Path())
@click.argument("fr_path", type=click.Path())
@with_lint_options
def pair_cmd(en_path, fr_path, **opts):
    """Lint an English file and a French file as one notice."""
    sys.exit(run_lint([en_path, fr_path], pairs=[(en_path, fr_path)], **opts))


@main.group("tm")
def tm_group():
    """Build a translation memory of approved EN -> FR paragraphs, or import one from TMX."""


@tm_group.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The memory file to write.")
@click.option("--model", default=None, metavar="SPEC", help="Embedder used to align the paragraphs [default: use-m3].")
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="Use this config file.")
@click.option("--isolated", is_flag=True, help="Ignore configuration files.")
def tm_build_cmd(paths, output, model, config, isolated):
    """Learn the aligned paragraph pairs of approved notices (a pair met in more notices weighs more)."""
    from .config import ConfigError
    from .tm import TMError, build

    if model == "none":
        _fail("tm build aligns paragraphs by meaning: it needs a model, not --model none")
    try:
        if model:
            _check_model(model)
        resolver = _make_resolver(config, isolated, (), (), (), model, False, None, None)

        def settings_for(path):
            s = resolver.for_path(path).copy()
            s.model = s.model if s.model != "none" else "use-m3"
            return s

        mem, n, errors = build(paths, settings_for)
        for e in errors:
            click.echo(f"vnlint: error: {e}", err=True)
        mem.save(output)
    except (ConfigError, TMError) as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"vnlint: learnt {len(mem)} paragraph pair(s) from {n} notice(s) into {output}", err=True)
    sys.exit(EXIT_USAGE if errors else EXIT_OK)


@tm_group.command("import")
@click.argument("tmx", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The memory file to write.")
def tm_import_cmd(tmx, output):
    """Read the English -> French units of a TMX file (exported by any CAT tool)."""
    from .tm import TMError, read_tmx

    try:
        mem = read_tmx(tmx)
        mem.save(output)
    except TMError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")
    click.echo(f"vnlint: imported {len(mem)} paragraph pair(s) from {tmx} into {output}", err=True)


@main.command("show")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--model",
    default=None,
    metavar="SPEC",
    help="Align paragraphs with this embedder, or by structure only (none) [default: the configured model, use-m3].",
)
@click.option("--width", type=int, default=0, help="Total width of the side-by-side view [default: terminal].")
def show_cmd(path, fmt, model, width):
    """Print the parsed and aligned notice, EN and FR side by side with line numbers."""
    from .config import ConfigError, ConfigResolver
    from .show import show

    try:
        settings = ConfigResolver().for_path(path).copy()
    except ConfigError as exc:
        _fail(str(exc))
    if model:
        settings.model = model
    if model and model != "none":
        try:
            _check_model(model)
        except ConfigError as exc:
            _fail(str(exc))
    code, text = show(path, settings, fmt, width or _term_width())
    click.echo(text, nl=False)
    sys.exit(code)


def _term_width() -> int:
    import shutil

    return max(80, shutil.get_terminal_size((160, 40)).columns)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--docs", "-v", "docs", is_flag=True, help="Print each rule's full documentation (what, why, bad, good).")
def rules_cmd(fmt, docs):
    """List every rule: code, name, scope and default severity."""
    import json

    from .engine import load_checks

    rules = load_checks()
    rows = [
        (code, r.name, r.scope, r.code.severity, r.code.family, r.doc.splitlines()[0] if r.doc else "")
        for code, r in sorted(rules.items())
    ]
    if fmt == "json":
        keys = ("code", "name", "scope", "severity", "family", "summary")
        click.echo(
            json.dumps(
                [
                    dict(
                        zip(keys, row),
                        **(
                            {
                                "doc": rules[row[0]].doc,
                                "options": {
                                    name: {"default": o.default, "doc": o.doc}
                                    for name, o in rules[row[0]].options.items()
                                },
                            }
                            if docs
                            else {}
                        ),
                    )
                    for row in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    elif fmt == "markdown":
        click.echo("| code | name | scope | severity | summary |\n|---|---|---|---|---|")
        for code, name, scope, sev, fam, summary in rows:
            click.echo(f"| {code} | {name} | {scope} | {sev} | {summary} |")
        for code, name, *_ in rows if docs else ():
            click.echo(f"\n## {code} {name}\n\n```text\n{_full_doc(rules[code])}\n```")
    else:
        for code, name, scope, sev, fam, summary in rows:
            click.echo(f"{code}  {name:<28} {scope:<9} {sev:<8} {summary}")
            if docs:
                click.echo("".join(f"    {line}".rstrip() + "\n" for line in _full_doc(rules[code]).splitlines()))


@main.command("explain")
@click.argument("code")
def explain_cmd(code):
    """Print a rule's documentation: what, why, a bad and a good example."""
    from .codes import resolve
    from .engine import load_checks

    rules = load_checks()
    found = resolve(code)
    if len(found) != 1 or found[0].code not in rules:
        _fail(f"unknown rule {code!r} (see `vnlint rules`)")
    r = rules[found[0].code]
    click.echo(f"{r.code.code} {r.name} ({r.code.family}, {r.scope} scope, default severity {r.code.severity})\n")
    click.echo(_full_doc(r))


def _full_doc(r) -> str:
    """A rule's documentation as users read it, then its options with their defaults."""
    if not r.options:
        return r.doc
    lines = [f"  {line}" for line in r.options_doc()]
    return f"{r.doc}\n\nOptions ([tool.vnlint.rules.{r.name}]):\n" + "\n".join(lines)


@main.group("daemon", invoke_without_command=True)
@click.pass_context
def daemon_cmd(ctx):
    """A resident vnlint that answers `vnlint` runs from a warm process (about 0.5 s faster each).

    `vnlint daemon start` loads the model and builds the rules once, in the background; from then
    on every `vnlint ...` of this installation is run by a fresh copy of that warm process, with the
    caller's folder, environment and terminal: same output, same exit code. It stops after
    --idle-timeout seconds without a run, when vnlint is updated, or with `vnlint daemon stop`.
    VNLINT_DAEMON=0 makes a run ignore it.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@daemon_cmd.command("start")
@click.option(
    "--idle-timeout",
    type=click.FloatRange(min=0),
    default=1800.0,
    show_default=True,
    help="Seconds without a run before the daemon stops (0: never).",
)
def daemon_start(idle_timeout):
    """Start the daemon in the background (nothing happens if one is running)."""
    from . import daemon

    if sys.platform == "win32" or not hasattr(os, "fork"):
        _fail("the daemon needs fork() and Unix sockets (Linux, macOS)")
    try:
        info = daemon.start(idle_timeout)
    except (OSError, RuntimeError) as exc:
        _fail(f"the daemon could not start: {exc}")
    prefix = "already running: " if info.get("already") else ""
    click.echo(prefix + daemon.describe(info))


@daemon_cmd.command("stop")
def daemon_stop():
    """Stop the daemon."""
    from . import daemon

    click.echo("vnlint daemon stopped" if daemon.stop() else "no vnlint daemon was running")


@daemon_cmd.command("status")
def daemon_status():
    """Say whether a daemon is running (exit 0) or not (exit 1)."""
    from . import daemon

    info = daemon.status()
    if info is None:
        click.echo("no vnlint daemon is running")
        sys.exit(1)
    click.echo(daemon.describe(info))


if __name__ == "__main__":  # pragma: no cover
    main()
