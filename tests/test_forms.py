"""Assessments beyond the five samples: other form types, reflowed text, radicals from PDF extraction."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from piaqa.answer import answer
from piaqa.parse import parse_file
from piaqa.parse import walk

from .conftest import CORPUS, DOCS

DATA = Path(__file__).parent / "data"


def items(doc):
    return {it.key: it for s in walk(doc.sections) for it in s.items if it.key}


def test_kiso_form_is_read_from_its_cover_and_sections():
    doc = parse_file(DATA / "001_uchiko_jidoteate_kiso.txt")
    assert (doc.org, doc.affair, doc.form, doc.number, doc.published) == \
        ("内子町", "児童手当の支給に関する事務", "基礎項目評価書", "8", "平成27年3月10日")
    assert [s.title for s in doc.sections] == ["表紙", "Ⅰ 関連情報"]
    found = items(doc)
    assert found["cover.style"].value == "[平成26年4月 様式2]"
    assert found["jimu.name"].value == "児童手当の支給に関する事務"
    assert found["system.name"].value.split("\n") == ["1.児童手当システム", "2.ID連携サーバ(団体内統合利用番号連携サーバ)",
                                                      "3.中間サーバ"]
    assert "④統計処理の確認" in found["jimu.description"].value  # a numbered list inside a value is no label


def test_reflowed_text_gets_its_lines_back():
    """One line, spaces where cells wrapped, a running page header inside: the printed labels place the breaks."""
    doc = parse_file(DATA / "005_koriyama_kokikoreisha_juten.txt")
    assert (doc.org, doc.affair, doc.form, doc.number, doc.published) == \
        ("郡山市", "後期高齢者医療制度に関する事務", "重点項目評価書", "11", "平成27年1月9日")
    found = items(doc)
    assert found["cover.org"].value == "郡山市" and found["cover.style"].value == "[平成26年4月 様式3]"
    assert found["jimu.name"].value.startswith("後期高齢者医療制度事務")
    headers = [line for line in doc.lines if "郡山市市民部国民健康保険課" in line]
    assert headers == ["後期高齢者医療制度に関する事務 1 郡山市市民部国民健康保険課"]  # kept once, on its own line


def test_a_sample_reflowed_reads_like_the_sample(tmp_path):
    """The same transformation on a sample's cover: every line break gone."""
    lines = (CORPUS / DOCS["oita_nenkin"]).read_text(encoding="utf-8").split("\n")
    flat = tmp_path / "flat.txt"
    flat.write_text(" ".join(line.strip() for line in lines if line.strip()), encoding="utf-8")
    doc, original = parse_file(flat), parse_file(CORPUS / DOCS["oita_nenkin"])
    assert (doc.org, doc.affair, doc.form, doc.number, doc.published) == \
        (original.org, original.affair, original.form, original.number, original.published)
    # the 様式 catalogue tells 80 items of this form apart (65 before its risk rows had keys); a text that lost
    # its line breaks recovers 46 of them
    assert len(items(doc)) >= 0.55 * len(items(original))


def test_radicals_from_pdf_extraction_are_read_as_ideographs(tmp_path):
    """⼤ (Kangxi radical, U+2F24) and ⺠ (radicals supplement, U+2EA0) where a PDF extractor put them."""
    text = (CORPUS / DOCS["oita_juki"]).read_text(encoding="utf-8")
    path = tmp_path / "radicals.txt"
    path.write_text(text.replace("民", "\u2ea0").replace("大", "\u2f24"), encoding="utf-8")
    doc = parse_file(path)
    assert (doc.org, doc.affair) == ("大分市", "住民基本台帳に関する事務")
    assert not any("\u2ea0" in line or "\u2f24" in line for line in doc.lines)
    assert items(doc)["itaku.contractor_name"].value == items(parse_file(CORPUS / DOCS["oita_juki"]))[
        "itaku.contractor_name"].value


@pytest.fixture(scope="module")
def others(tmp_path_factory, settings, embedder):
    """An index of the two openings of other organisations' assessments and a drawn PDF form."""
    from piaqa.indexer import build_index
    from piaqa.retrieve import Index

    from .pdfdraw import form_pdf
    from .test_pdf import dump_rows

    docs = tmp_path_factory.mktemp("others")
    for name in ("001_uchiko_jidoteate_kiso.txt", "005_koriyama_kokikoreisha_juten.txt"):
        shutil.copy(DATA / name, docs)
    (docs / "oita_juki_form.pdf").write_bytes(form_pdf(dump_rows("oita_juki", 170)))
    own = settings.with_(index_dir=tmp_path_factory.mktemp("others_index") / "index")
    report = build_index([docs], own, embedder)
    assert len(report.added) == 3 and not report.failed
    assert all(q.warning is None for _, q in report.quality if q.pages and q.pages >= 5)
    return Index.load(settings=own, embedder=embedder)


def test_a_question_naming_no_document_is_answered_from_each(others):
    ans = answer(others, "公表日はいつ？")
    assert ans.status == "answered" and len(ans.parts) == 3
    assert {"平成27年3月10日", "平成27年1月9日", "令和7年9月2日"} <= {p.answer for p in ans.parts}
    assert {p.citations[0].chunk.doc for p in ans.parts} == {c.doc for c in others.passages()}


def test_an_item_the_kiso_form_never_prints_is_not_stated(others):
    ans = answer(others, "内子町の児童手当の委託先の事業者名は？")
    assert ans.status == "not_stated" and "基礎項目評価書" in ans.answer


def test_asking_for_another_form_type_is_answered_no(others):
    ans = answer(others, "Is Koriyama's 後期高齢者医療 PIA a 全項目評価書?")
    assert ans.answer.startswith("いいえ") and "重点項目評価書" in ans.answer
    assert not answer(others, "郡山市の評価書は重点項目評価書ですか？").answer.startswith("いいえ")


def test_pdf_citations_carry_pages_and_no_line_numbers(others):
    from piaqa.render import answer_dict

    ans = answer(others, "大分市の住基の入手元は？")
    cited = answer_dict(ans)["citations"]
    assert cited and all(c["page"] and c["lines"] is None for c in cited if c["doc"].endswith(".pdf"))
    assert "本人又は本人の代理人" in ans.answer


def test_a_reflowed_text_is_cited_by_the_lines_of_its_file(others):
    ans = answer(others, "郡山市の後期高齢者医療の評価書番号は？")
    assert ans.answer == "11" and ans.citations[0].chunk.lines == (1, 1)  # the file is one line


def test_a_cover_alone_is_an_assessment(tmp_path):
    """The opening of an assessment, cut before its first section: the cover's own fields say what it is."""
    text = (DATA / "001_uchiko_jidoteate_kiso.txt").read_text(encoding="utf-8")
    path = tmp_path / "cover.txt"
    path.write_text(text[:text.index("Ⅰ 関連情報")], encoding="utf-8")
    doc = parse_file(path)
    assert (doc.org, doc.form, doc.number, doc.published) == ("内子町", "基礎項目評価書", "8", "平成27年3月10日")
    assert [s.title for s in doc.sections] == ["表紙"]  # read once, as the cover
