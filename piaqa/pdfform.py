"""Read a published assessment PDF by its geometry: the ruled form's rows and cells, and the ticks.

Assessments are published as bordered forms: a label column, value cells, option lists and drawn
check boxes or radio buttons. A PDF's text layer alone loses that form (labels run into values,
cells wrap mid-word, a drawn tick has no character at all), so this module reads the page's
characters, ruling lines and small drawn shapes with pdfplumber and writes each table row as one
line of tab-separated cells — the layout of the table dumps, which the parser already reads:

    ①入手元 ※<TAB>[<input checked="" type="checkbox"/>] 本人又は本人の代理人
    <TAB>[<input type="checkbox"/>] 評価実施機関内の他部署<TAB>()

A drawn box or radio button becomes the form control a table dump holds for it, ticked or not
(the markup is never shown: every renderer turns it into ○ or escapes it). Text outside
the ruled area (a page without a form, running headers, page numbers) is kept as plain lines,
except a page number alone and a header or footer repeated from an earlier page.
Source: pdfplumber's ``chars``, ``edges``, ``rects`` and ``curves`` (PDF points, origin top-left).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from .text import join_wrapped

log = logging.getLogger(__name__)

MIN_RULE = 12.0  # points: shorter edges are box outlines or glyph parts, not cell borders
WIDGET = (5.0, 16.0)  # points: side of a drawn check box or radio button
TICK_CHARS = "○〇●◎◉☑☒■✓✔✗✘"  # printed ticks, normalised to ○
TICKED, EMPTY = "\x01", "\x02"  # a drawn box, ticked or not, until its line is read
CONTROL = {TICKED: '<input checked="" type="checkbox"/>', EMPTY: '<input type="checkbox"/>'}
PAGE_NUMBER = re.compile(r"^[\s\-－—‐]*(?:[0-9０-９]+|[0-9０-９]+\s*/\s*[0-9０-９]+|[-－]\s*[0-9０-９]+\s*[-－])[\s\-－—‐]*$")


@dataclass(frozen=True)
class Glyph:
    """One character (or a drawn tick, as ``○``) on a page; PDF points from the top-left corner."""
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class PageText:
    """The lines read from one page (rows of a form as tab-separated cells), and its number (1-based)."""
    number: int
    lines: tuple[str, ...]


def _luminance(colour) -> float:
    if isinstance(colour, (int, float)):  # a grey level
        return float(colour)
    if not isinstance(colour, (tuple, list)) or not colour:  # none given (or a pattern): as white
        return 1.0
    if len(colour) == 3:
        r, g, b = colour
        return 0.299 * r + 0.587 * g + 0.114 * b
    if len(colour) == 4:  # CMYK
        c, m, y, k = colour
        return (1 - k) * (1 - (0.299 * c + 0.587 * m + 0.114 * y))
    return float(colour[0])


def _size(obj) -> tuple[float, float]:
    return obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]


def widget_ticks(shapes: list[dict]) -> list[Glyph]:
    """Drawn check boxes and radio buttons, each as a Glyph of text TICKED or EMPTY.

    A widget is a near-square shape 5–16 pt wide; the shapes drawn on it (fill, border, mark) are
    one widget. It is ticked when a smaller mark is drawn inside it (a dot, a tick stroke) or when
    it is filled with a dark colour (■).
    """
    small = [s for s in shapes if WIDGET[0] <= _size(s)[0] <= WIDGET[1] and abs(_size(s)[0] - _size(s)[1]) < 3]
    marks = [s for s in shapes if 2.0 <= max(_size(s)) < WIDGET[1]]
    small.sort(key=lambda s: -_size(s)[0])
    widgets: list[dict] = []
    for s in small:
        cx, cy = (s["x0"] + s["x1"]) / 2, (s["top"] + s["bottom"]) / 2
        if not any(w["x0"] <= cx <= w["x1"] and w["top"] <= cy <= w["bottom"] for w in widgets):
            widgets.append(s)
    glyphs = []
    for w in widgets:
        side = _size(w)[0]
        inside = [m for m in marks if m["x0"] >= w["x0"] - 1.5 and m["x1"] <= w["x1"] + 1.5
                  and m["top"] >= w["top"] - 1.5 and m["bottom"] <= w["bottom"] + 1.5]
        inner_mark = any(max(_size(m)) < 0.8 * side for m in inside)
        dark_fill = any(m.get("fill") and _luminance(m.get("non_stroking_color")) < 0.8 for m in inside)
        glyphs.append(Glyph(TICKED if inner_mark or dark_fill else EMPTY, w["x0"], w["x1"], w["top"], w["bottom"], side))
    return glyphs


def _lines_of(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into text lines (characters by vertical centre), each sorted left to right.

    A drawn box joins the line beside it: of the lines its centre falls in, the one with a character
    nearest to it (a label cell's line may sit a little higher than the value cell's beside it).
    """
    chars = [g for g in glyphs if g.text not in (TICKED, EMPTY)]
    lines: list[list[Glyph]] = []
    for g in sorted(chars, key=lambda g: ((g.top + g.bottom) / 2, g.x0)):
        centre = (g.top + g.bottom) / 2
        if lines:
            last = lines[-1]
            ref = sum((x.top + x.bottom) / 2 for x in last) / len(last)
            if abs(centre - ref) <= 0.4 * max(g.size, 1.0):
                last.append(g)
                continue
        lines.append([g])
    for box in (g for g in glyphs if g.text in (TICKED, EMPTY)):
        centre = (box.top + box.bottom) / 2
        near = [line for line in lines if min(g.top for g in line) - 2 <= centre <= max(g.bottom for g in line) + 2]
        if near:
            min(near, key=lambda line: min(abs(g.x0 - box.x1) if g.x0 >= box.x1 else abs(box.x0 - g.x1)
                                           for g in line)).append(box)
        else:
            lines.append([box])
    lines.sort(key=lambda line: min((g.top + g.bottom) / 2 for g in line))
    return [sorted(line, key=lambda g: g.x0) for line in lines]


def _text(line: list[Glyph]) -> str:
    """One line's text; a gap wider than a third of a character is a space. A line that the text
    layer starts with a space keeps one (plain-text dumps mark a label so). A drawn box becomes the
    form control a table dump holds for it (``<input checked="" type="checkbox"/>`` when ticked), so
    a PDF and a dump of the same form read — and are cited — alike."""
    out: list[str] = []
    prev = None
    for g in line:
        if prev is not None and g.x0 - prev.x1 > 0.3 * max(g.size, 1.0) and out and not out[-1].isspace():
            out.append(" ")
        if g.text in (TICKED, EMPTY):
            out.append(CONTROL[g.text])
        elif not g.text.strip():  # a space glyph: kept as printed (an ideographic space is no label mark)
            if not out or not out[-1].isspace():
                out.append("\u3000" if g.text == "\u3000" else " ")
        else:
            out.append("○" if g.text in TICK_CHARS else g.text)
        prev = g
    return "".join(out).rstrip()


def _rules(edges: list[dict]) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Ruling lines: vertical (x, top, bottom) and horizontal (y, x0, x1), short ones left out."""
    vertical = [(e["x0"], e["top"], e["bottom"]) for e in edges
                if e.get("orientation") == "v" and e["bottom"] - e["top"] >= MIN_RULE]
    horizontal = [(e["top"], e["x0"], e["x1"]) for e in edges
                  if e.get("orientation") == "h" and e["x1"] - e["x0"] >= MIN_RULE]
    return vertical, horizontal


def _boundaries(vertical, top: float, bottom: float) -> list[float]:
    """x of the cell borders crossing a band of the page, merged when closer than 3 pt."""
    xs = sorted(x for x, t, b in vertical if t <= top + 1 and b >= bottom - 1)
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > 3:
            merged.append(x)
    return merged


def page_lines(glyphs: list[Glyph], edges: list[dict]) -> list[tuple[str, bool]]:
    """Lines of one page, each with whether it is a ruled row: rows as tab-separated cells,
    other text as it reads."""
    vertical, horizontal = _rules(edges)
    out: list[tuple[str, bool]] = []
    row: dict[int, list[str]] | None = None
    row_borders: list[float] = []
    previous_bottom = None
    for line in _lines_of(glyphs):
        top, bottom = min(g.top for g in line), max(g.bottom for g in line)
        borders = _boundaries(vertical, top, bottom)
        ruled = len(borders) >= 2 and borders[0] <= line[0].x0 + 1 and line[-1].x1 <= borders[-1] + 1
        new_row = (row is None or not ruled or borders != row_borders or any(
            previous_bottom - 1 <= y <= top + 1 and x0 <= line[0].x1 and x1 >= line[0].x0
            for y, x0, x1 in horizontal))
        if new_row and row is not None:
            out.append((_row_text(row, len(row_borders) - 1), True))
            row = None
        if not ruled:
            if previous_bottom is not None and top - previous_bottom > 0.8 * line[0].size:
                out.append(("", False))  # a paragraph gap, as a text dump shows it
            out.append((_text(line), False))
        else:
            if row is None:
                row, row_borders = {}, borders
            for cell in range(len(borders) - 1):
                part = [g for g in line if borders[cell] - 1 <= (g.x0 + g.x1) / 2 < borders[cell + 1] + 1]
                if part:
                    row.setdefault(cell, []).append(_text(part))
        previous_bottom = bottom
    if row is not None:
        out.append((_row_text(row, len(row_borders) - 1), True))
    return [(text, ruled) for i, (text, ruled) in enumerate(out)
            if text.strip() or (i and out[i - 1][0].strip())]


def _row_text(row: dict[int, list[str]], cells: int) -> str:
    texts = [join_wrapped(row.get(i, [])).replace("\n", " ") for i in range(cells)]
    while texts and not texts[-1]:
        texts.pop()
    return "\t".join(texts)


def _name(value) -> str:
    """A PDF name object (or bytes, or str) as text: /Off → 'Off'."""
    value = getattr(value, "name", value)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value or "")


def field_ticks(annots: list[dict]) -> list[Glyph]:
    """Check boxes and radio buttons that are interactive form fields (AcroForm widgets): ticked when
    their appearance state is anything but Off."""
    glyphs = []
    for annot in annots:
        data = annot.get("data") or {}
        parent = data.get("Parent") if isinstance(data.get("Parent"), dict) else {}
        if _name(data.get("Subtype")) != "Widget" or _name(data.get("FT") or parent.get("FT")) != "Btn":
            continue
        state = _name(data.get("AS") or data.get("V") or parent.get("V"))
        side = max(annot["x1"] - annot["x0"], 1.0)
        glyphs.append(Glyph(TICKED if state and state != "Off" else EMPTY,
                            annot["x0"], annot["x1"], annot["top"], annot["bottom"], side))
    return glyphs


def _glyphs(page) -> list[Glyph]:
    chars = [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c.get("size") or 1.0) for c in page.chars]
    fields = field_ticks(page.annots)
    drawn = [g for g in widget_ticks([*page.curves, *page.rects])  # a field's own drawing is not a second box
             if not any(f.x0 - 2 <= (g.x0 + g.x1) / 2 <= f.x1 + 2 and f.top - 2 <= (g.top + g.bottom) / 2 <= f.bottom + 2
                        for f in fields)]
    return chars + fields + drawn


def without_margins(pages: list[list[tuple[str, bool]]]) -> list[list[str]]:
    """Each page's lines without its page number and without a running header or footer seen on an
    earlier page (the first is kept: it often names the department). Only unruled lines at the top
    or bottom of a page count as margins.

    >>> without_margins([[("郡山市 国民健康保険課 1", False), ("①事務の名称 x", True), ("- 1 -", False)],
    ...                  [("郡山市 国民健康保険課 2", False), ("②事務の内容 y", True), ("- 2 -", False)]])
    [['郡山市 国民健康保険課 1', '①事務の名称 x'], ['②事務の内容 y']]
    """
    seen: set[str] = set()
    out = []
    for lines in pages:
        kept = []
        for i, (line, ruled) in enumerate(lines):
            margin = not ruled and (i < 2 or i >= len(lines) - 2)
            key = re.sub(r"[0-9０-９]+", "#", line.strip())
            if margin and (PAGE_NUMBER.match(line) or key in seen):
                continue
            if margin and key:
                seen.add(key)
            kept.append(line)
        out.append(kept)
    return out


def read_pages(pdf) -> list[PageText]:
    """Every page of an open pdfplumber PDF as lines (see page_lines and without_margins)."""
    pages = []
    for page in pdf.pages:
        pages.append(page_lines(_glyphs(page), page.edges))
        page.flush_cache()
    return [PageText(number, tuple(lines)) for number, lines in enumerate(without_margins(pages), 1)]
