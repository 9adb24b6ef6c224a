"""`vnlint show`: the parsed and aligned notice, EN and FR side by side with line numbers."""

from __future__ import annotations

import json
import textwrap

from .model import Alignment, Notice
from .report.text import safe
from .runner import lint_file


def _span(b) -> str:
    return f"{b.line}" if b.line == b.end_line else f"{b.line}-{b.end_line}"


def rows(notice: Notice, al: Alignment) -> list[dict]:
    """One row per aligned item: kind, EN side, FR side, score."""
    out: list[dict] = []

    def side(blocks):
        if not blocks:
            return None
        return {
            "lines": [blocks[0].line, blocks[-1].end_line],
            "kind": blocks[0].kind,
            "text": " ".join(b.clean for b in blocks),
        }

    if notice.en and notice.en.title or notice.fr and notice.fr.title:
        out.append(
            {
                "kind": "title",
                "section": "title",
                "en": side([notice.en.title] if notice.en and notice.en.title else []),
                "fr": side([notice.fr.title] if notice.fr and notice.fr.title else []),
            }
        )
    for fp in al.fields:
        out.append(
            {
                "kind": "field",
                "section": "header",
                "key": fp.key,
                "en": side([fp.en.block]) if fp.en else None,
                "fr": side([fp.fr.block]) if fp.fr else None,
            }
        )
    for sp in al.sections:
        out.append(
            {
                "kind": "section",
                "section": sp.key,
                "en": side([sp.en.heading])
                if sp.en and sp.en.heading
                else ({"lines": None, "kind": "section", "text": "(preamble)"} if sp.en else None),
                "fr": side([sp.fr.heading])
                if sp.fr and sp.fr.heading
                else ({"lines": None, "kind": "section", "text": "(preamble)"} if sp.fr else None),
            }
        )
        items = [
            (
                bp.en[0].line if bp.en else 0,
                bp.fr[0].line if bp.fr else 0,
                {
                    "kind": "pair",
                    "section": sp.key,
                    "en": side(bp.en),
                    "fr": side(bp.fr),
                    "score": None if bp.score is None else round(float(bp.score), 3),
                },
            )
            for bp in sp.block_pairs
        ]
        for u in sp.unpaired:
            b = u.block
            row = {
                "kind": "unpaired",
                "section": sp.key,
                "en": side([b]) if b.lang == "en" else None,
                "fr": side([b]) if b.lang == "fr" else None,
                "score": None,
            }
            items.append((b.line if b.lang == "en" else 0, b.line if b.lang == "fr" else 0, row))
        if not sp.block_pairs and not sp.unpaired and sp.aligned:
            # Not aligned block by block: list both sides in order.
            en_b, fr_b = sp.en.content(), sp.fr.content()
            for i in range(max(len(en_b), len(fr_b))):
                a = en_b[i] if i < len(en_b) else None
                c = fr_b[i] if i < len(fr_b) else None
                items.append(
                    (
                        a.line if a else 0,
                        c.line if c else 0,
                        {
                            "kind": "unaligned",
                            "section": sp.key,
                            "en": side([a] if a else []),
                            "fr": side([c] if c else []),
                            "score": None,
                        },
                    )
                )
        elif not sp.aligned:
            s = sp.en or sp.fr
            for b in s.content():
                items.append(
                    (
                        b.line,
                        b.line,
                        {
                            "kind": "unpaired",
                            "section": sp.key,
                            "en": side([b]) if s is sp.en else None,
                            "fr": side([b]) if s is sp.fr else None,
                            "score": None,
                        },
                    )
                )
        items.sort(key=lambda t: (t[0] or t[1], t[1]))
        out.extend(row for _, _, row in items)
    return out


def show(path: str, settings, fmt: str = "text", width: int = 160) -> tuple[int, str]:
    result = lint_file(path, settings, keep=True)
    if result.error:
        return 2, f"vnlint: error: {safe(result.error)}\n"
    notice, al = result.notice, result.alignment
    if notice is None or al is None:
        msg = "; ".join(f"{f.code} {f.message}" for f in result.findings) or "not a notice"
        return 1, safe(f"{path}: {msg}") + "\n"
    table = rows(notice, al)
    if fmt == "json":
        doc = {
            "version": 1,
            "path": path,
            "layout": notice.layout,
            "encoding": notice.source.encoding,
            "pairing": "meaning" if al.semantic else "structure",
            "en": _half_json(notice.en),
            "fr": _half_json(notice.fr),
            "rows": table,
            "findings": [f.to_json() for f in result.findings],
        }
        return 0, json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    col = max(30, (width - 25) // 2)
    lines = [
        f"{path}  layout={notice.layout}  encoding={notice.source.encoding}",
        f"EN lines {notice.en.line}-{notice.en.end_line}" if notice.en else "EN: none",
        f"FR lines {notice.fr.line}-{notice.fr.end_line}" if notice.fr else "FR: none",
        pairing_note(al, settings.model) + ("; scores on the right" if al.semantic else ""),
        "",
    ]
    for row in table:
        left = _cell(row["en"], col)
        right = _cell(row["fr"], col)
        tag = {
            "title": "TITLE",
            "field": row.get("key", "")[:9].upper(),
            "section": f"§{row['section']}",
            "pair": "",
            "unpaired": "!",
            "unaligned": "?",
        }[row["kind"]]
        score = f"{row['score']:+.2f}" if row.get("score") is not None else ""
        n = max(len(left), len(right))
        left += [""] * (n - len(left))
        right += [""] * (n - len(right))
        for i in range(n):
            first_tag, first_score = (tag, score) if i == 0 else ("", "")
            lines.append(f"{first_tag:>9} {left[i]:<{col + 8}} {right[i]:<{col + 8}} {first_score}")
        if row["kind"] == "section":
            lines.append("")
    if result.findings:
        lines.append("")
        lines.append("findings:")
        for f in result.findings:
            lines.append(f"  {f.line}: {f.code} {f.message}")
    # The path, the notice's text and the messages are shown escaped (report.text.safe): one line of
    # the view is one line on the terminal, and no escape sequence of the notice reaches it.
    return 0, "\n".join(safe(line) for line in lines) + "\n"


def pairing_note(al: Alignment, model: str) -> str:
    """How the paragraphs were paired: by meaning (the model), or by structure only."""
    if al.semantic:
        return "paragraphs paired by meaning" + (f" (model {model})" if model else "")
    why = "--model none" if model == "none" else "the model could not be used"
    return (
        f"paragraphs paired by structure only ({why}): in order within each section, not by "
        f"meaning; a missing or moved paragraph shifts the pairs after it"
    )


def _cell(side, col) -> list[str]:
    if side is None:
        return ["—"]
    lines = side.get("lines")
    num = (f"{lines[0]}" if lines[0] == lines[1] else f"{lines[0]}-{lines[1]}") if lines else ""
    text = textwrap.shorten(side["text"], width=col * 2, placeholder=" …")
    wrapped = textwrap.wrap(text, col) or [""]
    return [f"{num:>7} {wrapped[0]}"] + [f"{'':>7} {w}" for w in wrapped[1:]]


def _half_json(h):
    if h is None:
        return None
    return {
        "lines": [h.line, h.end_line],
        "title": h.title.clean if h.title else None,
        "fields": {k: {"label": f.label, "value": f.value, "line": f.block.line} for k, f in h.fields.items()},
        "sections": [
            {
                "key": s.key,
                "heading": s.heading.clean if s.heading else None,
                "lines": [s.place.line, s.place.end_line],
                "blocks": [{"kind": b.kind, "lines": [b.line, b.end_line], "text": b.clean} for b in s.blocks],
            }
            for s in h.sections
        ],
    }
