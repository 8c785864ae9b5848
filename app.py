"""The piaqa web app: ask, filter, read the cited source, browse and add documents.

    python app.py        # http://127.0.0.1:7860, on the sample corpus and the embedded default model

Host, port and an optional login come from PIAQA_HOST, PIAQA_PORT and PIAQA_AUTH ("user:password").
"""
from __future__ import annotations

import html
import logging
import os
import shutil
import threading
from pathlib import Path

import gradio as gr

from piaqa.answer import answer as extractive
from piaqa.embed import Embedder
from piaqa.errors import IndexMissing, PiaqaError
from piaqa.indexer import build_index
from piaqa.ingest import MAX_BYTES
from piaqa.render import answer_dict
from piaqa.retrieve import Index
from piaqa.settings import Settings, from_env
from piaqa.store import read_manifest
from piaqa.ui import CSS, answer_html, citations_html, outline_html

log = logging.getLogger("piaqa.app")
ALL = "(all)"
EXAMPLES = ["who is the 再委託先 for 住基 in 大分市", "千葉市の国年の委託先は？",
            "What is the retention period for resident records in Oita?", "さいたま市の国民年金の評価書はいつ公表されましたか？",
            "Compare the target population bracket in Section I for national pension work in Oita and in Chiba."]


class State:
    """The model and index, loaded once per process and swapped atomically after an upload."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.embedder = Embedder(settings)
        self.lock = threading.Lock()
        self.index = self._load()

    def _load(self) -> Index:
        try:
            return Index.load(settings=self.settings, embedder=self.embedder)
        except IndexMissing:
            log.info("no index yet: indexing %s", self.settings.corpus_dir)
            build_index([self.settings.corpus_dir], self.settings, self.embedder)
            return Index.load(settings=self.settings, embedder=self.embedder)

    def reload(self) -> None:
        fresh = Index.load(settings=self.settings, embedder=self.embedder)
        with self.lock:
            self.index = fresh

    def documents(self) -> list[list]:
        manifest = read_manifest(self.settings.index_dir)
        return [[d.source, d.org or "", d.affair or "", d.form or "", d.chunks] for d in manifest.documents]


def choice(value: str | None) -> str | None:
    return None if not value or value == ALL else value


def build(state: State) -> gr.Blocks:
    def ask(question, org, affair, form, history, as_of="", doc=ALL):
        index = state.index
        try:
            result = extractive(index, question or "", org=choice(org), affair=choice(affair), form=choice(form),
                                history=history, as_of=(as_of or "").strip() or None, doc=choice(doc))
        except PiaqaError as exc:  # a question out of range: say what is accepted, as text
            return f"<div class='piaqa-where'>{html.escape(str(exc))}</div>", "", {"error": str(exc)}
        return answer_html(result), citations_html(result, index.section_of), answer_dict(result)

    def outline(source):
        if not source:
            return "<div class='piaqa-where'>Choose a document.</div>"
        return outline_html(state.index.chunks_of(source))

    def upload(files, progress=gr.Progress()):
        uploads = state.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        messages, saved = [], []
        for file in files or []:
            path = Path(file if isinstance(file, str) else file.name)
            name = Path(getattr(file, "orig_name", None) or path.name).name
            target = uploads / name
            stem, n = target.stem, 2
            indexed = {c.doc for c in state.index.chunks}
            # never overwrite another upload, nor take the name of an indexed document (that would replace it)
            while (target.read_bytes() != path.read_bytes()) if target.exists() else target.name in indexed:
                target = uploads / f"{stem}-{n}{target.suffix}"
                n += 1
            existed = target.exists()
            shutil.copyfile(path, target)
            saved.append((target, existed))
        if saved:
            report = build_index([t for t, _ in saved], state.settings, state.embedder,
                                 progress=lambda items, total, what: progress.tqdm(items, total=total, desc=what))
            state.reload()
            refused = {Path(p).name: m for p, m in report.failed}
            for target, existed in saved:  # parsed once, by the build: what it refused is not kept
                if target.name in refused and not existed:
                    target.unlink(missing_ok=True)
            read = dict(report.quality)
            for source in (*report.added, *report.updated):
                quality = read.get(source)
                messages.append(f"✓ {source}: indexed" + (f" — read {quality.summary()}" if quality else ""))
            messages += [f"✓ {s}: unchanged" for s in report.unchanged if s in {t.name for t, _ in saved}]
            messages += [f"✗ {m}" for _, m in report.failed]
            messages += [f"{'⚠' if level == 'warning' else 'ⓘ'} {text}" for level, text in report.notes()]
        docs = state.documents()
        names = [d[0] for d in docs]
        return ("\n".join(messages) or "No file given.", docs, gr.update(choices=names),
                gr.update(choices=[ALL, *names]))

    index = state.index
    forms = sorted({c.form for c in index.chunks if c.form})
    with gr.Blocks(title="piaqa — 特定個人情報保護評価書 Q&A") as demo:
        gr.Markdown("## piaqa — questions about 特定個人情報保護評価書, answered from the documents with citations")
        with gr.Tab("Ask"):
            question = gr.Textbox(label="Question (日本語 / English / mixed)", placeholder=EXAMPLES[0], lines=2)
            with gr.Row():
                org = gr.Dropdown([ALL, *index.orgs], value=ALL, label="Organisation")
                affair = gr.Dropdown([ALL, *index.affairs], value=ALL, label="事務")
                form = gr.Dropdown([ALL, *forms], value=ALL, label="Form type")
                history = gr.Checkbox(value=True, label="Include change log (変更箇所)")
                as_of = gr.Textbox(label="As of (date)", placeholder="2024-04-01 / 令和6年4月1日", max_lines=1)
                doc = gr.Dropdown([ALL, *sorted(index.documents)], value=ALL, label="Document")
            go = gr.Button("Ask", variant="primary")
            gr.Examples(EXAMPLES, inputs=question)
            answer_out = gr.HTML(elem_id="answer")
            cards_out = gr.HTML(elem_id="citations")
            json_out = gr.JSON(visible=False)
            for trigger in (go.click, question.submit):
                trigger(ask, [question, org, affair, form, history, as_of, doc], [answer_out, cards_out, json_out], api_name="ask"
                        if trigger == go.click else False)
        with gr.Tab("Documents"):
            table = gr.Dataframe(state.documents(), headers=["file", "organisation", "事務", "form", "passages"],
                                 interactive=False)
            picked = gr.Dropdown([d[0] for d in state.documents()], label="Document", value=None)
            structure = gr.HTML()
            picked.change(outline, picked, structure, api_name="outline")
        with gr.Tab("Add documents"):
            gr.Markdown("Upload assessments (.txt in UTF-8 or Shift_JIS, or .pdf). Each is checked before it is "
                        "stored; a file that cannot be read is refused and nothing indexed is changed.")
            files = gr.File(file_count="multiple", file_types=[".txt", ".pdf"], label="Assessments")
            add = gr.Button("Add to the index")
            result = gr.Textbox(label="Result", lines=4)
            add.click(upload, files, [result, table, picked, doc], api_name="upload")
    return demo


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = from_env()
    state = State(settings)
    auth = os.environ.get("PIAQA_AUTH")
    demo = build(state)
    demo.queue(default_concurrency_limit=4).launch(
        server_name=os.environ.get("PIAQA_HOST", "127.0.0.1"), server_port=int(os.environ.get("PIAQA_PORT", "7860")),
        auth=tuple(auth.split(":", 1)) if auth else None, css=CSS, show_error=False,
        max_file_size=MAX_BYTES)  # refused while it arrives, before anything is stored


if __name__ == "__main__":
    main()
