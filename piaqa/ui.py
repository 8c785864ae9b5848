"""HTML for the app, built from escaped text only: nothing from a document (or an upload) reaches
the page as markup. Pure functions in the page's language (ui_text.py); app.py wires them to Gradio."""
from __future__ import annotations

import html
import re
from collections import OrderedDict

from .answer import Answer
from .answer.wording import phrase
from .models import Chunk
from .render import location
from .ui_text import t

COLOURS = {"answered": "#1b7f3b", "not_stated": "#8a4b00", "no_match": "#8a1c1c"}  # white text ≥ 4.5:1 on each
FONTS = "'Noto Sans JP', 'Yu Gothic', YuGothic, Meiryo, 'IPAexGothic', 'Hiragino Sans', sans-serif"
CSS = f"""
.gradio-container, .gradio-container * {{font-family:{FONTS}}}
.piaqa-status {{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-size:0.85em}}
.piaqa-help {{color:var(--body-text-color-subdued);font-size:0.85em;margin-left:6px}}
.piaqa-answer {{font-size:1.15em;margin:8px 0}}
.piaqa-answer ul {{margin:4px 0 4px 1.2em}}
.piaqa-card {{border:1px solid var(--border-color-primary);border-radius:6px;padding:8px 12px;margin:8px 0}}
.piaqa-where {{color:var(--body-text-color-subdued);font-size:0.85em}}
.piaqa-passage {{white-space:pre-wrap;font-family:inherit;margin:6px 0}}
.piaqa-history {{background:#fff4e0;color:#5a3a00;padding:0 4px;border-radius:3px;font-size:0.8em}}
.piaqa-tools button {{font-size:0.8em;margin-right:6px;padding:1px 8px;border:1px solid var(--border-color-primary);
  border-radius:4px;background:var(--button-secondary-background-fill);color:var(--body-text-color);cursor:pointer}}
mark, .piaqa-cited {{background:#ffe066;color:#1a1a1a;padding:0 2px}}
.dark mark, .dark .piaqa-cited {{background:#ffd43b;color:#111111}}
.dark .piaqa-history {{background:#5a3a00;color:#ffe8c2}}
.piaqa-cited {{display:block;outline:2px solid #e8a400}}
@media (max-width: 640px) {{ #piaqa-title h2 {{font-size:1.0em;margin:0}} #piaqa-title {{padding:0}} }}
"""
# Enter asks (not while an input method is composing: Japanese input confirms with Enter); copy buttons;
# "view in the source" buttons hand the passage id to the app through a hidden box
HEAD = """<script>
const piaqaEnter = (e) => e.key === 'Enter' && e.target.closest && e.target.closest('#piaqa-question');
document.addEventListener('keydown', (e) => {
  if (!piaqaEnter(e)) return;
  e.stopPropagation();  // the text box's own Enter handling (Shift+Enter asks) never runs
  if (e.shiftKey || e.isComposing || e.keyCode === 229) return;  // a new line; or the input method's Enter
  e.preventDefault();
  document.querySelector('#piaqa-ask')?.click();
}, true);
document.addEventListener('keypress', (e) => { if (piaqaEnter(e)) e.stopPropagation(); }, true);
document.addEventListener('click', (e) => {
  const copy = e.target.closest && e.target.closest('[data-copy]');
  if (copy) { navigator.clipboard?.writeText(copy.getAttribute('data-copy'));
              copy.textContent = copy.getAttribute('data-done'); return; }
  const view = e.target.closest && e.target.closest('[data-view]');
  if (view) { const box = document.querySelector('#piaqa-view-target textarea');
              box.value = view.getAttribute('data-view') + '#' + Date.now();
              box.dispatchEvent(new Event('input', {bubbles: true})); }
});
</script>"""
SCROLL = "() => { setTimeout(() => document.querySelector('.piaqa-cited')?.scrollIntoView({block: 'center'}), 300); }"
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


def tools(lang: str, copy: str, view: str | None = None) -> str:
    """Copy (and view-in-the-source) buttons; the text to copy travels escaped in an attribute."""
    out = f"<button type='button' data-copy='{esc(copy)}' data-done='{esc(t(lang, 'copied'))}'>{esc(t(lang, 'copy'))}</button>"
    if view:
        out += f"<button type='button' data-view='{esc(view)}'>{esc(t(lang, 'open_source'))}</button>"
    return f"<span class='piaqa-tools'>{out}</span>"


def answer_body(text: str) -> str:
    """The short answer; several values (`委託事項1: A／委託事項2: B`) as a list, one value a line."""
    values = [v for v in text.split("／") if v.strip()]
    if len(values) < 2:
        return esc(text)
    return "<ul>" + "".join(f"<li>{esc(v)}</li>" for v in values) + "</ul>"


def answer_html(ans: Answer, lang: str = "ja") -> str:
    colour = COLOURS[ans.status]
    extra = ""
    if ans.looked_for:
        extra += f"<div class='piaqa-where'>{esc(phrase(lang, 'looked_for', item=ans.looked_for))}</div>"
    if ans.version:
        extra += f"<div class='piaqa-where'>{esc(phrase(lang, 'version', version=ans.version))}</div>"
    generated = f" <span class='piaqa-where'>{esc(t(lang, 'generated'))}</span>" if ans.generated else ""
    return (f"<div class='piaqa-result' data-question='{esc(ans.question)}' data-status='{esc(ans.status)}'>"
            f"<span class='piaqa-status' style='background:{colour}'>{esc(phrase(lang, 'status_' + ans.status))}</span>"
            f"<span class='piaqa-help'>{esc(t(lang, ans.status + '_help'))}</span>{generated}"
            f"<div class='piaqa-answer'>{answer_body(ans.answer)}</div>{extra}"
            f"<div>{tools(lang, ans.answer)}</div></div>")


AROUND = 12  # passages of the section shown around a citation (the viewer shows the whole document)
AROUND_CHARS = 1200


def nearest(section: list[Chunk], chunk: Chunk) -> list[Chunk]:
    """The AROUND passages of a section nearest the cited one, in source order."""
    if len(section) <= AROUND:
        return section
    at = next((i for i, c in enumerate(section) if c.id == chunk.id), 0)
    start = max(0, min(at - AROUND // 2, len(section) - AROUND))
    return section[start:start + AROUND]


def card(n: int, chunk: Chunk, answer: str, section: list[Chunk], lang: str = "ja") -> str:
    """One citation: organisation, 事務, form, section path, item, place, the passage with the answer
    marked, copy and view buttons, and the whole section around it on request."""
    history = f" <span class='piaqa-history'>{esc(t(lang, 'history_flag'))}</span>" if chunk.history else ""
    item = chunk.item or t(lang, "text_item")
    around = "".join(
        f"<div class='piaqa-where'>{esc(c.item or t(lang, 'text_item'))} — {esc(location(c))}</div>"
        f"<pre class='piaqa-passage{' piaqa-cited' if c.id == chunk.id else ''}'>{esc(display_text(c.text)[:AROUND_CHARS])}</pre>"
        for c in nearest(section, chunk))
    quote = f"{chunk.org} {chunk.affair} {chunk.form} {chunk.section} > {item} ({where(chunk)})\n{display_text(chunk.text)}"
    return (f"<div class='piaqa-card' data-doc='{esc(chunk.doc)}'>"
            f"<div><b>[{n}] {esc(chunk.org)} · {esc(chunk.affair)} · {esc(chunk.form)}</b>{history}</div>"
            f"<div class='piaqa-where'>{esc(chunk.section)} &gt; <b>{esc(item)}</b></div>"
            f"<div class='piaqa-where'>{esc(where(chunk))}</div>"
            f"<pre class='piaqa-passage'>{highlight(display_text(chunk.text), answer)}</pre>"
            f"<div>{tools(lang, quote, chunk.id)}</div>"
            f"<details><summary>{esc(t(lang, 'open_section'))}</summary>{around}</details></div>")


def citations_html(ans: Answer, section_of, lang: str = "ja") -> str:
    if not ans.citations:
        return f"<div class='piaqa-where'>{esc(t(lang, 'no_citation'))}</div>"
    return "".join(card(n, h.chunk, ans.answer, section_of(h.chunk), lang) for n, h in enumerate(ans.citations, 1))


def outline_html(chunks: list[Chunk], lang: str = "ja", cited: str | None = None) -> str:
    """A document's structure: sections, then their items and values, in source order; the section of
    the `cited` passage open, the passage marked (class piaqa-cited, for the page to scroll to)."""
    sections: OrderedDict[str, list[Chunk]] = OrderedDict()
    for c in chunks:
        sections.setdefault(c.section, []).append(c)
    out = []
    for title, members in sections.items():
        rows = "".join(
            f"<li{' class=piaqa-cited' if c.id == cited else ''}><b>{esc(c.item or t(lang, 'text_item'))}</b>: "
            f"{esc(c.selected or '、'.join(c.checked) or c.value[:300])}"
            f" <span class='piaqa-where'>({esc(location(c))})</span></li>" for c in members)
        flag = f" <span class='piaqa-history'>{esc(t(lang, 'history_flag'))}</span>" if members[0].history else ""
        opened = " open" if any(c.id == cited for c in members) else ""
        out.append(f"<details{opened}><summary>{esc(title)}{flag}</summary><ul>{rows}</ul></details>")
    return "".join(out) or f"<div class='piaqa-where'>{esc(t(lang, 'choose_document'))}</div>"


def viewer_html(chunks: list[Chunk], entry, cited: Chunk | None, lang: str = "ja") -> str:
    """The source viewer: the document's identity (organisation, 事務, form type, 公表日, file), where the
    cited passage is (section path, item, lines or page), then the whole document's outline with that
    passage marked and its section open."""
    head = [(t(lang, "org"), entry.org), (t(lang, "affair"), entry.affair), (t(lang, "form"), entry.form),
            (t(lang, "published"), entry.published), (t(lang, "number"), entry.number), (t(lang, "file"), entry.source)]
    if cited is not None:
        head += [(t(lang, "section"), f"{cited.section} > {cited.item or t(lang, 'text_item')}"),
                 (t(lang, "where"), location(cited))]
    table = "".join(f"<tr><th style='text-align:left;padding-right:12px'>{esc(k)}</th><td>{esc(v or '—')}</td></tr>"
                    for k, v in head)
    return (f"<div class='piaqa-viewer' data-doc='{esc(entry.source)}'><table>{table}</table>"
            f"{outline_html(chunks, lang, cited.id if cited else None)}</div>")


def answer_markdown(ans: Answer) -> str:
    """A question with its answer and citations, as Markdown to keep or paste (document text as text)."""
    lines = [f"## {ans.question}", "", f"**{ans.status}**: {ans.answer}", ""]
    for n, hit in enumerate(ans.citations, 1):
        c = hit.chunk
        lines += [f"{n}. {c.org} {c.affair} {c.form} — {c.section} > {c.item or '(text)'} ({where(c)})", "",
                  "   " + display_text(c.text).replace("\n", "\n   "), ""]
    return "\n".join(lines)
