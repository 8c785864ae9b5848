"""The 様式 catalogue and the typed record of each form type, on the documents' own lines (fast tier)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from piaqa.form.catalogue import FORM_TYPES, VALUE_TYPES, CatalogueError, catalogue, parse_catalogue
from piaqa.models import Item
from piaqa.parse.document import parse_file, walk
from piaqa.parse.record import BLANK, READ, UNREAD, UNSELECTED, one_of, record_of, ticks, typed
from piaqa.schema import by_key
from piaqa.text import compact

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REAL = Path(__file__).parent / "data"  # openings of real assessments (a 基礎項目評価書 among them)
SAMPLES = {  # file: (family, form type)
    "000_e1b5c79a0a16442b.txt": ("pdf_text", "重点項目評価書"),
    "002_36f852d2897e428a.txt": ("pdf_text", "全項目評価書"),
    "003_29360f64495ac016.txt": ("table_text", "全項目評価書"),
    "004_10828c4da8499198.txt": ("table_text", "全項目評価書"),
}


@pytest.fixture(scope="module")
def records():
    return {name: record_of(parse_file(CORPUS / name)) for name in SAMPLES}


# --- the catalogue -------------------------------------------------------------------------------

def test_catalogue_items_are_typed_and_placed():
    items = [it for it in catalogue().items if not it.absent]
    assert len(items) >= 100
    for it in items:
        assert it.type in VALUE_TYPES, it.key
        assert it.labels and it.ja and it.en, f"{it.key}: labels and both descriptions"
        assert all(form in FORM_TYPES for form in it.forms), it.key
        if it.type == "one_of":
            assert len(it.options) >= 2, f"{it.key}: a closed list has two members or more"
    for form in FORM_TYPES:
        assert sum(form in it.forms for it in items) >= 10, f"{form} prints items"


def test_absent_facts_say_why_and_point_to_what_the_form_says():
    absent = [it for it in catalogue().items if it.absent]
    assert {"itaku.subcontractor_name", "itaku.contract_amount", "storage.cloud_provider"} <= {a.key for a in absent}
    for fact in absent:
        assert fact.reason_ja and fact.reason_en and fact.related, fact.key
        assert all(not by_key(k).absent for k in fact.related), fact.key


@pytest.mark.parametrize("data, problem", [
    ({"item": [{"key": "a", "labels": ["x"], "type": "choice"}]}, "type 'choice' is not one of"),
    ({"item": [{"key": "a", "labels": ["x"], "type": "one_of", "options": ["y"]}]}, "needs its `options`"),
    ({"item": [{"key": "a", "type": "text"}]}, "needs `labels`"),
    ({"item": [{"key": "a", "labels": ["x"]}, {"key": "a", "labels": ["y"]}]}, "appear more than once"),
    ({"item": [{"key": "a", "labels": ["x"], "numbers": {"様式9": "Ⅰ"}}]}, "unknown form type"),
    ({"absent": [{"key": "b", "name": "x", "related": ["nowhere"]}]}, "related key 'nowhere'"),
    ({"item": [{"key": "a", "labels": ["その妥当性"], "parent": "nowhere"}]}, "parent 'nowhere'"),
])
def test_a_malformed_catalogue_names_the_entry_and_the_fix(data, problem):
    with pytest.raises(CatalogueError, match=problem):
        parse_catalogue(data)


# --- typed values on made-up rows ----------------------------------------------------------------

USERS = by_key("use.users")


def item(raw: str, value: str = "", selected: str | None = None, options=(), checked=()) -> Item:
    return Item("使用者数", "use.users", value or raw, raw, (1, 1), selected=selected, options=tuple(options),
                checked=tuple(checked))


@pytest.mark.parametrize("row, selected, family, state, text", [
    ("[50人以上100人未満] <選択肢> 1) 10人未満", "50人以上100人未満", "table_text", READ, "50人以上100人未満"),
    ("[ 50人以上100人未満 ]", "50人以上100人未満", "pdf_text", READ, "50人以上100人未満"),
    ("[ 50人以上", "50人以上", "pdf_text", UNREAD, "50人以上"),  # cut short: never completed by a guess
    ("[ 50人以上 ] 100人未満", "50人以上", "pdf_text", READ, "50人以上100人未満"),  # the rest printed beside it
    ("[] <選択肢> 1) 10人未満 2) 10人以上50人未満", None, "table_text", UNSELECTED, ""),
    ("<選択肢> 1) 10人未満 2) 10人以上50人未満", None, "table_text", UNSELECTED, ""),
    ("使用者数", None, "pdf_text", UNREAD, ""),  # the value drifted away from its label in a PDF dump
    ("[ 職員全員 ]", None, "table_text", UNREAD, "職員全員"),  # written, but no member of the list
    # the bracket names a member, and the option list after it runs into a detail the reader cannot split
    ("[50人以上100人未満] <選択肢> 1) 10人未満 2) 50人以上100人未満 (内訳: 職員 60人、委託先の従業者 20人。)",
     None, "table_text", READ, "50人以上100人未満"),
])
def test_a_one_of_value_is_one_member_of_its_list_or_unselected_or_unread(row, selected, family, state, text):
    value = one_of(USERS, item(row, selected=selected), family)
    assert (value.state, value.text) == (state, text)
    if state == READ:
        assert value.text in USERS.options


def test_a_text_item_with_nothing_beside_its_label_is_unread_in_a_pdf_dump_and_blank_in_a_table():
    basis = by_key("linkage.legal_basis")

    def row(raw, value):
        return Item("②法令上の根拠", basis.key, value, raw, (1, 1))

    assert typed(basis, row("②法令上の根拠", ""), "pdf_text").state == UNREAD
    assert typed(basis, row("②法令上の根拠 -", "-"), "pdf_text").state == BLANK
    assert typed(basis, row("②法令上の根拠", ""), "table_text").state == BLANK


def test_a_name_that_took_in_other_cells_check_boxes_is_unread():
    """000's ③委託先名 (L713) runs into the boxes printed beside it in the PDF dump: no name holds brackets."""
    name = by_key("itaku.contractor_name")
    broken = Item("③委託先名", name.key, "再委託] 専用線] 紙10万人以上100万人未満[ ] 電子メール", "③委託先名", (1, 1))
    assert typed(name, broken, "pdf_text").state == UNREAD
    assert typed(name, Item("③委託先名", name.key, "架空システム株式会社", "③委託先名", (1, 1)), "pdf_text").state == READ


def test_ticks_are_the_ticked_members_or_unselected_or_unread():
    method = by_key("acquire.method")
    assert ticks(method, item("[○] 紙 [ ] 電子メール", checked=["紙"])).members == ("紙",)
    assert ticks(method, item("[ ] 紙 [ ] 電子メール")).state == UNSELECTED
    assert ticks(method, item("] 紙 [ ○\n電子メール")).state == UNREAD  # a tick no box holds
    assert typed(by_key("itaku.contractor_name"), item("—", value="—")).state == BLANK


# --- the records of the sample documents, by form type and family --------------------------------

@pytest.mark.parametrize("name", SAMPLES)
def test_every_one_of_value_is_a_member_and_coverage_is_reported(records, name):
    record = records[name]
    family, form = SAMPLES[name]
    assert record.form == form
    assert 0 < record.coverage.found <= record.coverage.expected
    assert record.coverage.expected == sum(form in it.forms for it in catalogue().items if not it.absent)
    printed = {(it.key, it.lines): it.options for s in walk(parse_file(CORPUS / name).sections) for it in s.items}
    for r in record.items:
        if r.type == "one_of" and r.value.state == READ:
            members = {compact(o) for o in by_key(r.key).options + printed[(r.key, r.lines)]}
            assert compact(r.value.text) in members, r  # exactly one member, never a prefix of one
        if r.type == "ticks" and r.value.state == READ:
            assert r.value.members
        assert r.number is None or r.number.startswith(("表紙", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "別添"))


# Values read from the documents' own lines (pia-format.md names each line).
@pytest.mark.parametrize("name, key, group, state, text", [
    ("004_10828c4da8499198.txt", "use.users", None, READ, "50人以上100人未満"),  # O L153
    ("004_10828c4da8499198.txt", "jimu.target_count", None, READ, "30万人以上"),  # O L50
    ("004_10828c4da8499198.txt", "file.subject_count", None, READ, "10万人以上100万人未満"),  # O L122
    ("004_10828c4da8499198.txt", "storage.period", None, UNSELECTED, ""),  # O L217: options only
    ("004_10828c4da8499198.txt", "itaku.contractor_name", "委託事項1", READ, "日本電気株式会社大分支店"),  # O L176
    ("003_29360f64495ac016.txt", "storage.period", None, UNSELECTED, ""),  # F L216
    ("003_29360f64495ac016.txt", "itaku.scope", "委託事項3", UNSELECTED, ""),  # F L155: []
    ("002_36f852d2897e428a.txt", "itaku.contractor_name", "委託事項3", READ, "株式会社パソナ"),  # 002:819
    ("002_36f852d2897e428a.txt", "itaku.contractor_name", "委託事項1", READ, "富士通Japan株式会社"),  # 002:686
    ("000_e1b5c79a0a16442b.txt", "jimu.target_count", None, READ, "10万人以上30万人未満"),  # 000:146
    ("003_29360f64495ac016.txt", "disclosure.fee", None, READ, "無料"),  # 003:435, a detail after the list
])
def test_values_read_from_the_documents_own_lines(records, name, key, group, state, text):
    found = [r for r in records[name].items if r.key == key and r.group == group]
    assert found, f"{key} in {group or 'no group'} of {name}"
    assert (found[0].value.state, found[0].value.text.replace("\u3000", " ")) == (state, text)


def test_a_count_and_the_ticks_of_the_same_row(records):
    present = next(r for r in records["004_10828c4da8499198.txt"].items if r.key == "itaku.present")
    assert (present.value.text, present.value.number, present.value.unit) == ("委託する", 1, "件")  # O L166
    provide = next(r for r in records["004_10828c4da8499198.txt"].items if r.key == "provide.present")
    assert provide.value.state == READ and len(provide.value.members) == 2  # O L187: 提供 (62) and 移転 (22)


def test_group_members_sit_under_their_own_group(records):
    systems = [r for r in records["004_10828c4da8499198.txt"].items if r.key == "system.name"]
    assert [r.group for r in systems] == [f"システム{n}" for n in range(1, 8)]
    connections = {r.group: r.value.members for r in records["004_10828c4da8499198.txt"].items
                   if r.key == "system.connections"}
    assert connections["システム1"] == () and "既存住民基本台帳システム" in connections["システム3"]


def test_a_basic_form_opening_is_covered_against_its_own_form_type():
    doc = parse_file(REAL / "001_uchiko_jidoteate_kiso.txt")
    record = record_of(doc)
    assert doc.form == "基礎項目評価書"
    assert record.coverage.expected == sum("基礎項目評価書" in it.forms for it in catalogue().items if not it.absent)
    assert {"jimu.name", "cover.published"} <= {r.key for r in record.items}


def test_parse_json_gives_the_record_and_its_coverage():
    out = subprocess.run([sys.executable, "-m", "piaqa.cli", "parse", "--json", str(CORPUS / "004_10828c4da8499198.txt")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    data = json.loads(out.stdout)
    assert set(data["coverage"]) >= {"found", "expected", "unread", "unknown_labels"}
    users = next(r for r in data["record"] if r["key"] == "use.users")
    assert users["value"] == {"state": "read", "text": "50人以上100人未満"} and users["lines"] == [153, 156]
    assert "coverage" in out.stderr
