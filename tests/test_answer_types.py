"""The answer type a question expects and the typed extractors, on hand-made chunks shaped like the
two dump families (no model, no index: the fast tier)."""
from __future__ import annotations

import pytest

from piaqa.answer.asks import asked_type, moved_values, offered_options
from piaqa.answer.extractors import empty, extract, extract_kind, is_debris
from piaqa.answer.rank import in_section, moved_in
from piaqa.answer.signals import group_numbers, section_numbers
from dataclasses import replace

from piaqa.answer.verdicts import prints
from piaqa.chunk import shown_blank
from piaqa.query import detect_keys
from piaqa.schema import by_key
from piaqa.models import Change, Chunk


def chunk(value: str, *, item: str = "", key: str | None = None, selected: str | None = None,
          checked: tuple[str, ...] = (), family: str = "table_text", history: bool = False,
          change: Change | None = None, section: str = "Ⅱ 特定個人情報ファイルの概要 > 2. 基本情報") -> Chunk:
    return Chunk("id", "doc.txt", "架空市", "架空事務", "全項目評価書", section, item, key, value, value, (1, 1), None,
                 history, selected=selected, checked=checked, value=value, family=family, change=change)


@pytest.mark.parametrize("question, history, expected", [
    ("架空市の住基の委託先はどこの会社？", False, "name"),
    ("Which vendor runs the data centre?", False, "name"),
    ("How long are the paper forms kept?", False, "period"),
    ("特定個人情報はいつまで保管する？", False, "period"),
    ("委託事項は全部で何件？", False, "count"),
    ("How many offices use the file?", False, "count"),
    ("手数料はいくら？", False, "amount"),
    ("開示請求の窓口のメールアドレスは？", False, "contact"),
    ("第三者点検はいつ実施した？", False, "date"),
    ("Is the file connected to the internet?", False, "yesno"),
    ("死者の個人番号を保管していますか", False, "yesno"),
    ("リスク対策は十分か、どの区分？", False, "choice"),
    ("Why must the records be kept for decades?", False, "explain"),
    ("アクセス権限はどのように管理している？", False, "explain"),
    ("保管場所の記載は変更前は何だった？", True, "change"),
    ("What did the revision change the retention period to?", True, "change"),
    ("How are rights revoked when staff change posts?", True, "explain"),  # 'change' as a plain verb
    ("消去ルールは「定めている」か「定めていない」か？", False, "choice"),  # the options offered decide
    ("Is the file sent by dedicated line, on paper, or some other way?", False, "choice"),
    ("What clauses does the outsourcing contract include?", False, "explain"),
    ("委託契約書にはどのような規定がある？", False, "explain"),
])
def test_asked_type(question, history, expected):
    assert asked_type(question, history) == expected


def test_choice_is_the_selected_option_never_the_option_list():
    rated = chunk("[ 十分である ] 1) 特に力を入れている 2) 十分である", item="リスクへの対策は十分か",
                  key="risk.sufficient", selected="十分である")
    assert extract(rated, "choice", "対策は十分か？", set()) == "十分である"
    unselected = chunk("期間 [] 1) 1年未満 2) 1年 3) 2年", item="期間", key="storage.period")
    assert empty(unselected) and extract_kind(unselected, "choice", "期間は？", set()) == (None, None)


def test_pdf_dump_bracketed_option_is_a_choice_but_check_box_debris_is_not():
    assert extract(chunk("[ 10万人以上30万人未満\n] 4情報", family="pdf_text"), "choice", "何人？", set()) == "10万人以上30万人未満"
    assert extract(chunk("[ ○ ] 本人 [ ] 行政機関", family="pdf_text"), "choice", "どれ？", set()) is None
    assert is_debris("[ ] 情報提供ネットワークシステム [[ ] 宛名システム等 [")


def test_count_is_of_the_noun_the_question_names():
    provided = chunk("[○] 提供を行っている (3) 件 [○] 移転を行っている (17) 件", item="提供・移転の有無",
                     checked=("提供を行っている (3) 件", "移転を行っている (17) 件"))
    assert extract(provided, "count", "移転先は何件？", set()) == "17件"
    assert extract(provided, "count", "提供先はいくつ？", set()) == "3件"
    listed = chunk("１．住民票の作成\n２．証明書の交付\n３．転入届の受付\n４．転出届の受付")
    assert extract(listed, "count", "事務は何項目挙がっている？", set()) == "4"
    assert extract(listed, "count", "意見は全部で何件？", set()) is None  # a list's length is not a number of cases


def test_period_is_a_duration_not_the_year_of_a_date():
    assert extract(chunk("申請書は保存期間を5年とし、令和6年4月1日に廃棄する"), "period", "何年？", set()) == "5年"
    assert extract(chunk("令和6年4月1日から運用"), "period", "何年？", set()) is None


def test_contact_amount_and_date_are_taken_as_written():
    contact = chunk("市民課 電話 012-345-6789 FAX 012-345-0000")
    assert extract(contact, "contact", "FAX番号は？", set()) == "FAX 012-345-0000"
    assert extract(contact, "contact", "メールアドレスは？", set()) is None
    assert extract(chunk("1件につき300円"), "amount", "手数料はいくら？", set()) == "300円"
    assert extract(chunk("令和5年3月31日に実施"), "date", "いつ？", set()) == "令和5年3月31日"


def test_change_row_gives_before_and_after_or_its_date():
    row = chunk("保管期間 5年 150年", history=True, change=Change("令和1年9月20日", "5年間", "150年間", "事前"))
    assert extract(row, "change", "変更前は何年だった？", set()) == "5年間 → 150年間"
    assert extract(row, "change", "What was it changed to?", set()) == "150年間"
    assert extract(row, "change", "いつ変更された？", set()) == "令和1年9月20日"
    assert extract(chunk("保管期間 150年間"), "change", "変更後は？", set()) is None  # only change-log rows


def test_sections_and_groups_named_by_number():
    assert section_numbers("see Ⅲ.5 and II-2") == {("Ⅲ", "5"), ("Ⅱ", "2")}
    assert in_section(chunk("x", section="Ⅲ リスク対策 > 5. 特定個人情報の提供・移転 > リスク1"), {("Ⅲ", "5")}, False) == 1.0
    assert in_section(chunk("x", section="Ⅲ リスク対策 > 4. 委託"), {("Ⅲ", "5")}, False) == 0.0
    assert in_section(chunk("x", section="表紙"), set(), True) == 1.0
    assert group_numbers("委託事項２の委託先 and system 3") == {"委託事項2", "システム3"}


def test_a_form_item_sits_in_the_sub_section_its_form_prints_it_in():
    """A PDF dump may print a row under the title of another sub-section: a catalogue item is where the 様式
    prints it for the document's form type (情報連携's ②法令上の根拠 is Ⅰ-5-② of a 重点項目評価書)."""
    drifted = replace(chunk("-", item="②法令上の根拠", key="linkage.legal_basis", family="pdf_text",
                            section="Ⅰ 基本情報 > 7. 他の評価実施機関"), form="重点項目評価書")
    assert in_section(drifted, {("Ⅰ", "5")}, False) == 1.0
    assert in_section(drifted, {("Ⅰ", "7")}, False) == 0.0


@pytest.mark.parametrize("family, value, state, shown", [
    ("pdf_text", "-", "blank", True),  # a dash printed on the row: the form leaves it blank
    ("pdf_text", "", "unread", False),  # nothing beside the label: the value drifted elsewhere
    ("pdf_text", "<選択肢> 1) 委託する 2) 委託しない", "unselected", False),  # a PDF option list alone says nothing
    ("table_text", "[] <選択肢> 1) 委託する 2) 委託しない", "unselected", True),
    ("table_text", "—", "blank", True),
])
def test_only_a_row_shown_blank_answers_left_blank(family, value, state, shown):
    assert shown_blank(replace(chunk(value, item="x", key="itaku.present", family=family), state=state)) is shown


def test_a_label_printed_as_a_heading_is_an_item_of_the_document_but_not_in_a_sentence():
    technical = by_key("risk.technical")
    heading = chunk("＜技術的対策＞\n１．ウイルス対策ソフトを導入する。")
    sentence = chunk("技術的対策を講じている。")
    assert prints([heading], technical) and not prints([sentence], technical)


@pytest.mark.parametrize("k", [-1, 0, 2.5, "3", True, 10_000])
def test_k_out_of_range_names_the_range(k):
    from piaqa.errors import QueryError
    from piaqa.retrieve import MAX_K, check_k

    with pytest.raises(QueryError, match=f"from 1 to {MAX_K}"):
        check_k(k)


def test_questions_are_cleaned_and_capped():
    from piaqa.errors import QueryError
    from piaqa.retrieve import MAX_QUESTION_CHARS, checked_question

    assert checked_question("委\u200b託先\u2060は？") == "委託先は？"
    assert checked_question("a\ud800b") == "a?b"  # a lone surrogate cannot reach the tokenizer
    with pytest.raises(QueryError, match="characters"):
        checked_question("委託先" * MAX_QUESTION_CHARS)
    with pytest.raises(QueryError, match="must be text"):
        checked_question(None)


@pytest.mark.parametrize("question, offered", [
    ("記録は「記録を残している」と「記録を残していない」のどちら？", ("記録を残していない", "記録を残している")),
    ("Are the audits 十分に行っている or 十分に行っていない?", ("十分に行っていない", "十分に行っている")),
    ("監査は十分に行っている？", ()),  # one option named is a yes/no question, not a choice offered
    ("「国民年金システム」の保管場所は？", ()),  # a quoted name is no option
])
def test_offered_options(question, offered):
    assert offered_options(question) == offered


def test_change_from_one_value_to_another():
    assert moved_values("手数料が「無料」から「有料」に変わったのはいつ？") == ("無料", "有料")
    assert moved_values("委託先が架空データ株式会社から架空システム株式会社に変更されたのは？") == ("架空データ株式会社", "架空システム株式会社")
    assert moved_values("When did the fee change from 0 to 300 yen?") == ("0", "300")
    assert moved_values("保管期間はいつ変更された？") is None
    row = chunk("x", history=True, change=Change("令和2年4月1日", "手数料は無料", "手数料は有料", "事前"))
    back = chunk("x", history=True, change=Change("令和3年4月1日", "手数料は有料", "手数料は無料", "事前"))
    assert moved_in(row, ("無料", "有料")) == 1.0 and moved_in(back, ("無料", "有料")) == 0.0


@pytest.mark.parametrize("question, key", [
    ("委託先の住所は？", "itaku.contractor_address"),  # a fact no form prints, by its name
    ("大分市の住基の委託先は？", "itaku.contractor_name"),  # the entity a name label names, asked last
    ("再委託先の会社名を教えて", "itaku.subcontractor_name"),  # … or in a question for a name
    ("データの保管期間は？", "storage.period"),
    ("What is the contract amount?", "itaku.contract_amount"),  # an absent fact by its description's words
])
def test_items_named_by_label_entity_or_description(question, key):
    assert detect_keys(question)[0] == key


def test_an_entity_mentioned_on_the_way_is_not_what_is_asked():
    keys = detect_keys("千葉市の特定個人情報ファイルについて問い合わせたい。電話番号は？")
    assert "file.name" not in keys


def test_a_name_in_a_longer_text():
    """A short value is the name; a longer text gives the name on its 名称： line, or the one company it names."""
    long = "1 概要\n(1) 受託者が市の承認を得ず再委託したもの。" + "経緯の説明。" * 30
    labelled = chunk(long + "\n2 受託者\n名称：架空データ株式会社\n○情報処理サービス業", section="(別添) 受託者について")
    assert extract(labelled, "name", "無断で再委託していた業者はどこ？", {"再委託", "業者"}) == "架空データ株式会社"
    one = chunk(long + "\n受託者の架空システム株式会社は報告した。", section="(別添) 受託者について")
    assert extract(one, "name", "受託者は？", {"受託者"}) == "架空システム株式会社"
    assert extract_kind(chunk(long), "name", "受託者は？", {"受託者"})[1] != "name"  # it names no one
    assert extract(chunk("架空データ株式会社"), "name", "委託先は？", set()) == "架空データ株式会社"


def test_only_a_document_read_whole_can_lack_an_item(tmp_path):
    """'It has no such item' needs a document whose form was recovered: a badly read one (here, the first
    pages only, as a PDF reader that lost the table gives) shows a dozen items, so its missing item is no evidence."""
    from piaqa.answer.verdicts import read_well
    from piaqa.chunk import chunk_document
    from piaqa.parse import parse_file

    from .conftest import CORPUS, DOCS

    whole = CORPUS / DOCS["oita_juki"]
    assert read_well(chunk_document(parse_file(whole)))
    part = tmp_path / "part.txt"
    part.write_text("\n".join(whole.read_text(encoding="utf-8").split("\n")[:60]), encoding="utf-8")
    assert not read_well(chunk_document(parse_file(part)))


def test_a_long_label_asked_by_its_head_and_tail_is_that_item():
    """「委託先への提供方法」 asks ④委託先への特定個人情報ファイルの提供方法, not the 提供先's ⑥提供方法; a head that
    several labels share (特定個人情報の…) names none of them."""
    assert detect_keys("架空市の国民年金の委託先への提供方法は？")[0] == "itaku.delivery"
    assert detect_keys("架空市の住基の提供方法は？")[0] == "provide.method"
    assert detect_keys("特定個人情報の保管場所は？")[0] == "storage.location"


def test_how_it_is_done_from_check_boxes_is_the_ticked_boxes():
    boxes = chunk("[○] 専用線 [] 電子メール [○] 紙", item="④委託先への特定個人情報ファイルの提供方法",
                  key="itaku.delivery", checked=("専用線", "紙"))
    assert extract(boxes, "explain", "委託先への提供方法は？", set()) == "専用線、紙"
