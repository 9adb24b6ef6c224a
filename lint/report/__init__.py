"""Reporters: findings to text, json, junit, sarif, github annotations or html."""

from __future__ import annotations

import importlib

from ..model import Finding


def render(fmt: str, findings: list[Finding], files: list[str], *, color: bool = False, quiet: bool = False,
           results=None) -> str:
    mod = importlib.import_module(f"vnlint.report.{'json_' if fmt == 'json' else fmt}")
    return mod.render(findings, files, color=color, quiet=quiet, results=results)
