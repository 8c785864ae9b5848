"""The sentences an answer is said in, in the question's language (Japanese or English).

Every sentence piaqa writes itself ("not stated", "no match", a filter conflict) comes from SENTENCES;
values quoted from a document are never translated.
"""
from __future__ import annotations

import re

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")

SENTENCES: dict[str, dict[str, str]] = {
    "not_stated": {"ja": "文書には記載がありません：{reason}", "en": "The document does not state this: {reason}"},
    "no_item": {"ja": "この様式には{label}の項目がありません。", "en": "the form has no item for {label}."},
    "it_says": {"ja": "記載されているのは {said} です。", "en": "It says {said}."},
    "form_has_no_item": {"ja": "{form}には{label}の項目がありません。", "en": "a {form} has no item for {label}."},
    "no_changelog": {"ja": "変更箇所の節がありません（項目一覧に載っていても）。",
                     "en": "it has no 変更箇所 (change log) section, although its table of contents may list one."},
    "document_has_no_item": {"ja": "この文書に{label}の項目がありません。", "en": "it has no {label} item."},
    "left_blank": {"ja": "{item}は空欄です。", "en": "{item} is left blank in the form."},
    "not_selected": {"ja": "{item}はどの選択肢も選ばれていません。", "en": "{item} is not selected in the form."},
    "none_marked": {"ja": "{options}のどれにも印がありません。", "en": "none of {options} is marked in the passages about it."},
    "no_typed": {"ja": "{where}{what}の記載がありません。", "en": "no {what} is given{where}."},
    "under": {"ja": "{item}に", "en": " under {item}"},
    "unread": {"ja": "{item}は印字されていますが、この文書からは値を読み取れません（PDFの表が崩れています）。",
               "en": "{item} is printed, but its value cannot be read from this document (its PDF table is broken apart)."},
    "only_restated": {"ja": "{item}に書かれているのは質問にある「{value}」だけです。",
                      "en": "{item} gives only {value}, which the question already says."},
    "empty_question": {"ja": "登録されている評価書について質問してください。", "en": "Ask a question about the indexed assessments."},
    "nothing_about": {"ja": "登録されている評価書には、この質問に関する記載がありません。",
                      "en": "Nothing in the indexed assessments is about this question."},
    "nothing_about_subject": {"ja": "登録されている評価書には{subject}についての記載がありません。様式の項目（委託先、保管期間など）"
                                    "か、登録されている団体について質問してください。",
                              "en": "Nothing in the indexed assessments is about {subject}: ask about an item of the "
                                    "form (委託先, 保管期間, …) or an indexed organisation."},
    "unknown_org": {"ja": "{org}の評価書は登録されていません。登録されているのは {known} です。",
                    "en": "No indexed assessment is about {org}: the index holds {known}."},
    "no_passage": {"ja": "この質問に合う記載が見つかりません。", "en": "No passage in the index matches this question."},
    "doc_conflict": {"ja": "質問は{named}についてですが、文書 {doc} は{own}のもの（{what}）です。絞り込みを外すか、質問を変えてください。",
                     "en": "The question is about {named}, but the document {doc} is {own}'s ({what}): remove the "
                           "filter or change the question."},
    "filter_unknown": {"ja": "絞り込み {value} に合う{what}は登録されていません。登録されているのは {known} です。",
                       "en": "No indexed {what} matches the filter {value}: the index holds {known}."},
    "filter_conflict": {"ja": "質問は{named}についてですが、{what}の絞り込み {value} で残るのは {allowed} だけです。"
                              "絞り込みを外すか、質問を変えてください。",
                        "en": "The question is about {named}, but the {what} filter {value} allows only {allowed}: "
                              "remove the filter or change the question."},
    "status_answered": {"ja": "回答", "en": "answered"},
    "status_not_stated": {"ja": "記載なし", "en": "not stated in the document"},
    "status_no_match": {"ja": "該当なし", "en": "no match"},
    "looked_for": {"ja": "探した項目：{item}", "en": "item looked for: {item}"},
    "version": {"ja": "版：{version}", "en": "version: {version}"},
    # the kinds of detail a typed question asks for, and the filter fields (words, put into sentences)
    "contact": {"ja": "その連絡先", "en": "such contact detail"}, "date": {"ja": "日付", "en": "date"},
    "amount": {"ja": "金額", "en": "amount"}, "count": {"ja": "件数・人数", "en": "count"},
    "period": {"ja": "期間", "en": "period"}, "organisation": {"ja": "団体", "en": "organisation"},
    "事務": {"ja": "事務", "en": "事務"},
}


def language(question: str) -> str:
    """'en' when the question is written mostly in Latin letters, else 'ja'.

    >>> language("大分市の住基の委託先は？"), language("who is the 再委託先 for 住基 in 大分市")
    ('ja', 'en')
    """
    return "en" if len(LATIN.findall(question)) > len(CJK.findall(question)) else "ja"


def phrase(lang: str, key: str, **values: str) -> str:
    """SENTENCES[key] in `lang` ('ja' or 'en'), filled with `values`."""
    return SENTENCES[key][lang].format(**values)


def say(question: str, key: str, **values: str) -> str:
    """SENTENCES[key] in the question's language, filled with `values`."""
    return phrase(language(question), key, **values)


def word(question: str, key: str) -> str:
    """The word SENTENCES[key] in the question's language (a key not listed is returned as it is)."""
    return say(question, key) if key in SENTENCES else key


def not_stated(question: str, key: str, **values: str) -> str:
    """"The document does not state this: " + SENTENCES[key], in the question's language."""
    return say(question, "not_stated", reason=say(question, key, **values))
