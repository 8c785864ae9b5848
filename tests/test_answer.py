"""Cited answers on the real corpus: each status, lists, a cross-document question, and the LLM path
with LangChain's own fake chat models."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from piaqa.answer import ANSWERED, NO_MATCH, NOT_STATED, answer
from piaqa.answer.llm import generate

from .conftest import CORPUS, DOCS


def items(ans):
    return [(h.chunk.item, h.chunk.section) for h in ans.citations]


def test_subcontractor_is_not_stated_and_what_the_form_says_is_cited(index):
    ans = answer(index, "who is the 再委託先 for 住基 in 大分市")
    assert ans.status == NOT_STATED
    assert ans.looked_for == "再委託先名"
    cited = {h.chunk.item: h.chunk for h in ans.citations[:3]}
    assert cited["⑦再委託の有無"].selected == "再委託する" and cited["⑦再委託の有無"].doc == DOCS["oita_juki"]
    assert "⑨再委託事項" in cited
    assert "日本電気" not in ans.answer  # a company that appears elsewhere is not offered as the answer


def test_contractor_is_answered_with_its_citation(index):
    ans = answer(index, "Which company holds the system operation and maintenance contract for Oita City's resident registry file?")
    assert ans.status == ANSWERED
    assert ans.answer == "日本電気株式会社大分支店"
    assert ans.citations[0].chunk.lines == (176, 176) and ans.citations[0].chunk.item == "⑥委託先名"


def test_selected_option_is_the_answer(index):
    ans = answer(index, "さいたま市の国年ファイルを使う職員って何人くらいですか？使用者数の区分で教えてください。")
    assert (ans.status, ans.answer) == (ANSWERED, "100人以上500人未満")


def test_list_answer_from_ticked_boxes(index):
    ans = answer(index, "大分市の住基の入手元は？")
    assert ans.status == ANSWERED
    assert "本人又は本人の代理人" in ans.answer and "地方公共団体・地方独立行政法人" in ans.answer


def test_form_without_the_item_is_not_stated(index):
    # a 重点項目 form has no 保管期間 item
    ans = answer(index, "For how many years does Oita retain its national pension personal-number file before deleting it?")
    assert ans.status == NOT_STATED and ans.citations


def test_missing_contact_detail_is_not_stated(index):
    ans = answer(index, "What email address can I use to ask Saitama City's pension section how my data is handled?")
    assert ans.status == NOT_STATED and "email" in ans.answer


def test_unindexed_city_is_no_match(index):
    ans = answer(index, "横浜市の住基の委託先は？")
    assert ans.status == NO_MATCH and "横浜市" in ans.answer and not ans.citations
    assert answer(index, "   ").status == NO_MATCH


def test_cross_document_answer_has_a_cited_part_per_city(index):
    ans = answer(index, "Compare the target population bracket in Section I for national pension work in Oita and in Chiba.")
    assert ans.status == ANSWERED and len(ans.parts) == 2
    assert "大分市: 10万人以上30万人未満" in ans.answer and "千葉市: 30万人以上" in ans.answer
    assert {h.chunk.doc for h in ans.citations[:2]} == {DOCS["oita_nenkin"], DOCS["chiba_nenkin"]}


def test_generated_answer_citing_a_passage_not_given_is_rejected(index):
    extractive = answer(index, "千葉市の国年の委託事項3の委託先は？")
    fake = FakeListChatModel(responses=["委託先は株式会社パソナです [9]"])
    assert generate(fake, extractive) == extractive  # falls back, unchanged
    uncited = FakeListChatModel(responses=["委託先は株式会社パソナです"])
    assert generate(uncited, extractive) == extractive


def test_generated_answer_with_valid_citations_is_kept(index):
    extractive = answer(index, "who is the 再委託先 for 住基 in 大分市")
    fake = FakeListChatModel(responses=["文書には再委託先の名称は記載されていません。再委託は「再委託する」とされています [1]。"])
    result = generate(fake, extractive)
    assert result.generated and result.answer.endswith("[1]。")
    assert result.citations[0] == extractive.citations[0] and result.status == NOT_STATED


def test_cli_ask_json(index, settings):
    env = {**os.environ, "PIAQA_INDEX": str(settings.index_dir), "PIAQA_CACHE": str(settings.cache_dir)}
    out = subprocess.run([sys.executable, "-m", "piaqa.cli", "ask", "--json", "千葉市の国民年金の保管期間は？"],
                         capture_output=True, text=True, env=env, check=True).stdout
    data = json.loads(out)
    assert data["status"] == ANSWERED and "6年以上10年未満" in data["answer"]
    assert {"doc", "section", "item", "text", "lines", "page", "score"} <= set(data["citations"][0])


def test_an_item_of_several_groups_is_answered_with_every_value(index):
    ans = answer(index, "さいたま市の国民年金の委託先をすべて教えて")
    assert ans.status == ANSWERED
    assert "富士通株式会社" in ans.answer and "AGS株式会社" in ans.answer and "委託事項1" in ans.answer
    assert {h.chunk.section.split(" > ")[2][:5] for h in ans.citations[:3]} == {"委託事項1", "委託事項2", "委託事項3"}
    from piaqa.render import answer_dict, answer_text
    values = answer_dict(ans)["values"]  # the same list in JSON, each value with its group and passage
    assert [v["group"][:5] for v in values] == ["委託事項1", "委託事項2", "委託事項3"]
    assert all(v["value"] in v["citation"]["text"] and v["citation"]["section"].split(" > ")[2] == v["group"]
               for v in values)
    assert sum(line.startswith("   - 委託事項") for line in answer_text(ans).splitlines()) == 3  # and the CLI


def test_a_group_named_by_number_gets_its_own_value_only(index):
    ans = answer(index, "さいたま市 国年 委託事項2の委託先名は？")
    assert (ans.status, ans.answer) == (ANSWERED, "AGS株式会社")
    assert ans.citations[0].chunk.section.split(" > ")[2].startswith("委託事項2")


def test_a_count_is_of_the_noun_asked_about(index):
    ans = answer(index, "大分市の住基で移転先は何件ある？")
    assert (ans.status, ans.answer) == (ANSWERED, "22件")


def test_an_annex_split_into_several_passages_is_counted_whole(index):
    """別添１ 記録項目 of 大分市's 国民年金 file is printed in three columns over several passages (000:894-1002):
    its entries are numbered 1..130, and the count is of the whole list, citing the passage of its last entry."""
    ans = answer(index, "大分市の国民年金の別添１の記録項目は全部でいくつある？")
    assert (ans.status, ans.answer) == (ANSWERED, "130")
    assert ans.citations[0].chunk.key == "annex.record_items" and "130" in ans.citations[0].chunk.text


def test_an_item_that_holds_only_what_the_question_says_is_no_answer(index):
    """The form gives the 所属長's title, not the person: asked the name of the 市民課長, repeating the title is
    no answer."""
    ans = answer(index, "大分市の住基で所属長の市民課長って名前は何？")
    assert ans.status == NOT_STATED and "市民課長" in ans.answer
    assert ans.citations[0].chunk.item == "②所属長の役職名"
    assert answer(index, "大分市の住基の所属長の役職名は？").answer.startswith("市民課長")


def test_a_group_counted_is_the_number_of_its_members_in_the_record(index):
    """千葉市 prints three systems, the first of them where a PDF dump lost its システム1 title (002:127);
    大分市's 住基 prints seven (004:55-86), and システム8～ left blank counts for none."""
    assert answer(index, "千葉市の国民年金で使っているシステムはいくつ？").answer == "3"
    assert answer(index, "How many systems does Oita's resident registry work use?").answer == "7"


def test_a_choice_left_unselected_is_not_stated_from_another_item(index):
    """さいたま市 leaves ②保管期間 unselected (003:216); its その妥当性 says the records are kept for good, and
    ③消去方法 keeps paper forms 7年 — which is no 保管期間. Not stated, citing the item and its own sub-row;
    大分市's 住基 states 150年間 in ②保管期間's own その妥当性, which answers."""
    ans = answer(index, "さいたま市の国民年金の特定個人情報の保管期間は？")
    assert ans.status == NOT_STATED and "7年" not in ans.answer
    assert [h.chunk.lines for h in ans.citations[:2]] == [(216, 216), (217, 217)]
    assert "150年" in answer(index, "大分市の住基で住民票の除票は最低何年保管する？").answer


def test_the_table_of_contents_and_a_rating_the_question_is_not_about_answer_nothing(index):
    """項目一覧 lists the form's parts and answers no question; a rating (十分である) answers a yes/no question
    only about its own item. Asked whether the data is kept after moving away, the passage that says how long
    it is kept (さいたま市 ②保管期間's その妥当性, 003:217) is the answer."""
    ans = answer(index, "Does Saitama keep my data after I move away?")
    assert ans.citations[0].chunk.lines == (217, 217)
    assert all(h.chunk.item != "項目一覧" for h in ans.citations)
    assert answer(index, "さいたま市の国年で、委託先の監督は十分ですか？").status == ANSWERED


def test_a_name_printed_but_unreadable_is_said_so_and_nothing_stands_in(index):
    """000's ③委託先名 is a PDF dump's broken row (bracket pieces of the boxes beside it): the answer says it
    cannot be read, citing the row, and gives no other item's text as the contractor."""
    ans = answer(index, "大分市の国年の委託先は？")
    assert ans.status == NOT_STATED and "読み取れません" in ans.answer
    assert ans.citations[0].chunk.item == "③委託先名"


@pytest.mark.parametrize("question, expected, cited", [
    # ②入手方法 of 大分市's 住基 ticks 紙 (004:138): asked whether the data comes on paper, the tick decides
    ("大分市の住基では紙で特定個人情報を入手していますか？", "はい (Yes): 紙", "②入手方法"),
    # 「いつも」 is no 「いつ」: a greeting does not make a question ask for a date
    ("いつもお世話になっております。大分市の住基の委託先は？", "日本電気株式会社大分支店", "⑥委託先名"),
    # a rating holds no count: its detail gives the 24課 asked for
    ("さいたま市の情報セキュリティの監査は何課が対象？", "24課", "具体的な内容"),
])
def test_a_typed_answer_and_the_item_it_is_read_from(index, question, expected, cited):
    ans = answer(index, question)
    assert (ans.status, ans.answer) == (ANSWERED, expected)
    assert ans.citations[0].chunk.item == cited


def test_change_log_answers_with_the_date_of_the_change(index):
    ans = answer(index, "大分市の住基の保管期間の妥当性の記載はいつ変更された？")
    assert ans.status == ANSWERED and ans.citations[0].chunk.history
    assert ans.answer == ans.citations[0].chunk.change.date


@pytest.mark.xfail(reason="a known false not_stated since the schema's English terms went (issue 21): an English period "
                          "question naming no form word finds no item, and the passage retrieval ranks first holds no "
                          "period; items found by what the catalogue says they hold is issue 22", strict=True)
def test_period_in_english_with_no_form_word(index):
    ans = answer(index, "How long does Chiba keep its national pension file?")
    assert (ans.status, ans.answer) == (ANSWERED, "6年以上10年未満")


def test_not_stated_causes(index):
    amount = answer(index, "大分市の住基のシステム保守の委託料はいくら？")  # a fact no form item holds
    assert amount.status == NOT_STATED and amount.looked_for == "契約金額"
    assert {h.chunk.item for h in amount.citations[:2]} == {"①委託内容", "⑥委託先名"}
    blank = answer(index, "大分市 住基の評価書、表紙の特記事項には何が書かれている？")  # the item is left blank
    assert blank.status == NOT_STATED and "空欄" in blank.answer  # said in the question's language
    assert blank.citations[0].chunk.section == "表紙" and blank.citations[0].chunk.lines == (12, 12)
    no_log = answer(index, "さいたま市の国年の評価書の変更箇所では何が変わった？")  # no 変更箇所 section
    assert no_log.status == NOT_STATED and no_log.looked_for == "変更箇所"


def test_questions_with_no_content_or_about_nothing_indexed_are_no_match(index):
    for junk in ("(", ".*", "\\", "？！。…", "'; DROP TABLE documents; --"):
        ans = answer(index, junk)
        assert ans.status == NO_MATCH and not ans.citations, junk
    for elsewhere, subject in (("火星の人口は？", "火星"), ("今日の天気は？", None)):  # no form item, no subject indexed
        ans = answer(index, elsewhere)
        assert ans.status == NO_MATCH and not ans.citations and (subject is None or subject in ans.answer)


def test_an_invisible_character_inside_a_word_changes_nothing(index):
    plain, pasted = answer(index, "大分市の住基の委託先名は？"), answer(index, "大分市の住基の委\u200b託先名は？")
    assert (pasted.status, pasted.answer) == (plain.status, plain.answer) == (ANSWERED, "日本電気株式会社大分支店")


def test_facts_of_kinds_no_form_item_holds_are_not_stated(index):
    for question, looked_for in (("さいたま市の国年の委託先の従業員数は？", "委託先の従業員数"),
                                 ("大分市の住基の委託先の所在地は？", "委託先の所在地"),
                                 ("千葉市の国年の委託の契約金額はいくらですか？", "契約金額")):
        ans = answer(index, question)
        assert (ans.status, ans.looked_for) == (NOT_STATED, looked_for), question
        assert ans.citations and not ans.citations[0].chunk.history
    general = answer(index, "マイナンバーカードの有効期限は何年ですか？")  # general knowledge, in no form
    assert general.status in (NOT_STATED, NO_MATCH)


def test_k_and_question_length_are_checked_in_every_entry(index):
    from piaqa.errors import QueryError

    with pytest.raises(QueryError):
        index.search("委託先は？", k=-1)
    with pytest.raises(QueryError):
        answer(index, "委託先は？" * 500)


def test_a_choice_between_the_options_offered(index):
    """The question lists the options: the answer is the one the form marks, or 'not stated' when it marks none."""
    marked = answer(index, "大分市 国年 Ⅲ.5 の特定個人情報の提供・移転に関するルールは、定めている・定めていないのどちら？")
    assert (marked.status, marked.answer) == (ANSWERED, "定めている")
    assert "定めている" in marked.citations[0].chunk.text
    absent = answer(index, "大分市の国民年金で、特定個人情報の提供・移転の記録は「記録を残している」か「記録を残していない」か？")
    # the 重点項目 form prints no such item (様式 catalogue): not stated, naming the item looked for
    assert (absent.status, absent.looked_for) == (NOT_STATED, "特定個人情報の提供・移転の記録")


def test_a_change_named_by_its_values_gives_that_row_s_date(index):
    ans = answer(index, "千葉市の国民年金で、委託先名が日本電子計算株式会社からNECフィールディング株式会社 千葉支社に変わったのはいつ？")
    row = ans.citations[0].chunk
    assert row.history and "日本電子計算" in row.text and "NECフィールディング" in row.text
    assert ans.answer == row.change.date == "令和2年12月18日"
    english = answer(index, "When did Oita's resident registry retention change from 5 years to 150 years?")
    row = english.citations[0].chunk
    assert "5年" in row.change.before and "150年" in row.change.after
    assert english.answer == row.change.date == "令和1年9月20日"


def test_a_date_the_form_leaves_blank_is_not_taken_from_another_item(index):
    ans = answer(index, "When was Chiba's national pension assessment approved by the 個人情報保護委員会?")
    assert ans.status == NOT_STATED
    assert "承認日" in ans.citations[0].chunk.item or "承認" in ans.citations[0].chunk.section


def test_two_affairs_of_one_city_named_side_by_side_get_a_part_each(index):
    ans = answer(index, "大分市の住基と国年、それぞれの評価書の公表日は？")
    assert [p.citations[0].chunk.doc for p in ans.parts] == [DOCS["oita_juki"], DOCS["oita_nenkin"]]
    assert "令和7年9月2日" in ans.answer and "令和7年1月31日" in ans.answer
    data = answer(index, "大分市の国年で、住基から入手する情報の入手方法は？")  # 住基 as the data, not a document
    assert not data.parts and data.citations[0].chunk.doc == DOCS["oita_nenkin"]


def test_filter_values_are_read_like_questions_and_a_conflict_is_reported(index):
    """--affair 国年 and --org Chiba mean what they mean in a question; a filter that excludes the city the
    question names, or names nothing indexed, is said so instead of answering for another city."""
    canonical = answer(index, "委託事項1の委託先名は？", org="千葉市", affair="国民年金に関する事務")
    for org, affair in (("Chiba", "国年"), ("千葉", "国民年金")):
        same = answer(index, "委託事項1の委託先名は？", org=org, affair=affair)
        assert (same.status, same.answer) == (canonical.status, canonical.answer)
        assert all(h.chunk.org == "千葉市" for h in same.citations)
    conflict = answer(index, "大分市の住基の委託先は？", org="千葉市")
    assert conflict.status == NO_MATCH and "大分市" in conflict.answer and "千葉市" in conflict.answer
    unknown = answer(index, "委託先は？", org="横浜市")
    assert unknown.status == NO_MATCH and "さいたま市" in unknown.answer  # what the index holds
    assert {h.chunk.org for h in index.search("委託先名", k=100, org="Saitama")} == {"さいたま市"}


def test_a_document_filter_keeps_one_document_and_reports_a_contradiction(index):
    from piaqa.errors import QueryError

    kept = answer(index, "委託先は？", doc=DOCS["saitama_nenkin"])
    assert kept.status == ANSWERED and {h.chunk.doc for h in kept.citations} == {DOCS["saitama_nenkin"]}
    stem = DOCS["kyosai"].removesuffix(".txt")
    assert {h.chunk.doc for h in index.search("保管期間", k=20, doc=stem)} == {DOCS["kyosai"]}
    conflict = answer(index, "大分市の住基の委託先は？", doc=DOCS["chiba_nenkin"])
    assert conflict.status == NO_MATCH and "大分市" in conflict.answer and DOCS["chiba_nenkin"] in conflict.answer
    missing = answer(index, "委託先は？", doc="nowhere.txt")
    assert missing.status == NO_MATCH and DOCS["oita_juki"] in missing.answer  # what the filter accepts
    with pytest.raises(QueryError, match="no indexed document is named"):
        index.search("委託先は？", doc="nowhere.txt")


def test_eval_scores_on_the_index_it_builds_and_reports_not_stated_and_voices(settings, embedder, tmp_path):
    """`piaqa eval` builds a throwaway index and asks on it while its files exist (they open lazily), and reports
    not-stated precision and recall and a row per voice. The scorer here is the QA folder's own score.py, as
    shared/eval has one; this one counts what it is given."""
    from piaqa.evaluate import report_text, run_eval

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / DOCS["oita_juki"]).write_bytes((CORPUS / DOCS["oita_juki"]).read_bytes())
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "x-1", "question": "大分市の住基の委託先は？", "voice": "citizen", "kind": "field"},
        {"id": "x-2", "question": "who is the 再委託先 for 住基 in 大分市", "voice": "staff", "kind": "not_stated",
         "unanswerable": True}]), encoding="utf-8")
    (tmp_path / "score.py").write_text(
        "def score(questions, results, seeds):\n"
        "    return {'answered': sum(r.get('status') == 'answered' for r in results.values()), 'n': len(questions)}\n",
        encoding="utf-8")
    report = run_eval(qa, settings, baselines=False, corpus=corpus)
    assert report["piaqa_answers"]["not_stated_precision"] == 1.0 and report["piaqa_answers"]["not_stated_recall"] == 1.0
    assert {"voice:citizen", "voice:staff"} <= set(report["answers_by"])
    assert "not_stated_precision" in report_text(report)
