"""The parser on the real corpus files and on small snippets of both families."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from piaqa.ingest import Source
from piaqa.parse import parse_source, walk
from piaqa.parse.fields import find_checked, find_selected, split_options
from piaqa.parse.markers import group_heading, is_placeholder, section_heading, subsection_heading

from .conftest import CORPUS, DOCS


def items(doc):
    return [(s, i) for s in walk(doc.sections) for i in s.items]


def find(doc, label, under=""):
    return [i for s, i in items(doc) if i.label == label and under in s.title]


@pytest.mark.parametrize("name, org, affair, form, number, published", [
    ("oita_nenkin", "大分市", "国民年金に関する事務", "重点項目評価書", "41", "令和7年1月31日"),
    ("kyosai", "全国市町村職員共済組合連合会", "年金業務に関する事務", "変更箇所のみ", None, None),
    ("chiba_nenkin", "千葉市", "国民年金に関する事務", "全項目評価書", "27", None),  # 公表日 printed with no value
    ("saitama_nenkin", "さいたま市", "国民年金に関する事務", "全項目評価書", "22", "令和元年10月11日"),
    ("oita_juki", "大分市", "住民基本台帳に関する事務", "全項目評価書", "1", "令和7年9月2日"),
])
def test_metadata(parsed, name, org, affair, form, number, published):
    doc = parsed[name]
    assert (doc.org, doc.affair, doc.form, doc.number, doc.published) == (org, affair, form, number, published)


@pytest.mark.parametrize("name, family", [
    ("oita_nenkin", "pdf_text"), ("kyosai", "pdf_text"), ("chiba_nenkin", "pdf_text"),
    ("saitama_nenkin", "table_text"), ("oita_juki", "table_text"),
])
def test_family(parsed, name, family):
    assert parsed[name].family == family


def test_oita_juki_contractor_and_subcontract(parsed):
    doc = parsed["oita_juki"]
    section = next(s for s in walk(doc.sections) if s.title.startswith("委託事項1"))
    by_label = {i.label: i for i in section.items}
    assert by_label["⑥委託先名"].value == "日本電気株式会社大分支店"
    assert by_label["⑥委託先名"].key == "itaku.contractor_name"
    assert by_label["⑥委託先名"].lines == (176, 176)
    assert by_label["⑦再委託の有無"].selected == "再委託する"
    assert by_label["⑨再委託事項"].value == "システム管理・運用保守に係る業務及び支援業務"
    assert section.title == "委託事項1 システム運用・保守業務委託"


def test_every_risk_rating_of_oita_juki_is_read(parsed):
    ratings = find(parsed["oita_juki"], "リスクへの対策は十分か")
    assert len(ratings) >= 20
    unselected = [i.lines for i in ratings if i.selected is None]
    # 6. 情報提供ネットワークシステムとの接続: risks 1-4 are printed as [] (no selection, L467-476)
    assert unselected == [(467, 467), (470, 470), (473, 473), (476, 476)]
    assert {i.selected for i in ratings if i.selected} <= {"十分である", "特に力を入れている", "課題が残されている"}


@pytest.mark.parametrize("name, label, selected", [
    ("oita_juki", "③対象人数", "30万人以上"),  # inside an HTML table cell, options after it
    ("oita_juki", "②対象となる本人の数", "10万人以上100万人未満"),  # [<input/> value]
    ("oita_juki", "委託の有無", "委託する"),  # count (1) 件 before the options
    ("oita_nenkin", "③対象人数", "10万人以上30万人未満"),  # PDF: "[ value" open bracket
    ("oita_nenkin", "①ファイルの種類", "システム用ファイル"),
    ("saitama_nenkin", "⑥技術的対策", "特に力を入れて行っている"),
])
def test_selected_values(parsed, name, label, selected):
    assert selected in {i.selected for i in find(parsed[name], label)}


def test_no_selection_is_not_the_first_option(parsed):
    # ②保管期間 shows only its options in both table dumps: nothing is selected
    for name in ("oita_juki", "saitama_nenkin"):
        periods = [i for _, i in items(parsed[name]) if i.key == "storage.period"]
        assert periods and all(i.selected is None for i in periods)


def test_checked_boxes(parsed):
    source = find(parsed["oita_juki"], "①入手元")[0]
    assert source.checked == ("本人又は本人の代理人", "地方公共団体・地方独立行政法人 (他市町村作成の転出証明書等の証明書)")
    methods = find(parsed["oita_juki"], "②入手方法")[0]
    assert methods.checked == ("紙", "その他 (地方公共団体情報システム機構)")


def test_toc_is_not_a_section_start(parsed):
    doc = parsed["oita_juki"]
    first_body = [s for s in doc.sections if s.title.startswith("Ⅰ")][0]
    assert first_body.lines[0] == 44  # the 項目一覧 lists "I 基本情報" at L26 too


def test_heading_after_its_content_keeps_the_content(parsed):
    # 000: system and 事務 text (L45-130) comes before its heading Ⅰ 基本情報 (L131)
    doc = parsed["oita_nenkin"]
    first = [s for s in doc.sections if s.title.startswith("Ⅰ")][0]
    assert first.lines[0] == 45


def test_missing_section_stays_missing(parsed):
    titles = [s.title for s in parsed["saitama_nenkin"].sections]
    assert not any(t.startswith("Ⅰ") for t in titles)  # 003 has no body for Ⅰ
    assert "(見出しなし)" in titles
    assert not any("変更箇所" in t for t in titles)  # listed in its ToC, absent from its body


def test_changelog_rows_are_history_with_before_after(parsed):
    log = [s for s in parsed["oita_juki"].sections if "変更箇所" in s.title][0]
    assert log.history and all(i.history for i in log.items)
    row = next(i for i in log.items if i.lines[0] == 610)
    assert row.change.date == "平成29年3月10日"
    assert (row.change.before, row.change.after) == ("2015/1/14", "2017/3/10")
    assert not any("変更日" == i.label for i in log.items)  # repeated page headers are dropped


def test_pdf_changelog_dates_are_recovered(parsed):
    log = [s for s in parsed["kyosai"].sections][0]
    assert log.history
    dated = [i for i in log.items if i.change and i.change.date]
    assert len(dated) > 100
    assert {i.change.date for i in dated} == {"平成31年4月17日"}


def test_body_items_are_not_history(parsed):
    for doc in parsed.values():
        for s, i in items(doc):
            assert i.history == s.history


def test_html_is_stripped_from_values_but_kept_in_raw(parsed):
    item = find(parsed["oita_juki"], "③対象人数")[0]
    assert "<td" in item.raw
    assert "<" not in item.value and "選択肢" not in item.value


def test_canonical_keys_across_forms(parsed):
    # 委託先名 is ③ in 重点項目 forms and ⑥ in 全項目 forms: one key
    for name, label in (("oita_nenkin", "③委託先名"), ("oita_juki", "⑥委託先名")):
        assert {i.key for i in find(parsed[name], label)} == {"itaku.contractor_name"}


def snippet(text: str, name: str = "snippet.txt"):
    return parse_source(Source(name, text, "0" * 64, "utf-8"))


TABLE_SNIPPET = """特定個人情報保護評価書(全項目評価書)

評価書番号\t評価書名
7\t架空市 介護保険に関する事務 全項目評価書

項目一覧

I 基本情報
II 特定個人情報ファイルの概要

II 特定個人情報ファイルの概要

4. 特定個人情報ファイルの取扱いの委託
委託の有無 ※\t[委託する] <選択肢> (2) 件 1) 委託する 2) 委託しない
委託事項1\t
介護保険システムの保守
⑥委託先名\t
架空システム株式会社\t\t
再委託\t⑦再委託の有無 ※\t<input type="checkbox"/> 再委託しない [] <選択肢> 1) 再委託する 2) 再委託しない
委託事項2~5\t
リスクへの対策は十分か\t[]\t十分である
"""


def test_table_snippet():
    doc = snippet(TABLE_SNIPPET)
    assert (doc.org, doc.affair, doc.form, doc.number) == ("架空市", "介護保険に関する事務", "全項目評価書", "7")
    group = next(s for s in walk(doc.sections) if s.title.startswith("委託事項1"))
    assert group.title == "委託事項1 介護保険システムの保守"  # title on the next line
    by_label = {i.label: i for i in group.items}
    assert by_label["⑥委託先名"].value == "架空システム株式会社"  # value on the line after its label
    assert by_label["⑦再委託の有無"].selected == "再委託しない"  # value outside the empty brackets
    assert by_label["リスクへの対策は十分か"].selected == "十分である"
    assert not any(s.title.startswith("委託事項2") for s in walk(doc.sections))  # placeholder range


PDF_SNIPPET = """特定個人情報保護評価書（重点項目評価書）

評価書番号  評価書名

5 架空町　国民年金に関する事務　重点項目評価書

項目一覧

Ⅰ　基本情報

Ⅱ　特定個人情報ファイルの概要

 ２．基本情報

 ①ファイルの種類　※ [ システム用ファイル

1） システム用ファイル
2） その他の電子ファイル（表計算ファイル等）

 ③委託先名 架空データ株式会社

[ ○ ] その他 （ 接続なし
［〇］既存住民基本台帳システム
〔〇〕本人又は本人の代理人
○○組合
Ⅰ　基本情報
"""


def test_pdf_snippet():
    doc = snippet(PDF_SNIPPET)
    assert (doc.org, doc.form, doc.number) == ("架空町", "重点項目評価書", "5")
    by_label = {i.label: i for _, i in items(doc)}
    assert by_label["①ファイルの種類"].selected == "システム用ファイル"
    assert by_label["③委託先名"].value == "架空データ株式会社"
    assert by_label["③委託先名"].key == "itaku.contractor_name"
    checked = [c for _, i in items(doc) for c in i.checked]
    assert checked == ["その他 （ 接続なし", "既存住民基本台帳システム", "本人又は本人の代理人"]


@pytest.mark.parametrize("line, title", [
    ("Ⅰ　基本情報", "Ⅰ 基本情報"),
    ("III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策", "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"),
    ("Ⅳ　開示請求、問合せ", "Ⅳ 開示請求、問合せ"),
    ("（別添２）変更箇所", "(別添2) 変更箇所"),
    ("(別添1) 事務の内容", "(別添1) 事務の内容"),
    ("Ⅱ．特定個人情報ファイルの概要　２．基本情報", None),  # a change-log path, not a heading
    ("I. 住民票の記載", None),
])
def test_section_headings(line, title):
    found = section_heading(line)
    assert (found.title if found else None) == title


@pytest.mark.parametrize("cell, title", [
    (" ４．特定個人情報ファイルの取扱いの委託", "4. 特定個人情報ファイルの取扱いの委託"),
    ("3. 特定個人情報ファイル名\t", "3. 特定個人情報ファイル名"),
    ("１．第１号被保険者の資格の取得", None),
])
def test_subsection_headings(cell, title):
    found = subsection_heading(cell)
    assert (found.title if found else None) == title


@pytest.mark.parametrize("line, group, placeholder", [
    (" システム2", "システム2", False),
    (" システム2～5", None, True),
    ("委託事項16～20\t\t", None, True),
    ("リスク4：入手の際に", "リスク4: 入手の際に", False),
    ("移転先1 市民部 市民課", "移転先1", False),
])
def test_groups_and_placeholders(line, group, placeholder):
    found = group_heading(line)
    assert (found.title if found and not is_placeholder(line) else None) == group
    assert is_placeholder(line) == placeholder


@pytest.mark.parametrize("text, options", [
    ("2） 十分である1） 特に力を入れている", ("十分である", "特に力を入れている")),
    ("1) 1,000人未満 3) 1万人以上10万人未満 5) 30万人以上", ("1,000人未満", "1万人以上10万人未満", "30万人以上")),
    ("・国民年金法第3条", ()),
])
def test_split_options(text, options):
    assert split_options(text)[1] == options


@pytest.mark.parametrize("text, selected", [
    ("[ 十分に行っている", "十分に行っている"),
    ("十分である ]", "十分である"),
    ("]十分である", "十分である"),
    ("定めている[", "定めている"),
    ("[] <選択肢> 1) 十分である 2) 課題が残されている", None),
])
def test_selected_shapes(text, selected):
    vocab = frozenset({"十分に行っている", "十分である", "定めている", "課題が残されている"})
    assert find_selected(text, (), vocab) == selected


def test_checkbox_needs_box_and_label_on_one_line():
    assert find_checked("] 情報提供ネットワークシステム [ ○") == ()
    assert find_checked("[  ○  ]専用線") == ("専用線",)


def test_cli_parse_json_on_oita_juki():
    out = subprocess.run([sys.executable, "-m", "piaqa.cli", "parse", str(CORPUS / DOCS["oita_juki"]), "--json"],
                         capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    assert (doc["org"], doc["affair"], doc["form"], doc["number"], doc["published"]) == (
        "大分市", "住民基本台帳に関する事務", "全項目評価書", "1", "令和7年9月2日")

    def all_items(sections):
        for s in sections:
            yield from ((s, i) for i in s["items"])
            yield from all_items(s["children"])

    pairs = list(all_items(doc["sections"]))
    contractor = [i for s, i in pairs if i["label"] == "⑥委託先名" and s["title"].startswith("委託事項1")]
    assert contractor[0]["value"] == "日本電気株式会社大分支店"
    assert [i["selected"] for s, i in pairs if i["label"] == "⑦再委託の有無"] == ["再委託する"]


def test_record_item_groups_of_an_annex(parsed):
    annex = next(s for s in parsed["saitama_nenkin"].sections if "記録項目" in s.title)
    groups = {c.title: c for c in annex.children}
    assert "<免除情報>" in groups and "<宛名>" in groups
    assert "免除種類" in groups["<免除情報>"].items[0].value
    annex = next(s for s in parsed["chiba_nenkin"].sections if "記録項目" in s.title)
    assert "＜宛名＞" in {c.title for c in annex.children}


def test_pdf_labels_wrapped_by_their_cell_are_read_whole(parsed):
    """A long label a PDF cell wraps (`④提供する情報の対象となる` / `本人の数`) is one label, never a value."""
    for name in ("oita_nenkin", "chiba_nenkin"):
        labelled = [i for _, i in items(parsed[name]) if i.label and not i.history]
        whole = [i for i in labelled if i.label.endswith("提供する情報の対象となる本人の数")]
        assert whole and all(i.key == "provide.subject_count" for i in whole)
        assert not any(i.label.endswith("対象となる") for i in labelled)
        assert not any(i.value.startswith(("本人の数", "る措置", "関するルール")) for i in labelled)
    rule = find(parsed["oita_nenkin"], "特定個人情報の提供・移転に関するルール")
    assert rule and rule[0].value == ""  # its selected option is printed elsewhere on the page


def test_a_value_line_is_not_taken_for_a_wrapped_label(parsed):
    """Only a label that is the start of a form label grows: complete labels keep their values."""
    contractor = [i for _, i in items(parsed["chiba_nenkin"]) if i.key == "itaku.contractor_name" and not i.history]
    assert {"株式会社パソナ", "富士通Japan株式会社"} <= {i.value for i in contractor}


def test_pdf_changelog_explanation_is_not_the_changed_text(parsed):
    """The 提出時期 cell and its explanation (事後 / 【重要な変更】…) are kept apart from the text that changed."""
    rows = [i for _, i in items(parsed["kyosai"]) if i.change]
    explained = [i for i in rows if i.change.why]
    assert len(explained) > 50
    assert not any(i.value.startswith(("事前", "事後")) for i in rows)
    linkage = next(i for i in rows if i.lines[0] == 463)  # Ⅰ.6 ②法令上の根拠, added 平成31年4月17日
    assert "別表第二" in linkage.value and "重要な変更" not in linkage.value
    assert linkage.change.timing == "事後" and "法令上の根拠の追加" in linkage.change.why
    glued = [i for _, i in items(parsed["chiba_nenkin"]) if i.change and i.change.after]
    assert not any(i.change.after.rstrip().endswith(("事前", "事後")) for i in glued)


def test_cover_approval_date_is_keyed_when_blank(parsed):
    for name in ("chiba_nenkin", "saitama_nenkin", "oita_juki"):
        cover = [i for s, i in items(parsed[name]) if s.title.startswith("表紙")]
        approval = [i for i in cover if i.label.startswith("個人情報保護委員会")]
        assert [i.key for i in approval] == ["cover.approval"] and approval[0].value == ""


def test_pdf_change_row_with_both_cells_on_one_line(parsed):
    """`（記載なし） 10人以上50人未満 事後 …`: the dump prints a short 変更前 and 変更後 on one line."""
    one_line = [i for _, i in items(parsed["chiba_nenkin"]) if i.change and
                any(re.match(r"^（記載なし） \S+ 事[前後]", s) for s in i.raw.split("\n"))]
    assert one_line
    for row in one_line:
        assert row.change.before == "（記載なし）" and row.change.after
        assert "（記載なし）" not in row.change.after and not row.change.after.endswith(("事前", "事後"))


def group_values(doc, key):
    """{group title's first word: value} of every body group's item with `key`."""
    return {s.title.split(" ")[0]: (i.selected or i.value).replace("\u3000", " ")
            for s in walk(doc.sections) if s.level == 3 and not s.history for i in s.items if i.key == key}


@pytest.mark.parametrize("key", ["itaku.contractor_name", "itaku.handlers"])
def test_interleaved_groups_take_their_values_from_the_change_log(parsed, key):
    """A PDF dump prints 委託事項 side by side: each group's value is the one its latest change-log row gives,
    wherever the dump printed it; the rows are read from the document, not written here."""
    from piaqa.parse.attribution import attested
    doc = parsed["chiba_nenkin"]
    log = [i for s in walk(doc.sections) if s.history for i in s.items]
    facts = [f for f in attested(log) if f.key == key]
    values = group_values(doc, key)
    checked = [f for f in facts if f.group in values]
    assert checked
    for fact in checked:
        assert values[fact.group] == fact.value.replace("\u3000", " ").strip()


def test_table_dump_groups_keep_their_rows(parsed):
    """A table row's cells are certain: an older log row (before the systems were renumbered) moves nothing."""
    names = group_values(parsed["oita_juki"], "system.name")
    assert names["システム5"] == "共通基盤システム"
