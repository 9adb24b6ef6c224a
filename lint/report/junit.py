"""JUnit XML (junit-xml): one testsuite per file, one testcase per check code; failures carry findings."""

from __future__ import annotations

import re
from collections import defaultdict

from junit_xml import TestCase, TestSuite, to_xml_report_string

from .text import related_note


def render(findings, files, *, color=False, quiet=False, results=None, selected=None) -> str:
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
            if hits:
                worst = max(hits, key=lambda f: ("info", "warning", "error").index(f.severity))
                body = "\n".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}{related_note(f)}" for f in hits)
                case.add_failure_info(
                    message=f"{len(hits)} finding{'s' if len(hits) != 1 else ''} ({worst.severity})",
                    output=body,
                    failure_type=worst.severity,
                )
            cases.append(case)
        suites.append(TestSuite(name=path, test_cases=cases))
    xml = to_xml_report_string(suites, prettyprint=True, encoding="utf-8")
    # junit-xml always writes disabled="0", which the common JUnit schema (Jenkins junit-10.xsd) rejects.
    return re.sub(r' disabled="\d+"', "", xml)
