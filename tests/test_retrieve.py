"""Search on the real sample corpus with the real embedded model, tokenizer, FAISS and BM25."""
from __future__ import annotations

import pytest

from langchain_tests.integration_tests import RetrieversIntegrationTests

from piaqa.langchain import PiaqaRetriever
from piaqa.render import hit_dict

from .conftest import DOCS

CONTRACT = {"doc", "org", "affair", "form", "section", "item", "text", "lines", "page", "score"}


def top(index, question, k=5, **kw):
    return [hit_dict(h) for h in index.search(question, k=k, **kw)]


def test_passage_contract(index):
    hits = top(index, "who is the 再委託先 for 住基 in 大分市")
    assert len(hits) == 5
    for hit in hits:
        assert CONTRACT <= set(hit)
        assert hit["lines"][0] <= hit["lines"][1]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_subcontract_question_finds_the_subcontract_items(index):
    hits = top(index, "who is the 再委託先 for 住基 in 大分市", k=3)
    assert {h["doc"] for h in hits} == {DOCS["oita_juki"]}
    assert any(h["item"] == "⑦再委託の有無" and "委託事項1" in h["section"] for h in hits)


def test_english_question_finds_the_contractor(index):
    hits = top(index, "Which company holds the system operation and maintenance contract for Oita City's resident registry file?")
    assert any("日本電気株式会社大分支店" in h["text"] for h in hits)


def test_abbreviations_filter_to_the_named_document(index):
    hits = top(index, "千葉市の国年の委託先は？")
    assert {h["doc"] for h in hits} == {DOCS["chiba_nenkin"]}
    hits = top(index, "大分市の国年の重点項目評価書の評価書番号は？")
    assert hits[0]["doc"] == DOCS["oita_nenkin"] and hits[0]["lines"][0] <= 13 <= hits[0]["lines"][1]


def test_romanised_city_name(index):
    hits = top(index, "what is the retention period for resident records in Oita")
    assert hits and all(h["doc"] == DOCS["oita_juki"] for h in hits)
    assert any("保管期間" in h["section"] + h["item"] + h["text"] for h in hits)


def test_english_words_unknown_to_bm25_do_not_crash(index):
    assert isinstance(index.search("What is this?"), list)
    assert index.search("   ") == []
    assert isinstance(index.search("zzzz qqqq"), list)


def test_change_log_ranks_below_the_current_body(index):
    hits = top(index, "大分市の住基の保管場所", k=5)
    assert not hits[0]["history"]
    changes = top(index, "大分市の住基の保管期間はいつ変更された？", k=5)
    assert any(h["history"] for h in changes)


def test_explicit_filters(index):
    hits = top(index, "委託先名", k=10, org="さいたま市")
    assert hits and {h["org"] for h in hits} == {"さいたま市"}
    assert all(not h["history"] for h in top(index, "変更箇所", k=10, history=False))


def test_questions_about_two_cities_get_passages_of_both(index):
    hits = top(index, "Compare the target population bracket in Section I for national pension work in Oita and in Chiba.")
    assert {h["doc"] for h in hits[:2]} == {DOCS["oita_nenkin"], DOCS["chiba_nenkin"]}


def test_langchain_retriever(index):
    docs = PiaqaRetriever(index=index, k=3).invoke("千葉市の国年の委託先は？")
    assert len(docs) == 3
    assert all(d.metadata["doc"] == DOCS["chiba_nenkin"] and d.page_content for d in docs)
    assert CONTRACT - {"text"} <= set(docs[0].metadata)


def test_retriever_filters_at_construction_and_per_call_and_refuses_unknown_ones(index, settings):
    from langchain_core.runnables import RunnableLambda

    oita = PiaqaRetriever(index=index, k=4, org="大分市", affair="住基")
    docs = oita.invoke("委託先は？")
    assert docs and all(d.metadata["org"] == "大分市" and d.metadata["affair"] == "住民基本台帳に関する事務" for d in docs)
    assert all(d.metadata["doc"] == DOCS["chiba_nenkin"] for d in oita.invoke("委託先は？", org="千葉市", affair=None))
    assert not any(d.metadata["history"] for d in oita.invoke("変更箇所の変更日は？", history=False))
    assert all(d.metadata["form"] == "重点項目評価書" for d in PiaqaRetriever(index=index, form="重点項目").invoke("委託先は？"))
    assert all(d.metadata["source"] == d.metadata["doc"] for d in docs)  # text files: the file name
    assert {d.metadata["doc"] for d in PiaqaRetriever(index=index, doc=DOCS["kyosai"]).invoke("委託先は？")} == {
        DOCS["kyosai"]}
    with pytest.raises(TypeError, match="accepted: k, org"):
        oita.invoke("委託先は？", filter={"org": "大分市"})
    with pytest.raises(Exception, match="search_kwargs|extra"):
        PiaqaRetriever(index=index, search_kwargs={"k": 2})
    by_path = PiaqaRetriever(index=settings.index_dir, k=2)  # an index folder is loaded
    assert len(by_path.invoke("千葉市の国年の委託先は？")) == 2
    chain = oita | RunnableLambda(lambda found: "\n".join(d.page_content[:20] for d in found))  # LCEL
    assert chain.invoke("委託先は？")


def test_the_answer_layer_is_a_runnable(index):
    from piaqa.langchain import ask_runnable

    qa = ask_runnable(index)
    result = qa.invoke("大分市の住基の委託先は？")
    assert result["status"] == "answered" and result["answer"] == "日本電気株式会社大分支店"
    assert result["citations"] and result["citations"][0].metadata["org"] == "大分市"
    assert qa.invoke({"question": "委託先は？", "org": "千葉市"})["citations"][0].metadata["org"] == "千葉市"
    assert qa.invoke("who is the 再委託先 for 住基 in 大分市")["status"] == "not_stated"
    with pytest.raises(TypeError, match="accepted"):
        qa.invoke({"question": "委託先は？", "city": "千葉市"})


class TestStandardRetrieverContract(RetrieversIntegrationTests):
    """LangChain's own retriever suite (langchain-tests) on the real index: invoke/ainvoke return Documents,
    `k` at construction and per call."""

    @pytest.fixture(autouse=True)
    def _loaded(self, index):
        type(self).loaded = index

    @property
    def retriever_constructor(self) -> type[PiaqaRetriever]:
        return PiaqaRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"index": self.loaded}

    @property
    def retriever_query_example(self) -> str:
        return "委託先は？"


def test_a_documents_text_is_its_passages_one_per_line(index):
    doc = DOCS["oita_juki"]
    passages = index.chunks_of(doc)
    assert index.document_text(doc) == "\n".join(c.text for c in passages if not c.history)
    assert index.document_text(doc, history=True) == "\n".join(c.text for c in passages)
    assert index.document_text(doc).count("\n") >= len([c for c in passages if not c.history]) - 1
