"""vnlint.glossary_import: CSV and TBX glossaries into {EN term: [FR renderings]}."""

from __future__ import annotations

import pytest

from vnlint import glossary_import as gi

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <text><body>
    <termEntry id="t1">
      <langSet xml:lang="en-GB"><tig><term>widget board</term></tig></langSet>
      <langSet xml:lang="fr-FR">
        <tig><term>comité des gadgets</term></tig>
        <tig><term>conseil des gadgets</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="t2">
      <langSet xml:lang="en"><ntig><termGrp><term>sprocket hub</term></termGrp></ntig></langSet>
      <langSet xml:lang="fr"><ntig><termGrp><term>moyeu de pignon</term></termGrp></ntig></langSet>
      <langSet xml:lang="de"><tig><term>Kettenradnabe</term></tig></langSet>
    </termEntry>
    <termEntry id="t3">
      <langSet xml:lang="en"><tig><term>orphan term</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>gear train</term></termSec>
        <termSec><term>gear chain</term></termSec></langSec>
      <langSec xml:lang="fr"><termSec><term>train d'engrenages</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_csv_with_header_and_alternatives():
    text = (
        '# a comment\nfr,en\n"comité des gadgets | conseil des gadgets",widget board\nmoyeu,sprocket hub\n'
        "moyeu de pignon,sprocket hub\n"
    )
    assert gi.parse_csv(text) == {
        "widget board": ["comité des gadgets", "conseil des gadgets"],
        "sprocket hub": ["moyeu", "moyeu de pignon"],
    }


def test_csv_without_header_semicolon_and_bom():
    text = "\ufeffwidget board;comité des gadgets\ngear train;train d'engrenages\n"
    assert gi.parse_csv(text) == {"widget board": ["comité des gadgets"], "gear train": ["train d'engrenages"]}


def test_csv_skips_short_and_empty_rows():
    assert gi.parse_csv("en,fr\nlonely\n,rien\nok,bien\n") == {"ok": ["bien"]}
    assert gi.parse_csv("") == {}


def test_read_csv_cp1252(tmp_path):
    p = tmp_path / "g.csv"
    p.write_bytes("en,fr\nwidget board,comit\xe9 des gadgets\n".encode("latin-1"))
    assert gi.read_csv(str(p)) == {"widget board": ["comité des gadgets"]}


def test_tbx_v2_terms_status_and_languages():
    out = gi.parse_tbx(TBX_V2)
    assert out == {"widget board": ["comité des gadgets"], "sprocket hub": ["moyeu de pignon"]}


def test_tbx_v3_namespaced():
    assert gi.parse_tbx(TBX_V3) == {"gear train": ["train d'engrenages"], "gear chain": ["train d'engrenages"]}


def test_tbx_refuses_entities_and_bad_xml():
    with pytest.raises(ValueError):
        gi.parse_tbx('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><martif>&a;</martif>')
    with pytest.raises(ValueError):
        gi.parse_tbx("<martif><termEntry>")


def test_load_by_extension(tmp_path):
    (tmp_path / "g.tbx").write_text(TBX_V3, encoding="utf-8")
    (tmp_path / "g.csv").write_text("en,fr\ngear train,engrenage\n", encoding="utf-8")
    assert "gear train" in gi.load(str(tmp_path / "g.tbx"))
    assert gi.load(str(tmp_path / "g.csv")) == {"gear train": ["engrenage"]}
    with pytest.raises(ValueError):
        gi.load(str(tmp_path / "g.xlsx"))
    with pytest.raises(OSError):
        gi.load(str(tmp_path / "missing.csv"))


def test_merge_and_table():
    base = {"Widget Board": ["comité des gadgets"]}
    gi.merge_into(base, {"widget board": ["conseil des gadgets"], "gear train": ["engrenage"]})
    assert base == {"Widget Board": ["comité des gadgets", "conseil des gadgets"], "gear train": ["engrenage"]}
    table = {"terms": {"a b": ["c d"]}, "e f": "g h", "ignored": 3}
    assert gi.terms_from_table(table) == {"a b": ["c d"], "e f": ["g h"]}
