"""JUnit XML (junit-xml): one testsuite per file, one testcase per check code.

A test case fails when its findings reach the file's fail level (`--fail-on`, `fail-on`); findings
below it are printed in the case's system-out. A rule that did not run (one that needs the model,
with `--model none`) is a skipped case."""

from __future__ import annotations

import re
from collections import defaultdict

from junit_xml import TestCase, TestSuite, to_xml_report_string

from ..codes import SEVERITY_RANK
from .text import format_finding


def render(
    findings, files, *, color=False, quiet=False, results=None, selected=None, skipped=None, fail_on=None
) -> str:
    from ..engine import load_checks

    rules = load_checks()
    by_file = defaultdict(lambda: defaultdict(list))
    for f in findings:
        by_file[f.path][f.code].append(f)
    suites = []
    for path in sorted(set(files) | set(by_file)):
        cases = []
        ran = set(rules) if selected is None else {c for c in selected if c in rules}
        codes = sorted(ran | set(by_file[path]))
        for code in codes:
            name = rules[code].name if code in rules else code
            case = TestCase(name=f"{code} {name}", classname=f"vnlint.{path}")
            hits = by_file[path].get(code, [])
            level = SEVERITY_RANK[(fail_on or {}).get(path, "warning")]
            failing = [f for f in hits if SEVERITY_RANK[f.severity] >= level]
            below = [f for f in hits if SEVERITY_RANK[f.severity] < level]
            if failing:
                worst = max(failing, key=lambda f: SEVERITY_RANK[f.severity])
                case.add_failure_info(
                    message=f"{len(failing)} finding{'s' if len(failing) != 1 else ''} ({worst.severity})",
                    output="\n".join(format_finding(f) for f in failing),
                    failure_type=worst.severity,
                )
            elif not hits and code in (skipped or {}).get(path, ()):
                case.add_skipped_info(message="not run: needs the model (--model none)")
            if below:
                case.stdout = "\n".join(format_finding(f) for f in below)
            cases.append(case)
        suites.append(TestSuite(name=path, test_cases=cases))
    xml = to_xml_report_string(suites, prettyprint=True, encoding="utf-8")
    # junit-xml always writes disabled="0", which the common JUnit schema (Jenkins junit-10.xsd) rejects.
    return re.sub(r' disabled="\d+"', "", xml)
