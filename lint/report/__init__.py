"""Reporters: findings to text, json, junit, sarif, github annotations or html."""

from __future__ import annotations

import importlib

from ..model import Finding


def render(
    fmt: str,
    findings: list[Finding],
    files: list[str],
    *,
    color: bool = False,
    quiet: bool = False,
    results=None,
    **extra,
) -> str:
    """Render with the reporter module of `fmt`. The extra keywords go to the reporters that take them:
    selected (the codes that ran), skipped ({path: codes that did not run, for want of a model}),
    fail_on ({path: lowest failing severity}), ignored (files skipped as not notices)."""
    import inspect

    mod = importlib.import_module(f"vnlint.report.{'json_' if fmt == 'json' else fmt}")
    kwargs = {"color": color, "quiet": quiet, "results": results}
    params = inspect.signature(mod.render).parameters
    kwargs.update({k: v for k, v in extra.items() if k in params})
    return mod.render(findings, files, **kwargs)
