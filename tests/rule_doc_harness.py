"""Executable rule documentation: parse the Bad/Good examples of a rule docstring and build notices.

The example format (inside a check's docstring, after `inspect.cleandoc`)::

    Bad: a one-line summary, printed by `vnlint explain` (required by the CLI tests).
        EN: Application Deadline: 12-Mar-2026
        FR: Date de retrait : 13-mars-2026
    Good: the same date on both sides.
        EN: Application Deadline: 12-Mar-2026
        FR: Date de retrait : 12-mars-2026

Items are indented under `Bad:` / `Good:`; a line indented deeper than its item continues it (joined
with one space: one paragraph is one line of the notice). Keys:

- `EN:` / `FR:` a block of that side. The key repeated gives several consecutive blocks (two
  paragraphs, two bullets, two header lines). `(none)` or `—` removes the block the example replaces
  on that side (the side is absent). A side not named stays as the base notice has it.
- `At:` where the blocks go in the base notice (examples/clean_notice.txt); it applies to the EN/FR
  items after it, so one example can touch two places. Values: `title`, `header` (the header line of
  the field whose label the example's line starts with), `heading N` (the heading of section N),
  `section N` (the first paragraph of section N, or its first bullet when the example starts with
  "- "), `section N, paragraph K` / `section N, bullet K`, `header fields` (all the header lines of
  a side), `half` (a whole half). Without `At:` the
  rule's scope decides: field -> header, title -> title, anything else -> section 1 (section 2 for a
  bullet).
- `Example: file PATH` a whole notice (PATH relative to the repository root) instead of EN/FR items.

A line `Tested: tests/test_x.py::test_name[, ...]` at the top level of the docstring (after Good:) says
the rule's behaviour is covered by those tests (rules that need a file, not a notice: binary input,
size limit, a crashing check); its Bad/Good parts may then stay prose.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "examples" / "clean_notice.txt"

_PART = re.compile(r"^(Why|Bad|Good|Tested):[ \t]*(.*)$")
_ITEM = re.compile(r"^([ \t]+)(EN|FR|At|Example):[ \t]*(.*)$")
_NONE = ("(none)", "—", "-", "(absent)")


class DocFormatError(ValueError):
    pass


@dataclass
class Change:
    at: Optional[str]
    lang: str  # "en" | "fr"
    blocks: list[str] = field(default_factory=list)  # [] = remove the target block

    @property
    def removed(self) -> bool:
        return not self.blocks


@dataclass
class Example:
    label: str  # "Bad" | "Good"
    summary: str = ""
    changes: list[Change] = field(default_factory=list)
    file: Optional[str] = None

    @property
    def executable(self) -> bool:
        return bool(self.changes) or self.file is not None


@dataclass
class RuleDoc:
    what: str
    why: str = ""
    bad: Optional[Example] = None
    good: Optional[Example] = None
    tested: list[str] = field(default_factory=list)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def parse_doc(doc: str) -> RuleDoc:
    """Split a (cleandoc'ed) rule docstring into What, Why, Bad, Good and Tested."""
    lines = doc.splitlines()
    out = RuleDoc(what=lines[0].strip() if lines else "")
    part: Optional[str] = None
    example: Optional[Example] = None
    items: list[list] = []  # [key, indent, text] for the current example

    def close():
        nonlocal example, items
        if example is not None:
            _fill(example, items)
            setattr(out, example.label.lower(), example)
        example, items = None, []

    for raw in lines[1:]:
        m = _PART.match(raw)
        if m:
            close()
            part, rest = m.group(1), m.group(2).strip()
            if part in ("Bad", "Good"):
                example = Example(part, summary=rest)
            elif part == "Why":
                out.why = rest
            else:
                out.tested += [t.strip() for t in rest.split(",") if t.strip()]
            continue
        if not raw.strip():
            continue
        if part in ("Bad", "Good"):
            im = _ITEM.match(raw)
            ind = _indent(raw)
            if im and (not items or ind <= items[-1][1]):
                items.append([im.group(2), len(im.group(1)), im.group(3).strip()])
            elif ind > 0 and items and ind > items[-1][1]:
                items[-1][2] = (items[-1][2] + " " + raw.strip()).strip()
            elif ind == 0:
                example.summary = (example.summary + " " + raw.strip()).strip()
            else:
                raise DocFormatError(f"{part}: indented line is not an EN:/FR:/At:/Example: item: {raw.strip()!r}")
        elif part == "Why":
            out.why += " " + raw.strip()
        elif part == "Tested":
            out.tested += [t.strip() for t in raw.split(",") if t.strip()]
    close()
    return out


def _fill(example: Example, items: list[list]) -> None:
    at: Optional[str] = None
    for key, _ind, text in items:
        if key == "At":
            at = text
        elif key == "Example":
            m = re.fullmatch(r"file\s+(\S+)", text)
            if not m:
                raise DocFormatError(f"{example.label}: 'Example:' must be 'file PATH', got {text!r}")
            example.file = m.group(1)
        else:
            lang = key.lower()
            change = next((c for c in example.changes if c.at == at and c.lang == lang), None)
            if change is None:
                change = Change(at, lang)
                example.changes.append(change)
            if text in _NONE:
                if change.blocks:
                    raise DocFormatError(f"{example.label}: {key}: (none) after a block at the same place")
                continue
            if not text:
                raise DocFormatError(f"{example.label}: {key}: is empty (write (none) for an absent side)")
            change.blocks.append(text)
    if example.file and example.changes:
        raise DocFormatError(f"{example.label}: 'Example: file' and EN:/FR: items cannot be mixed")


# ------------------------------------------------------------------------------------------ build


def _label(text: str) -> str:
    return re.sub(r"\s+", " ", text.split(":", 1)[0]).strip().casefold() if ":" in text else ""


def _default_at(scope: str, change: Change, group: list[Change]) -> str:
    if scope == "field":
        return "header"
    if scope == "title":
        return "title"
    first = next((c.blocks[0] for c in group if c.blocks), "")
    return "section 2" if first.startswith("- ") else "section 1"


def _target(notice, at: str, change: Change, group: list[Change]):
    """(first line, last line) of the block `change` replaces, 1-based."""
    half = notice.en if change.lang == "en" else notice.fr
    if half is None:
        raise DocFormatError(f"the base notice has no {change.lang} half")
    at_l = at.strip().casefold()
    if at_l == "title":
        if half.title is None:
            raise DocFormatError("the base notice has no title")
        return half.title.line, half.title.end_line
    if at_l == "half":
        return half.line, half.end_line
    if at_l == "header fields":
        if not half.fields:
            raise DocFormatError("At: header fields: the base half has no header fields")
        fields = sorted(half.fields.values(), key=lambda f: f.block.line)
        return fields[0].block.line, fields[-1].block.end_line
    if at_l == "header":
        labels = [_label(b) for c in group for b in c.blocks if _label(b)]
        key = None
        for h in notice.halves:
            for k, f in h.fields.items():
                if re.sub(r"\s+", " ", f.label).strip().casefold() in labels:
                    key = k
        if key is None or key not in half.fields:
            raise DocFormatError(f"At: header: no base header field is labelled like {labels}")
        b = half.fields[key].block
        return b.line, b.end_line
    m = re.fullmatch(r"heading\s+(\d+)", at_l)
    if m:
        s = half.section(m.group(1))
        if s is None or s.heading is None:
            raise DocFormatError(f"At: {at}: no such section heading")
        return s.heading.line, s.heading.end_line
    m = re.fullmatch(r"section\s+(\d+)(?:\s*,\s*(paragraph|bullet)\s+(\d+))?", at_l)
    if m:
        s = half.section(m.group(1))
        if s is None:
            raise DocFormatError(f"At: {at}: no section {m.group(1)} in the base notice")
        kind = m.group(2)
        if kind is None:
            first = next((c.blocks[0] for c in [change] + group if c.blocks), "")
            kind = "bullet" if first.startswith("- ") else "paragraph"
        nth = int(m.group(3) or 1)
        blocks = [b for b in s.blocks if b.kind == kind]
        if len(blocks) < nth:
            raise DocFormatError(f"At: {at}: section {s.key} has no {kind} {nth}")
        b = blocks[nth - 1]
        return b.line, b.end_line
    raise DocFormatError(
        f"At: {at!r} is not title, header, header fields, half, heading N or section N[, paragraph|bullet K]"
    )


def build(example: Example, scope: str, base_text: Optional[str] = None) -> str:
    """The notice text an example describes: the base notice with the example's blocks in place."""
    if example.file is not None:
        return (ROOT / example.file).read_bytes().decode("utf-8")
    from vnlint.source import source_from_bytes
    from vnlint.split import split

    text = BASE.read_text(encoding="utf-8") if base_text is None else base_text
    notice = split(source_from_bytes("base.txt", text.encode("utf-8")))
    lines = text.split("\n")
    edits = []
    for change in example.changes:
        group = [c for c in example.changes if c.at == change.at]
        at = change.at or _default_at(scope, change, group)
        start, end = _target(notice, at, change, group)
        blank_after = end < len(lines) and not lines[end].strip()
        if change.removed:
            # Remove the block and the blank line that separated it from the next one.
            edits.append((start, end + 1 if blank_after else end, []))
            continue
        new: list[str] = []
        for i, b in enumerate(change.blocks):
            if i and blank_after:
                new.append("")
            new.append(b)
        edits.append((start, end, new))
    edits.sort()
    for (s1, e1, _), (s2, _e2, _) in zip(edits, edits[1:]):
        if s2 <= e1:
            raise DocFormatError("two changes of one example touch the same lines")
    for start, end, new in reversed(edits):
        lines[start - 1 : end] = new
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ tests


def names_a_test(ref: str) -> bool:
    """Whether `tests/test_x.py::name` (or `::Class::name`, `name[param]`) names a test function."""
    path, _, name = ref.partition("::")
    p = ROOT / path
    if not name or not p.is_file():
        return False
    tree = ast.parse(p.read_text(encoding="utf-8"))
    names = [n.split("[", 1)[0] for n in name.split("::")]
    body = tree.body
    for i, n in enumerate(names):
        last = i == len(names) - 1
        found = None
        for node in body:
            if last and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == n:
                found = node
            elif not last and isinstance(node, ast.ClassDef) and node.name == n:
                found = node
        if found is None:
            return False
        body = getattr(found, "body", [])
    return names[-1].startswith("test")
