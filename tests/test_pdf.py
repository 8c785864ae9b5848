"""Published-style PDFs: the ruled form read back into the same items as the table dump it was drawn from."""
from __future__ import annotations

import html
import re

import pytest

from piaqa.parse import parse_file
from piaqa.parse import walk

from .conftest import CORPUS, DOCS
from .pdfdraw import BOX, TICK, form_pdf

RENDERINGS = {  # (page size in points, font size, label column share, boxes as form fields)
    "A4, 9 pt, label 28%": ((595.0, 842.0), 9.0, 0.28, False),
    "B4, 10.5 pt, label 35%": ((729.0, 1032.0), 10.5, 0.35, False),
    "Letter, 8 pt, label 22%": ((612.0, 792.0), 8.0, 0.22, False),
    "A4, 9 pt, check boxes as form fields": ((595.0, 842.0), 9.0, 0.28, True),
}


def dump_rows(name: str, count: int) -> list[list[str]]:
    """The first rows of a table dump as the cells a published form prints: tags gone, ticks drawn."""
    rows = []
    for line in (CORPUS / DOCS[name]).read_text(encoding="utf-8").split("\n")[:count]:
        cells = [c for c in line.split("\t")]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        drawn = []
        for cell in cells:
            cell = re.sub(r"<input\b[^>]*\bchecked\b[^>]*>", TICK, cell)
            cell = re.sub(r"<input\b[^>]*>", BOX, cell)
            cell = html.unescape(re.sub(r"<[^>]*>", " ", cell))
            drawn.append(re.sub(r"[ \t\u3000]+", " ", cell).strip())
        rows.append(drawn)
    return rows


def form_items(doc) -> list[tuple]:
    return [(it.key, it.selected, it.checked) for s in walk(doc.sections) for it in s.items if it.key]


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_a_drawn_form_reads_as_the_dump_it_was_drawn_from(tmp_path, rendering):
    page, size, share, fields = RENDERINGS[rendering]
    rows = dump_rows("oita_juki", 170)  # cover, 項目一覧, Ⅰ and Ⅱ up to the 委託 items
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(form_pdf(rows, page=page, size=size, label_share=share, form_fields=fields))
    text = tmp_path / "form.txt"
    text.write_text("\n".join("\t".join(r) for r in rows).replace(TICK, "○").replace(BOX, " "), encoding="utf-8")
    from_pdf, from_text = parse_file(pdf), parse_file(text)
    assert (from_pdf.org, from_pdf.affair, from_pdf.form, from_pdf.number, from_pdf.published) == \
        ("大分市", "住民基本台帳に関する事務", "全項目評価書", "1", "令和7年9月2日")
    wanted, got = form_items(from_text), form_items(from_pdf)
    assert len(wanted) > 60
    missing = [w for w in wanted if w not in got]
    assert len(missing) <= len(wanted) // 20, missing  # labels, selected options and ticks survive wrapping
    chosen = sum(1 for _, selected, _ in wanted if selected)
    assert chosen >= 8 and sum(1 for _, selected, _ in got if selected) >= chosen - 1
    source = next(checked for key, _, checked in got if key == "acquire.source")  # radio buttons drawn, two ticked
    assert source[0] == "本人又は本人の代理人" and source[1].startswith("地方公共団体・地方独立行政法人") and len(source) == 2
    items = [it for s in walk(from_pdf.sections) for it in s.items]
    assert all(it.page for it in items) and max(it.page for it in items) >= 3


def test_a_paragraph_gap_outside_the_form_is_kept_as_an_empty_line():
    """Text outside the ruled table reads as lines; a gap between paragraphs stays (text dumps show it)."""
    from piaqa.pdfform import Glyph, page_lines

    def line(text, top):
        return [Glyph(c, 40 + 9 * i, 49 + 9 * i, top, top + 9, 9.0) for i, c in enumerate(text)]

    glyphs = line(" 公表日", 20) + line("令和7年1月31日", 32) + line(" 評価実施機関名", 60)
    assert [t for t, ruled in page_lines(glyphs, [])] == [" 公表日", "令和7年1月31日", "", " 評価実施機関名"]


def test_tick_detection_needs_a_mark_inside_the_box():
    from piaqa.pdfform import TICKED, EMPTY, widget_ticks

    def shape(x, y, side, fill=None, stroke=None):
        return {"x0": x, "x1": x + side, "top": y, "bottom": y + side, "fill": fill is not None,
                "non_stroking_color": fill, "stroking_color": stroke}

    empty = [shape(10, 10, 9.4, fill=(1, 1, 1)), shape(10.2, 10.2, 9.0, stroke=(0.46, 0.46, 0.46))]
    dot = [shape(50, 10, 9.4, fill=(1, 1, 1)), shape(52, 12, 5.8, fill=(0, 0.46, 1))]
    filled = [shape(90, 10, 9.7, fill=(0, 0.46, 1))]  # ■: a dark filled box
    marks = sorted(widget_ticks(empty + dot + filled), key=lambda g: g.x0)
    assert [g.text for g in marks] == [EMPTY, TICKED, TICKED]
