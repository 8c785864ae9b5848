"""The app's words, Japanese first and English on request: one catalogue, no mixed pages.

`page_language` picks the language from the browser's Accept-Language (Japanese unless the browser asks
for English first); the switch on the page overrides it. Answers keep the question's language
(answer/wording.py), whose status words and notes the page uses too.
"""
from __future__ import annotations

LANGUAGES = (("日本語", "ja"), ("English", "en"))

TEXT: dict[str, dict[str, str]] = {
    "ja": {
        "title": "## piaqa — 特定個人情報保護評価書への質問に、評価書の記載を引用して答えます",
        "tab_ask": "質問", "tab_docs": "文書", "tab_facts": "項目比較", "tab_view": "原文", "tab_add": "文書の追加",
        "question": "質問（日本語・英語・混在可）", "question_hint": "Enter で送信、Shift+Enter で改行",
        "ask": "質問する", "org": "団体", "affair": "事務", "form": "様式", "history": "変更箇所（履歴）も含める",
        "as_of": "時点（日付）", "document": "文書", "all": "（すべて）",
        "answered_help": "評価書に記載があり、その値を引用とともに示しています。",
        "not_stated_help": "該当する評価書は見つかりましたが、この事柄は書かれていません。近い記載を示します。",
        "no_match_help": "質問に当てはまる評価書や記載が登録されていません。",
        "generated": "（設定された言語モデルが引用箇所から作成した回答）",
        "open_section": "節全体を開く", "open_source": "原文で見る", "copy": "コピー", "copied": "コピーしました",
        "no_citation": "引用できる記載がありません。", "text_item": "（本文）", "history_flag": "変更箇所（履歴）",
        "published": "公表日", "number": "評価書番号", "section": "節",
        "file": "ファイル", "passages": "記載数", "docs_search": "絞り込み（団体・事務・様式・ファイル名）",
        "docs_hint": "行を選ぶと原文を表示します。", "choose_document": "文書を選んでください。",
        "facts_item": "比較する項目", "facts_hint": "行を選ぶとその記載を原文で表示します。",
        "group": "グループ", "value": "値", "where": "場所", "export_csv": "CSV で書き出す",
        "export_json": "JSON で書き出す", "asked_so_far": "これまでの質問", "status": "状態",
        "export_answer": "回答を書き出す（Markdown）",
        "add_intro": "評価書（UTF-8 または Shift_JIS の .txt、または .pdf）を追加します。読めないファイルは受け付けず、"
                     "登録済みの内容は変わりません。",
        "files": "評価書ファイル", "add": "索引に追加", "result": "結果",
        "replace": "同じ名前の文書を置き換える（管理者）", "admin_password": "管理者パスワード",
        "remove": "選んだ追加文書を削除（管理者）", "admin_off": "管理操作は PIAQA_ADMIN_PASSWORD が設定されたときだけ使えます。",
        "admin_wrong": "管理者パスワードが違います。", "no_file": "ファイルが選ばれていません。",
        "view_empty": "引用の「原文で見る」か、文書の行を選んでください。",
        "pdf_page": "PDF のページ（引用箇所を枠で示します）",
        "question_short": "質問", "answer_short": "回答",
    },
    "en": {
        "title": "## piaqa — questions about 特定個人情報保護評価書, answered from the documents with citations",
        "tab_ask": "Ask", "tab_docs": "Documents", "tab_facts": "Compare items", "tab_view": "Source",
        "tab_add": "Add documents",
        "question": "Question (日本語 / English / mixed)", "question_hint": "Enter asks; Shift+Enter starts a new line",
        "ask": "Ask", "org": "Organisation", "affair": "事務 (affair)", "form": "Form type",
        "history": "Include change log (変更箇所)", "as_of": "As of (date)", "document": "Document", "all": "(all)",
        "answered_help": "The assessment states it; the value is shown with its source.",
        "not_stated_help": "The assessment was found but does not state this; the nearest passages are shown.",
        "no_match_help": "No indexed assessment or passage matches the question.",
        "generated": "(written by the configured LLM from the cited passages)",
        "open_section": "Open the whole section", "open_source": "View in the source", "copy": "Copy",
        "copied": "Copied", "no_citation": "No passage to cite.", "text_item": "(text)",
        "history_flag": "変更箇所 (history)", "published": "published",
        "number": "number", "section": "section", "file": "file", "passages": "passages",
        "docs_search": "Filter (organisation, 事務, form, file name)",
        "docs_hint": "Select a row to open the document.", "choose_document": "Choose a document.",
        "facts_item": "Item to compare", "facts_hint": "Select a row to open its passage in the source.",
        "group": "group", "value": "value", "where": "where", "export_csv": "Export CSV",
        "export_json": "Export JSON", "asked_so_far": "Questions asked so far", "status": "status",
        "export_answer": "Export the answer (Markdown)",
        "add_intro": "Upload assessments (.txt in UTF-8 or Shift_JIS, or .pdf). Each is checked before it is stored; "
                     "a file that cannot be read is refused and nothing indexed is changed.",
        "files": "Assessments", "add": "Add to the index", "result": "Result",
        "replace": "Replace the document of the same name (administrator)", "admin_password": "Administrator password",
        "remove": "Remove the chosen uploaded document (administrator)",
        "admin_off": "Administration works only when PIAQA_ADMIN_PASSWORD is set.",
        "admin_wrong": "Wrong administrator password.", "no_file": "No file given.",
        "view_empty": "Choose “View in the source” on a citation, or a row of the documents.",
        "pdf_page": "The PDF page (the passage is framed)",
        "question_short": "question", "answer_short": "answer",
    },
}


def t(lang: str, key: str) -> str:
    """The word `key` in `lang` ('ja' or 'en'; anything else is Japanese)."""
    return TEXT.get(lang, TEXT["ja"])[key]


def page_language(accept_language: str | None) -> str:
    """'en' when the browser lists English before Japanese in Accept-Language, else 'ja'.

    >>> page_language("en-US,en;q=0.9"), page_language("ja-JP,ja;q=0.9,en;q=0.8"), page_language(None)
    ('en', 'ja', 'ja')
    """
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("ja"):
            return "ja"
        if tag.startswith("en"):
            return "en"
    return "ja"
