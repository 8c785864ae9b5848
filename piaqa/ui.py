"""HTML for the app, built from escaped text only: nothing from a document (or an upload) reaches
the page as markup. Pure functions; app.py wires them to Gradio."""
from __future__ import annotations

import html
import re
from collections import OrderedDict

from .answer import Answer
from .models import Chunk
from .render import location

STATUS = {"answered": ("answered", "#1b7f3b"), "not_stated": ("not stated in the document", "#b26a00"),
          "no_match": ("no match", "#8a1c1c")}
CSS = """
.piaqa-status {display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-size:0.85em}
.piaqa-answer {font-size:1.15em;margin:8px 0}
.piaqa-card {border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:8px 0}
.piaqa-where {color:#555;font-size:0.85em}
.piaqa-passage {white-space:pre-wrap;font-family:inherit;margin:6px 0}
.piaqa-history {background:#fff4e0;padding:0 4px;border-radius:3px;font-size:0.8em}
"""


FORM_MARKUP = re.compile(r"</?(?:p|br|td|tr|th|table|tbody|thead|ul|ol|li|div|span|input)\b[^<>]*>", re.I)


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def display_text(raw: str) -> str:
    """A passage for reading: the form's own table markup (<p>, <td>, <input …>) dropped, a ticked input
    shown as ○; anything else that looks like markup (<script>, <img …>) stays, to be shown as text.

    >>> display_text('<p>[<input checked="" type="radio"/>] 紙</p><script>x()</script>')
    '[○] 紙 <script>x()</script>'
    """
    text = re.sub(r"<input\b[^<>]*\bchecked\b[^<>]*>", "○", raw, flags=re.I)
    return re.sub(r"[ \t]+", " ", FORM_MARKUP.sub(" ", text)).strip()


def highlight(passage: str, answer: str) -> str:
    """The passage escaped, with the answer marked where it occurs verbatim.

    >>> highlight("<b>委託先</b> 日本電気", "日本電気")
    '&lt;b&gt;委託先&lt;/b&gt; <mark>日本電気</mark>'
    """
    text = esc(passage)
    needle = esc(answer.strip())
    if needle and len(needle) <= 200 and needle in text:
        return text.replace(needle, f"<mark>{needle}</mark>", 1)
    return text


def where(chunk: Chunk) -> str:
    place = location(chunk)
    return f"{chunk.doc}, {place}" if place else chunk.doc


def answer_html(ans: Answer) -> str:
    label, colour = STATUS[ans.status]
    looked = f"<div class='piaqa-where'>item looked for: {esc(ans.looked_for)}</div>" if ans.looked_for else ""
    if ans.version:
        looked += f"<div class='piaqa-where'>version: {esc(ans.version)}</div>"
    generated = " <span class='piaqa-where'>(written by the configured LLM from the cited passages)</span>" if ans.generated else ""
    return (f"<div class='piaqa-result' data-question='{esc(ans.question)}'>"
            f"<span class='piaqa-status' style='background:{colour}'>{esc(label)}</span>{generated}"
            f"<div class='piaqa-answer'>{esc(ans.answer)}</div>{looked}</div>")


def card(n: int, chunk: Chunk, answer: str, section: list[Chunk]) -> str:
    """One citation: organisation, 事務, form, section path, item, line span, the passage with the answer
    marked, and the whole section around it on request."""
    history = " <span class='piaqa-history'>変更箇所 (history)</span>" if chunk.history else ""
    around = "".join(
        f"<div class='piaqa-where'>{esc(c.item or '(text)')} — {esc(location(c))}</div>"
        f"<pre class='piaqa-passage'>{esc(display_text(c.text))}</pre>" for c in section)
    return (f"<div class='piaqa-card' data-doc='{esc(chunk.doc)}'>"
            f"<div><b>[{n}] {esc(chunk.org)} · {esc(chunk.affair)} · {esc(chunk.form)}</b>{history}</div>"
            f"<div class='piaqa-where'>{esc(chunk.section)} &gt; <b>{esc(chunk.item or '(text)')}</b></div>"
            f"<div class='piaqa-where'>{esc(where(chunk))}</div>"
            f"<pre class='piaqa-passage'>{highlight(display_text(chunk.text), answer)}</pre>"
            f"<details><summary>Open the whole section</summary>{around}</details></div>")


def citations_html(ans: Answer, section_of) -> str:
    if not ans.citations:
        return "<div class='piaqa-where'>No passage to cite.</div>"
    return "".join(card(n, h.chunk, ans.answer, section_of(h.chunk)) for n, h in enumerate(ans.citations, 1))


def outline_html(chunks: list[Chunk]) -> str:
    """A document's structure: sections, then their items and values, in source order."""
    sections: OrderedDict[str, list[Chunk]] = OrderedDict()
    for c in chunks:
        sections.setdefault(c.section, []).append(c)
    out = []
    for title, members in sections.items():
        rows = "".join(
            f"<li><b>{esc(c.item or '(text)')}</b>: {esc(c.selected or '、'.join(c.checked) or c.value[:300])}"
            f" <span class='piaqa-where'>(lines {c.lines[0]}–{c.lines[1]})</span></li>" for c in members)
        flag = " <span class='piaqa-history'>history</span>" if members[0].history else ""
        out.append(f"<details><summary>{esc(title)}{flag}</summary><ul>{rows}</ul></details>")
    return "".join(out) or "<div class='piaqa-where'>Nothing indexed for this document.</div>"
