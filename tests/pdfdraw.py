"""Draw a form PDF for tests, the way assessments are published: ruled rows of cells, a label column,
text that wraps inside its cell, and check boxes and radio buttons drawn as shapes (no character).

The text uses a CJK font every PDF reader knows without embedding (Adobe-Japan1, UniJIS-UCS2-H), so
a page costs a few hundred bytes. A cell's text marks a ticked box with TICK and an empty one with BOX.
"""
from __future__ import annotations

TICK, BOX = "\x01", "\x02"


def _pdf(pages: list[bytes], width: float, height: float, fields: list[list[tuple]] | None = None) -> bytes:
    """A PDF of content streams; `fields` gives each page's check-box form fields ((x0, y0, x1, y1), ticked)."""
    fields = fields or [[] for _ in pages]
    font = 3 + 2 * len(pages)
    widgets = font + 3
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{3 + 2 * i} 0 R' for i in range(len(pages)))}] "
        f"/Count {len(pages)} >>".encode(),
    ]
    annots, n = [], widgets
    for page_fields in fields:
        annots.append(list(range(n, n + len(page_fields))))
        n += len(page_fields)
    for i, stream in enumerate(pages):
        refs = " ".join(f"{r} 0 R" for r in annots[i])
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Annots [{refs}] "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects += [
        f"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5 /Encoding /UniJIS-UCS2-H "
        f"/DescendantFonts [{font + 1} 0 R] >>".encode(),
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 /CIDSystemInfo << /Registry (Adobe) "
        f"/Ordering (Japan1) /Supplement 2 >> /FontDescriptor {font + 2} 0 R /DW 1000 >>".encode(),
        b"<< /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>",
    ]
    objects += [f"<< /Type /Annot /Subtype /Widget /FT /Btn /T (box{k}) /Rect [{x0:.2f} {y0:.2f} {x1:.2f} {y1:.2f}] "
                f"/AS /{'Yes' if ticked else 'Off'} >>".encode()
                for k, ((x0, y0, x1, y1), ticked) in enumerate(f for page in fields for f in page)]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _advance(char: str, size: float) -> float:
    return size  # the font's default width (DW 1000) holds for every glyph, ASCII included


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines, line, used = [], "", 0.0
    for char in text:
        step = _advance(char, size) + (size * 0.3 if char in (TICK, BOX) else 0)
        if line and used + step > width:
            lines.append(line)
            line, used = "", 0.0
        line, used = line + char, used + step
    return [*lines, line] if line else lines


def _line_ops(x: float, y: float, text: str, size: float, fields: list | None = None) -> str:
    ops, run, run_x = [], "", x
    for char in text + "\0":
        if char in (TICK, BOX, "\0"):
            if run:
                ops.append(f"BT /F1 {size} Tf {run_x:.2f} {y:.2f} Td <{run.encode('utf-16-be').hex()}> Tj ET")
                run_x += sum(_advance(c, size) for c in run)
                run = ""
            if char in (TICK, BOX) and fields is not None:  # an interactive form field, not a drawing
                side, bx, by = size, run_x + size * 0.15, y - size * 0.1
                fields.append(((bx, by, bx + side, by + side), char == TICK))
                run_x += size * 1.3
            elif char in (TICK, BOX):
                side, bx, by = size, run_x + size * 0.15, y - size * 0.1
                ops.append(f"q 1 1 1 rg {bx:.2f} {by:.2f} {side:.2f} {side:.2f} re f Q")
                ops.append(f"q 0.45 0.45 0.45 RG 0.5 w {bx:.2f} {by:.2f} {side:.2f} {side:.2f} re S Q")
                if char == TICK:
                    inner = side * 0.6
                    ops.append(f"q 0 0.45 1 rg {bx + (side - inner) / 2:.2f} {by + (side - inner) / 2:.2f} "
                               f"{inner:.2f} {inner:.2f} re f Q")
                run_x += size * 1.3
        else:
            run += char
    return "\n".join(ops)


def form_pdf(rows: list[list[str]], page=(595.0, 842.0), size: float = 9.0, label_share: float = 0.28,
             margin: float = 40.0, form_fields: bool = False) -> bytes:
    """A PDF of ruled rows: one cell spans the width; two or more cells split it after the label column.

    Rows flow onto new pages; every cell wraps to its width. `page` is (width, height) in points. With
    `form_fields`, the boxes are interactive check-box fields instead of drawings.
    """
    width, height = page
    inner = width - 2 * margin
    pages, ops, top = [], [], height - margin
    fields: list[list[tuple]] = [[]]
    leading = size * 1.4
    for cells in rows:
        if len(cells) == 1:
            xs = [margin, width - margin]
        else:
            label = inner * label_share
            rest = (inner - label) / (len(cells) - 1)
            xs = [margin, margin + label, *(margin + label + rest * i for i in range(1, len(cells)))]
        wrapped = [_wrap(text, xs[i + 1] - xs[i] - size * 0.6, size) or [""] for i, text in enumerate(cells)]
        row_height = leading * max(len(w) for w in wrapped) + size * 0.6
        if top - row_height < margin:
            pages.append("\n".join(ops).encode("latin-1"))
            ops, top = [], height - margin
            fields.append([])
        bottom = top - row_height
        ops.append(f"0.6 w {xs[0]:.2f} {top:.2f} m {xs[-1]:.2f} {top:.2f} l S")
        ops.append(f"0.6 w {xs[0]:.2f} {bottom:.2f} m {xs[-1]:.2f} {bottom:.2f} l S")
        ops += [f"0.6 w {x:.2f} {bottom:.2f} m {x:.2f} {top:.2f} l S" for x in xs]
        for i, lines in enumerate(wrapped):
            for j, line in enumerate(lines):
                ops.append(_line_ops(xs[i] + size * 0.3, top - size * 0.3 - leading * (j + 1) + size * 0.3, line, size,
                                     fields[-1] if form_fields else None))
        top = bottom
    pages.append("\n".join(ops).encode("latin-1"))
    return _pdf(pages, width, height, fields)


def text_pdf(text: str | None) -> bytes:
    """A one-page PDF with one line of text (or no text layer at all)."""
    stream = _line_ops(72, 720, text, 12).encode("latin-1") if text else b""
    return _pdf([stream], 612.0, 792.0)
