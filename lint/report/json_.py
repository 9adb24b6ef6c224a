"""The stable JSON contract: {"version": 1, "findings": [...]}."""

from __future__ import annotations

import json


def render(findings, files, *, color=False, quiet=False, results=None) -> str:
    return json.dumps({"version": 1, "findings": [f.to_json() for f in findings]}, indent=2, ensure_ascii=False) + "\n"
