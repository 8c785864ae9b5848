"""The piaqa web app: ask, filter, read the cited source, compare an item across assessments, add documents.

    python app.py        # http://127.0.0.1:7860, on the sample corpus and the embedded default model

Japanese by default, English by the switch or the browser's language. Host, port, an optional login and
the administrator's password come from PIAQA_HOST, PIAQA_PORT, PIAQA_AUTH ("user:password") and
PIAQA_ADMIN_PASSWORD; PIAQA_CONCURRENCY sets how many questions are answered at once.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
from pathlib import Path

import gradio as gr

from piaqa.answer import answer as extractive
from piaqa.answer.wording import phrase
from piaqa.answer.facts import common_items, facts, facts_csv, facts_dict
from piaqa.appstate import State
from piaqa.embed import serving_threads
from piaqa.errors import PiaqaError
from piaqa.ingest import MAX_BYTES
from piaqa.pdfview import page_image
from piaqa.render import answer_dict, location
from piaqa.settings import from_env
from piaqa.ui import CSS, HEAD, SCROLL, answer_html, answer_markdown, citations_html, esc, outline_html, viewer_html
from piaqa.ui_text import LANGUAGES, page_language, t

log = logging.getLogger("piaqa.app")
ALL = "(all)"
EXAMPLES = ["千葉市の国年の委託先は？", "who is the 再委託先 for 住基 in 大分市",
            "What is the retention period for resident records in Oita?", "さいたま市の国民年金の評価書はいつ公表されましたか？",
            "Compare the target population bracket in Section I for national pension work in Oita and in Chiba."]
DOC_COLUMNS = ("org", "affair", "form", "published", "number", "file", "passages")
FACT_COLUMNS = ("org", "affair", "form", "group", "value", "where")
ASKED_COLUMNS = ("question_short", "status", "answer_short")
CONCURRENCY = 4  # questions answered at once (measured: see README); PIAQA_CONCURRENCY overrides


def choice(value: str | None) -> str | None:
    return None if not value or value == ALL else value


def everything(lang: str, names) -> list[tuple[str, str]]:
    return [(t(lang, "all"), ALL), *((n, n) for n in names)]


def forms_of(index) -> list[str]:
    """The form types of the indexed documents (a filter's choices)."""
    return sorted({d.form for d in index.documents.values() if d.form})


def selected_row(evt: gr.SelectData) -> int:
    """The row of a table cell a user selected."""
    return evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index


def documents_rows(state: State, query: str = "") -> list[list]:
    """The documents by organisation, 事務, form, 公表日 and number (file name last), filtered by `query`."""
    rows = [[d.org or "", d.affair or "", d.form or "", d.published or "", d.number or "", d.source, d.chunks]
            for d in sorted(state.index.documents.values(), key=lambda d: (d.org or "", d.affair or "", d.source))]
    words = (query or "").split()  # a search box not yet filled in is None
    return [r for r in rows if all(any(w in str(cell) for cell in r) for w in words)]


def asked_rows(asked: list | None, lang: str = "ja") -> dict:
    """The questions asked so far, under headers in the page's language."""
    return {"headers": [t(lang, k) for k in ASKED_COLUMNS], "data": asked or []}


def build(state: State) -> gr.Blocks:
    admin_password = os.environ.get("PIAQA_ADMIN_PASSWORD", "")

    def ask(question, org, affair, form, history, as_of="", doc=ALL, lang="ja", asked=None):
        index = state.index
        try:
            result = extractive(index, question or "", org=choice(org), affair=choice(affair), form=choice(form),
                                history=history, as_of=(as_of or "").strip() or None, doc=choice(doc))
        except PiaqaError as exc:  # a question out of range: say what is accepted, as text
            return f"<div class='piaqa-where'>{esc(str(exc))}</div>", "", {"error": str(exc)}, None, asked or []
        export = state.exports / f"piaqa-answer-{abs(hash(result.question)) % 10**8}.md"
        export.write_text(answer_markdown(result), encoding="utf-8")
        asked = [[result.question, phrase(lang, "status_" + result.status), result.answer[:120]], *(asked or [])][:50]
        return (answer_html(result, lang), citations_html(result, index.section_of, lang), answer_dict(result),
                str(export), asked)

    def outline(source, lang="ja"):
        if not source:
            return f"<div class='piaqa-where'>{esc(t(lang, 'choose_document'))}</div>"
        return outline_html(state.index.chunks_of(source), lang)

    def view(target, lang="ja"):
        """The viewer for a passage id (from a citation) or a document name (from a list)."""
        index = state.index
        key = (target or "").split("#")[0]
        chunk = index.chunk(key)
        source = chunk.doc if chunk else key
        entry = index.documents.get(source)
        if entry is None:
            return (f"<div class='piaqa-where'>{esc(t(lang, 'view_empty'))}</div>", gr.update(value=None, visible=False),
                    gr.Tabs(selected="view"))
        image = None
        if chunk is not None and chunk.page and source.lower().endswith(".pdf"):
            try:
                image = page_image(Path(entry.path), chunk.page, chunk.text)
            except PiaqaError as exc:
                log.warning("%s", exc)
        return (viewer_html(index.chunks_of(source), entry, chunk, lang), gr.update(value=image, visible=image is not None),
                gr.Tabs(selected="view"))

    def pick_document(rows, evt: gr.SelectData, lang="ja"):
        row = selected_row(evt)
        return view(rows.values.tolist()[row][5] if hasattr(rows, "values") else rows[row][5], lang)

    def facts_table(item, lang="ja"):
        try:
            table = facts(state.index, item or common_items()[0])
        except PiaqaError as exc:
            gr.Warning(str(exc))
            return [], [], None, None
        rows = [[f.org or "", f.affair or "", f.form or "", f.group or "", f.value,
                 f"{f.doc} {location(f.chunk, short=True) if f.chunk else ''}".rstrip()] for f in table.rows]
        stem = state.exports / f"piaqa-facts-{table.key.replace(':', '-')}"
        Path(f"{stem}.csv").write_text(facts_csv(table), encoding="utf-8-sig")  # Excel reads UTF-8 with a BOM
        Path(f"{stem}.json").write_text(json.dumps(facts_dict(table), ensure_ascii=False, indent=1), encoding="utf-8")
        return ({"headers": [t(lang, k) for k in FACT_COLUMNS], "data": rows},
                [f.chunk.id if f.chunk else f.doc for f in table.rows], f"{stem}.csv", f"{stem}.json")

    def pick_fact(targets, evt: gr.SelectData, lang="ja"):
        row = selected_row(evt)
        return view(targets[row] if targets and row < len(targets) else "", lang)

    def refused(password):
        """Why an administrator's action is refused (no password configured, or another one given), or None."""
        if not admin_password:
            return "admin_off"
        return None if hmac.compare_digest(password or "", admin_password) else "admin_wrong"

    def upload(files, replace, password, lang="ja", progress=gr.Progress()):
        if not files:
            return t(lang, "no_file"), *lists(lang)
        if replace and refused(password):
            return t(lang, refused(password)), *lists(lang)
        paths = [Path(f if isinstance(f, str) else f.name) for f in files]
        names = [Path(getattr(f, "orig_name", None) or p.name).name for f, p in zip(files, paths)]
        change = state.add(paths, names, bool(replace),
                           progress=lambda items, total, what: progress.tqdm(items, total=total, desc=what))
        return "\n".join(change.lines), *lists(lang)

    def remove(source, password, lang="ja"):
        if refused(password):
            return t(lang, refused(password)), *lists(lang)
        return "\n".join(state.remove(source).lines), *lists(lang)

    def lists(lang="ja", query=""):
        """Fresh choices for every list on the page: filters, documents, uploads."""
        index = state.index
        names = sorted(index.documents)
        return (gr.update(choices=everything(lang, index.orgs)), gr.update(choices=everything(lang, index.affairs)),
                gr.update(choices=everything(lang, forms_of(index))), gr.update(choices=everything(lang, names)),
                {"headers": [t(lang, k) for k in DOC_COLUMNS], "data": documents_rows(state, query)},
                gr.update(choices=names), gr.update(choices=state.uploads()),
                index.generation)

    def stale(seen, lang="ja", query=""):
        return lists(lang, query) if seen != state.generation else (gr.skip(),) * len(listed)

    with gr.Blocks(title="piaqa — 特定個人情報保護評価書 Q&A") as demo:
        lang = gr.Radio(LANGUAGES, value="ja", show_label=False, elem_id="piaqa-lang", container=False)
        title = gr.Markdown(t("ja", "title"), elem_id="piaqa-title")
        seen = gr.State(state.generation)
        asked = gr.State([])
        # outside the tabs (a tab's content is not on the page until it is opened): "view in the source"
        # buttons of any tab put a passage id here
        target = gr.Textbox(elem_id="piaqa-view-target", container=False, show_label=False)
        with gr.Tabs() as tabs:
            with gr.Tab(t("ja", "tab_ask"), id="ask") as tab_ask:
                question = gr.Textbox(label=t("ja", "question"), info=t("ja", "question_hint"),
                                      placeholder=EXAMPLES[0], lines=2, elem_id="piaqa-question")
                with gr.Row():
                    org = gr.Dropdown(everything("ja", state.index.orgs), value=ALL, label=t("ja", "org"))
                    affair = gr.Dropdown(everything("ja", state.index.affairs), value=ALL, label=t("ja", "affair"))
                    form = gr.Dropdown(everything("ja", forms_of(state.index)), value=ALL, label=t("ja", "form"))
                    doc = gr.Dropdown(everything("ja", sorted(state.index.documents)), value=ALL,
                                      label=t("ja", "document"))
                    as_of = gr.Textbox(label=t("ja", "as_of"), placeholder="2024-04-01 / 令和6年4月1日", max_lines=1)
                    history = gr.Checkbox(value=True, label=t("ja", "history"))
                go = gr.Button(t("ja", "ask"), variant="primary", elem_id="piaqa-ask")
                gr.Examples(EXAMPLES, inputs=question)
                answer_out = gr.HTML(elem_id="answer")
                cards_out = gr.HTML(elem_id="citations")
                json_out = gr.JSON(visible=False)
                export = gr.DownloadButton(t("ja", "export_answer"), elem_id="piaqa-export")
                asked_table = gr.Dataframe(headers=[t("ja", k) for k in ASKED_COLUMNS], label=t("ja", "asked_so_far"),
                                           interactive=False, elem_id="piaqa-asked")
            with gr.Tab(t("ja", "tab_view"), id="view") as tab_view:
                viewer = gr.HTML(f"<div class='piaqa-where'>{esc(t('ja', 'view_empty'))}</div>", elem_id="viewer")
                pdf_page = gr.Image(label=t("ja", "pdf_page"), type="pil", interactive=False, elem_id="pdf-page",
                                    visible=False)
            with gr.Tab(t("ja", "tab_docs"), id="docs") as tab_docs:
                docs_query = gr.Textbox(label=t("ja", "docs_search"), info=t("ja", "docs_hint"), max_lines=1)
                table = gr.Dataframe(documents_rows(state), interactive=False, elem_id="piaqa-documents",
                                     headers=[t("ja", k) for k in DOC_COLUMNS])
                picked = gr.Dropdown(sorted(state.index.documents), label=t("ja", "document"), value=None)
                structure = gr.HTML()
            with gr.Tab(t("ja", "tab_facts"), id="facts") as tab_facts:
                item = gr.Dropdown(common_items(), value=common_items()[0], allow_custom_value=True,
                                   label=t("ja", "facts_item"), info=t("ja", "facts_hint"), elem_id="piaqa-fact-item")
                fact_rows = gr.Dataframe(headers=[t("ja", k) for k in FACT_COLUMNS], interactive=False,
                                         elem_id="piaqa-facts", wrap=True)
                fact_targets = gr.State([])
                with gr.Row():
                    csv_file = gr.DownloadButton(t("ja", "export_csv"), elem_id="piaqa-facts-csv")
                    json_file = gr.DownloadButton(t("ja", "export_json"), elem_id="piaqa-facts-json")
            with gr.Tab(t("ja", "tab_add"), id="add") as tab_add:
                intro = gr.Markdown(t("ja", "add_intro"))
                files = gr.File(file_count="multiple", file_types=[".txt", ".pdf"], label=t("ja", "files"))
                with gr.Row():
                    replace = gr.Checkbox(label=t("ja", "replace"))
                    password = gr.Textbox("", label=t("ja", "admin_password"), type="password", max_lines=1)
                add = gr.Button(t("ja", "add"))
                result = gr.Textbox(label=t("ja", "result"), lines=4, elem_id="piaqa-upload-result")
                removable = gr.Dropdown(state.uploads(), label=t("ja", "remove"), value=None, allow_custom_value=True)
                drop = gr.Button(t("ja", "remove"), variant="stop")

        listed = [org, affair, form, doc, table, picked, removable, seen]
        inputs = [question, org, affair, form, history, as_of, doc, lang, asked]
        for trigger in (go.click, question.submit):
            trigger(ask, inputs, [answer_out, cards_out, json_out, export, asked],
                    api_name="ask" if trigger == go.click else False).success(asked_rows, [asked, lang], asked_table,
                                                                              queue=False)
        target.change(view, [target, lang], [viewer, pdf_page, tabs], api_name="view").then(js=SCROLL)
        table.select(pick_document, [table, lang], [viewer, pdf_page, tabs]).then(js=SCROLL)
        docs_query.change(lambda q: documents_rows(state, q), docs_query, table, api_name="documents")
        picked.change(outline, [picked, lang], structure, api_name="outline")
        item.change(facts_table, [item, lang], [fact_rows, fact_targets, csv_file, json_file], api_name="facts")
        fact_rows.select(pick_fact, [fact_targets, lang], [viewer, pdf_page, tabs]).then(js=SCROLL)
        add.click(upload, [files, replace, password, lang], [result, *listed], api_name="upload")
        drop.click(remove, [removable, password, lang], [result, *listed], api_name="remove")

        labelled = [(question, "question"), (org, "org"), (affair, "affair"), (form, "form"), (doc, "document"),
                    (as_of, "as_of"), (history, "history"), (item, "facts_item"), (files, "files"),
                    (replace, "replace"), (password, "admin_password"), (result, "result"), (removable, "remove"),
                    (pdf_page, "pdf_page"), (docs_query, "docs_search"), (picked, "document"),
                    (asked_table, "asked_so_far")]
        buttons = [(go, "ask"), (add, "add"), (drop, "remove"), (export, "export_answer"), (csv_file, "export_csv"),
                   (json_file, "export_json")]
        tab_list = [(tab_ask, "tab_ask"), (tab_view, "tab_view"), (tab_docs, "tab_docs"), (tab_facts, "tab_facts"),
                    (tab_add, "tab_add")]

        def relabel(code):
            hints = {question: "question_hint", docs_query: "docs_hint", item: "facts_hint"}
            return ([gr.update(value=t(code, "title"))] + [gr.update(value=t(code, "add_intro"))]
                    + [gr.update(label=t(code, key), **({"info": t(code, hints[c])} if c in hints else {}))
                       for c, key in labelled]
                    + [gr.update(label=t(code, key)) if isinstance(b, gr.DownloadButton) else gr.update(value=t(code, key))
                       for b, key in buttons]  # a download button's value is its file; its text is its label
                    + [gr.update(label=t(code, key)) for _, key in tab_list]
                    + list(lists(code)[:4]))

        lang.change(relabel, lang, [title, intro, *(c for c, _ in labelled), *(b for b, _ in buttons),
                                    *(x for x, _ in tab_list), org, affair, form, doc]).then(
            facts_table, [item, lang], [fact_rows, fact_targets, csv_file, json_file]).then(
            lambda code, q: lists(code, q)[4], [lang, docs_query], table).then(
            asked_rows, [asked, lang], asked_table)

        def opened(request: gr.Request):
            code = page_language(request.headers.get("accept-language") if request else None)
            return code, *lists(code)

        demo.load(opened, None, [lang, *listed])
        tab_facts.select(facts_table, [item, lang], [fact_rows, fact_targets, csv_file, json_file])  # when opened
        gr.Timer(10).tick(stale, [seen, lang, docs_query], listed, queue=False,  # an upload elsewhere: open pages
                          show_progress="hidden")  # refresh their lists
    return demo


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = from_env()
    serving_threads(int(os.environ.get("PIAQA_QUERY_THREADS", "1")))
    state = State(settings)
    auth = os.environ.get("PIAQA_AUTH")
    demo = build(state)
    demo.queue(default_concurrency_limit=int(os.environ.get("PIAQA_CONCURRENCY", CONCURRENCY))).launch(
        server_name=os.environ.get("PIAQA_HOST", "127.0.0.1"), server_port=int(os.environ.get("PIAQA_PORT", "7860")),
        auth=tuple(auth.split(":", 1)) if auth else None, css=CSS + "#piaqa-view-target {display:none}", head=HEAD,
        show_error=False, max_file_size=MAX_BYTES, allowed_paths=[str(state.exports)],
        theme=gr.themes.Default(font=["Noto Sans JP", "Yu Gothic", "Meiryo", "IPAexGothic", "sans-serif"]))


if __name__ == "__main__":
    main()
