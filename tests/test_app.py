"""The Gradio app end to end: a real server, headless Chromium (Debian's, driven by Playwright; no
browser download), gradio_client for the API."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from .conftest import CORPUS, DOCS, ROOT

CHROMIUM = "/usr/bin/chromium"
ADMIN = "an administrator's password"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


APP_LOGS: list[Path] = []  # the running app's log, read by tests that must leave no traceback in it


@pytest.fixture(scope="module")
def app_url(index, settings, tmp_path_factory):
    """python app.py on a copy of the session index, on a free localhost port."""
    work = tmp_path_factory.mktemp("app")
    shutil.copytree(settings.index_dir, work / "index")
    port = free_port()
    env = {**os.environ, "PIAQA_INDEX": str(work / "index"), "PIAQA_CACHE": str(settings.cache_dir),
           "PIAQA_UPLOADS": str(work / "uploads"), "PIAQA_PORT": str(port), "PIAQA_ADMIN_PASSWORD": ADMIN}
    log = open(work / "app.log", "w")
    APP_LOGS.append(work / "app.log")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            assert proc.poll() is None, (work / "app.log").read_text()
            time.sleep(1)
    else:
        raise AssertionError("the app did not start: " + (work / "app.log").read_text()[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(app_url):
    """Debian's Chromium, headless, driven by Playwright (one for the module: Playwright's sync API runs one
    at a time)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(browser, app_url):
    """One English page, kept across the tests that ask one after the other."""
    page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="en-US")
    page.goto(app_url)
    return page


def opened(browser, app_url, locale="ja-JP", **options):
    """A fresh page of the app in a browser context of its own (its own language, size, colour scheme)."""
    query = options.pop("query", "")
    context = browser.new_context(locale=locale, viewport=options.pop("viewport", {"width": 1280, "height": 1400}),
                                  **options)
    page = context.new_page()
    page.goto(app_url + query)
    page.wait_for_selector("#piaqa-question textarea")
    return page


def ask(page, question: str, enter: bool = False) -> str:
    page.get_by_role("tab").first.click()
    box = page.locator("#piaqa-question textarea")
    box.fill(question)
    box.press("Enter") if enter else page.locator("#piaqa-ask").click()
    page.wait_for_function("q => { const r = document.querySelector('#answer .piaqa-result');"
                           " return r && r.getAttribute('data-question') === q; }", arg=question, timeout=90_000)
    return page.inner_text("#answer .piaqa-result")


def test_asks_in_english_and_japanese_and_shows_citation_cards(page, tmp_path):
    answer = ask(page, "who is the 再委託先 for 住基 in 大分市")
    assert "not stated in the document" in answer and "再委託先名" in answer
    cards = page.inner_text("#citations")
    assert "⑦再委託の有無" in cards and DOCS["oita_juki"] in cards and "line 177" in cards
    assert "大分市 · 住民基本台帳に関する事務 · 全項目評価書" in cards
    shot = tmp_path / "ask.png"
    page.screenshot(path=str(shot), full_page=True)
    image = Image.open(shot).convert("L")
    assert image.width == 1280 and image.height > 600
    assert ImageStat.Stat(image).stddev[0] > 10  # a rendered page, not a blank one

    answer = ask(page, "千葉市の国民年金の保管期間は？")
    assert "answered" in answer and "6年以上10年未満" in answer
    assert DOCS["chiba_nenkin"] in page.inner_text("#citations")
    assert page.locator("#citations mark").count() >= 1  # the answer is marked in its passage


def test_document_view_lists_documents_and_shows_their_structure(page, app_url):
    from gradio_client import Client

    page.get_by_role("tab", name="Documents", exact=True).click()
    body = page.inner_text("#piaqa-documents")
    assert DOCS["saitama_nenkin"] in body and "さいたま市" in body and "令和元年10月11日" in body  # 公表日
    structure = Client(app_url, verbose=False).predict(DOCS["oita_juki"], api_name="/outline")
    assert "委託事項1 システム運用・保守業務委託" in structure and "日本電気株式会社大分支店" in structure
    assert "⑦再委託の有無</b>: 再委託する" in structure


def test_uploaded_markup_is_shown_as_text(page, tmp_path):
    text = (CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("さいたま市", "架空市")
    text = text.replace("富士通株式会社", "富士通株式会社<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">")
    upload = tmp_path / "kakuu_nenkin.txt"
    upload.write_text(text, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page.get_by_role("tab", name="Add documents", exact=True).click()
    page.locator("input[type=file][accept=\".txt, .pdf\"]").set_input_files([str(upload), str(empty)])
    page.get_by_role("button", name="Add to the index").click()
    page.wait_for_function("() => [...document.querySelectorAll('textarea')].some(t => t.value.includes('indexed'))",
                           timeout=240_000)
    result = next(t for t in page.locator("textarea").all() if "indexed" in t.input_value()).input_value()
    assert "✓ kakuu_nenkin.txt: indexed" in result and "✗ empty.txt: empty file" in result
    ask(page, "架空市の国年の委託事項1の委託先名は？")
    cards = page.inner_text("#citations")
    assert "<script>window.__xss=1</script>" in cards and "onerror" in cards
    assert page.evaluate("window.__xss") is None


def test_ten_concurrent_questions_get_their_own_answers(app_url):
    from gradio_client import Client

    cases = [("千葉市の国民年金の保管期間は？", "6年以上10年未満"),
             ("Which company holds the system operation and maintenance contract for Oita City's resident registry file?", "日本電気株式会社大分支店"),
             ("さいたま市の国民年金の評価書はいつ公表されましたか？", "令和元年10月11日"),
             ("who is the 再委託先 for 住基 in 大分市", "再委託先名"),
             ("大分市の国年（国民年金に関する事務）の重点項目評価書って評価書番号何番？", "41")] * 2

    def one(case):
        question, expected = case
        client = Client(app_url, verbose=False)
        data = client.predict(question, "(all)", "(all)", "(all)", True, "", "(all)", api_name="/ask")[2]
        return question, expected, data

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(one, cases))
    for question, expected, data in results:
        assert data["question"] == question
        assert expected in data["answer"] or expected in (data["looked_for"] or "")


def test_an_upload_named_like_an_indexed_document_never_replaces_it(app_url, tmp_path):
    from gradio_client import Client, handle_file

    name = DOCS["oita_nenkin"]
    fake = tmp_path / name  # another assessment under the indexed document's file name
    fake.write_text((CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("さいたま市", "偽市"),
                    encoding="utf-8")
    client = Client(app_url, verbose=False)
    report = client.predict([handle_file(str(fake))], False, "", api_name="/upload")[0]
    stem = name.removesuffix(".txt")
    assert f"✓ {stem}-2.txt: indexed" in report
    data = client.predict("大分市の国年（国民年金に関する事務）の重点項目評価書って評価書番号何番？",
                          "(all)", "(all)", "(all)", True, "", "(all)", api_name="/ask")[2]
    assert "41" in data["answer"]  # the indexed 大分市 document still answers


def test_concurrent_users_get_their_own_answers(app_url):
    """`piaqa bench`'s users against the running app: no error, no answer citing another city."""
    from piaqa.bench import run_users

    report = run_users(app_url, ["大分市", "千葉市", "さいたま市"], users=4, seconds=8)
    assert report.answers >= 4 and report.errors == 0 and report.crossed == 0


DOCS_DIR = ROOT / "docs"  # the README's screenshots, refreshed by this test run


def luminance(rgb: str) -> float:
    """WCAG relative luminance of a CSS rgb()/rgba() colour."""
    channels = [int(float(v)) / 255 for v in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_page_speaks_the_browser_s_language_and_switches(browser, app_url):
    ja = opened(browser, app_url, "ja-JP")
    tabs = [t.inner_text() for t in ja.get_by_role("tab").all()]
    assert tabs[0] == "質問" and "項目比較" in tabs and "Ask" not in tabs
    answer = ask(ja, "大分市の住基の委託先は？")
    assert answer.startswith("回答") and "日本電気株式会社大分支店" in answer
    silent = ask(ja, "大分市の住基の再委託先の名称は？")
    assert silent.startswith("記載なし") and "文書には記載がありません" in silent  # status and sentence in Japanese
    en = opened(browser, app_url, "en-US")  # the page is built Japanese and turns English once loaded
    en.wait_for_function("() => document.querySelector('[role=tab]').innerText.trim() === 'Ask'", timeout=20_000)
    assert en.locator("#piaqa-ask").inner_text().strip() == "Ask"
    ja.get_by_text("English", exact=True).click()
    ja.wait_for_function("() => document.querySelector('[role=tab]').innerText.trim() === 'Ask'")
    assert ja.locator("#piaqa-ask").inner_text().strip() == "Ask"
    # the tables switch too: the questions asked so far, and the documents (whose search box is still empty)
    ja.wait_for_function("() => (document.querySelector('#piaqa-asked')?.innerText || '').includes('question')")
    ja.locator("[data-tab-id=docs]").click()
    ja.wait_for_function("() => (document.querySelector('#piaqa-documents')?.innerText || '').includes('Organisation')")
    assert "Traceback" not in APP_LOGS[-1].read_text(encoding="utf-8")
    ja.locator("[data-tab-id=facts]").click()  # switched pages keep their downloads working
    ja.wait_for_function("() => (document.querySelector('#piaqa-facts')?.innerText || '').includes('Organisation')")
    assert ja.locator("#piaqa-facts-csv").inner_text().strip() == "Export CSV"
    with ja.expect_download() as download:
        ja.locator("#piaqa-facts-csv").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_every_value_of_an_item_is_listed_and_a_citation_opens_the_source(browser, app_url):

    page = opened(browser, app_url, "ja-JP")
    ask(page, "千葉市の国年の委託先は？", enter=True)  # Enter asks
    listed = page.locator("#answer .piaqa-answer li").all_inner_texts()
    from gradio_client import Client
    table = Client(app_url, verbose=False).predict("委託先名", "ja", api_name="/facts")[0]
    contractors = {row[4] for row in table["data"] if row[0] == "千葉市"}
    assert len(listed) >= 3 and all(any(c in line for line in listed) for c in contractors)
    page.screenshot(path=str(DOCS_DIR / "answer.png"), full_page=True)
    first = page.locator("#citations .piaqa-card").first
    cited_item = first.locator(".piaqa-where b").first.inner_text()
    first.locator("[data-view]").click()
    page.wait_for_selector("#viewer .piaqa-viewer .piaqa-cited", timeout=30_000)
    viewer = page.inner_text("#viewer")
    assert "千葉市" in viewer and "国民年金に関する事務" in viewer and "公表日" in viewer and cited_item in viewer
    assert cited_item in page.inner_text("#viewer .piaqa-cited")
    page.wait_for_function("() => { const r = document.querySelector('.piaqa-cited').getBoundingClientRect();"
                           " return r.top >= 0 && r.bottom <= window.innerHeight; }")  # scrolled to
    page.screenshot(path=str(DOCS_DIR / "viewer.png"))


def test_the_facts_table_covers_every_assessment_and_exports_csv(browser, app_url, tmp_path):
    import csv

    page = opened(browser, app_url, "ja-JP")
    page.locator("[data-tab-id=facts]").click()
    orgs = {row[0] for row in _documents(app_url)}
    page.wait_for_function("orgs => { const t = document.querySelector('#piaqa-facts')?.innerText || '';"
                           " return orgs.every(o => t.includes(o)); }", arg=sorted(orgs), timeout=30_000)
    shown = page.inner_text("#piaqa-facts")
    assert all(org in shown for org in orgs)
    with page.expect_download() as download:
        page.locator("#piaqa-facts-csv").click()
    path = tmp_path / "facts.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["org"] for r in rows} == orgs and all(r["value"] for r in rows)
    page.screenshot(path=str(DOCS_DIR / "facts.png"), full_page=True)


def _documents(app_url) -> list[list]:
    """The documents table (organisation first) as the page's API gives it."""
    from gradio_client import Client

    result = Client(app_url, verbose=False).predict("", api_name="/documents")
    return result["data"] if isinstance(result, dict) else result


def test_dark_mode_keeps_the_highlight_readable(browser, app_url):
    page = opened(browser, app_url, "ja-JP", color_scheme="dark", query="?__theme=dark")
    ask(page, "千葉市の国民年金の保管期間は？")
    colours = page.evaluate("() => { const m = document.querySelector('#citations mark'); const s = getComputedStyle(m);"
                            " return [s.color, s.backgroundColor, document.body.classList.contains('dark') ||"
                            " !!document.querySelector('.dark')]; }")
    assert colours[2] and contrast(colours[0], colours[1]) >= 4.5


def test_shift_enter_is_a_new_line_and_enter_while_composing_is_not_a_question(browser, app_url):
    page = opened(browser, app_url, "ja-JP")
    box = page.locator("#piaqa-question textarea")
    box.fill("大分市の")
    box.press("Shift+Enter")
    assert "\n" in box.input_value()
    page.evaluate("() => { const t = document.querySelector('#piaqa-question textarea');"
                  " t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true, bubbles: true})); }")
    page.wait_for_timeout(1500)
    assert page.locator("#answer .piaqa-result").count() == 0


def test_an_upload_shows_its_progress_reaches_other_pages_and_a_pdf_opens_at_its_page(browser, app_url, tmp_path):
    from .pdfdraw import form_pdf
    from .test_pdf import dump_rows

    rows = [[cell.replace("大分市", "描画市") for cell in row] for row in dump_rows("oita_juki", 170)]
    pdf = tmp_path / "drawn_juki.pdf"
    pdf.write_bytes(form_pdf(rows))
    other = opened(browser, app_url, "ja-JP")  # open before the upload: its lists must catch up
    page = opened(browser, app_url, "ja-JP")
    page.locator("[data-tab-id=add]").click()
    page.locator("input[type=file][accept=\".txt, .pdf\"]").set_input_files(str(pdf))
    page.get_by_role("button", name="索引に追加").click()
    seen = set()
    for _ in range(600):
        seen |= {s for s in ("parse", "embed") if page.locator(f"text=/{s}/").count()}
        if "indexed" in page.locator("#piaqa-upload-result textarea").input_value():
            break
        page.wait_for_timeout(200)
    assert "✓ drawn_juki.pdf: indexed" in page.locator("#piaqa-upload-result textarea").input_value()
    assert "embed" in seen  # the progress passed through the embedding, not only parsing
    other.locator("[data-tab-id=docs]").click()
    other.wait_for_function("() => document.querySelector('#piaqa-documents').innerText.includes('描画市')",
                            timeout=30_000)
    ask(page, "描画市の住基の委託事項1の委託先名は？")
    page.locator("#citations [data-view]").first.click()
    page.wait_for_selector("#pdf-page img", timeout=60_000)
    assert "描画市" in page.inner_text("#viewer") and "p. " in page.inner_text("#viewer")  # where: its page
    image = page.locator("#pdf-page img")
    assert image.evaluate("i => i.naturalWidth") > 500  # the page itself, rendered


def test_only_an_administrator_removes_an_upload(app_url, tmp_path):
    from gradio_client import Client, handle_file

    fake = tmp_path / "removable_nenkin.txt"
    fake.write_text((CORPUS / DOCS["saitama_nenkin"]).read_text(encoding="utf-8").replace("さいたま市", "消去市"),
                    encoding="utf-8")
    client = Client(app_url, verbose=False)
    assert "✓ removable_nenkin.txt: indexed" in client.predict([handle_file(str(fake))], False, "", api_name="/upload")[0]
    refused = client.predict("removable_nenkin.txt", "wrong", "en", api_name="/remove")[0]
    assert refused == "Wrong administrator password." and "removable_nenkin.txt" in str(_documents(app_url))
    done = client.predict("removable_nenkin.txt", ADMIN, "en", api_name="/remove")[0]
    assert done.startswith("✓ removable_nenkin.txt: removed")
    assert "removable_nenkin.txt" not in str(_documents(app_url))
    data = client.predict("消去市の国年の委託先は？", "(all)", "(all)", "(all)", True, "", "(all)", api_name="/ask")[2]
    assert data["status"] == "no_match"
