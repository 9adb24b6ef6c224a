"""Reporters: findings to text, json, junit, sarif, github annotations or html."""

from __future__ import annotations

import importlib

from ..model import Finding


def render(fmt: str, findings: list[Finding], files: list[str], *, color: bool = False, quiet: bool = False,
           results=None, selected: set[str] | None = None) -> str:
    """Render with the reporter module of `fmt`; `selected` (the codes that ran) goes to those that take it."""
    import inspect

    mod = importlib.import_module(f"vnlint.report.{'json_' if fmt == 'json' else fmt}")
    kwargs = {"color": color, "quiet": quiet, "results": results}
    if "selected" in inspect.signature(mod.render).parameters:
        kwargs["selected"] = selected
    return mod.render(findings, files, **kwargs)
