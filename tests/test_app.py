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
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(index, settings, tmp_path_factory):
    """python app.py on a copy of the session index, on a free localhost port."""
    work = tmp_path_factory.mktemp("app")
    shutil.copytree(settings.index_dir, work / "index")
    port = free_port()
    env = {**os.environ, "PIAQA_INDEX": str(work / "index"), "PIAQA_CACHE": str(settings.cache_dir),
           "PIAQA_UPLOADS": str(work / "uploads"), "PIAQA_PORT": str(port)}
    log = open(work / "app.log", "w")
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
def page(app_url):
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(app_url)
        yield page
        browser.close()


def ask(page, question: str) -> str:
    page.get_by_role("tab", name="Ask", exact=True).click()
    page.locator("textarea").first.fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
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
    body = page.inner_text("body")
    assert DOCS["saitama_nenkin"] in body and "さいたま市" in body
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
        _, _, data = client.predict(question, "(all)", "(all)", "(all)", True, "", "(all)", api_name="/ask")
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
    report = client.predict([handle_file(str(fake))], api_name="/upload")[0]
    stem = name.removesuffix(".txt")
    assert f"✓ {stem}-2.txt: indexed" in report
    _, _, data = client.predict("大分市の国年（国民年金に関する事務）の重点項目評価書って評価書番号何番？",
                                "(all)", "(all)", "(all)", True, "", "(all)", api_name="/ask")
    assert "41" in data["answer"]  # the indexed 大分市 document still answers


def test_concurrent_users_get_their_own_answers(app_url):
    """`piaqa bench`'s users against the running app: no error, no answer citing another city."""
    from piaqa.bench import run_users

    report = run_users(app_url, ["大分市", "千葉市", "さいたま市"], users=4, seconds=8)
    assert report.answers >= 4 and report.errors == 0 and report.crossed == 0
