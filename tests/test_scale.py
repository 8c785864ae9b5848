"""The parts that keep a query's cost independent of the corpus size, on real bm25s, FAISS and SQLite
with small made-up data: position ranges, range-restricted BM25 postings, the dense index chosen by size
with its recall, the compact passage store and the organisation vocabulary at thousands of names."""
from __future__ import annotations

import numpy as np
import pytest

from piaqa.models import Chunk
from piaqa.orgs import Vocabulary, unknown_organisation
from piaqa.query import analyse
from piaqa.store.dense import FLAT_MAX, Dense, build_dense, write_dense
from piaqa.store.lexical import Lexical, bm25s_module, write_bm25
from piaqa.store.passages import BLANK, HISTORY, PassageStore, encode_titles, write_passages
from piaqa.store.selection import Picked, ranges_of, top_k

WORDS = ["委託", "再委託", "保管", "期間", "消去", "番号", "住民", "年金", "システム", "業者"]


def token_lists(n: int, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [[str(w) for w in rng.choice(WORDS, size=int(rng.integers(3, 12)))] for _ in range(n)]


def test_ranges_of_documents_merge_and_mask():
    starts, ends = np.array([0, 3, 3, 7]), np.array([3, 3, 7, 9])
    ranges = ranges_of(starts, ends, [0, 2, 3, 1])
    assert ranges.tolist() == [[0, 9]]  # adjacent documents merged, the empty one dropped
    picked = Picked(9, ranges_of(starts, ends, [0, 3]))
    assert picked.positions().tolist() == [0, 1, 2, 7, 8] and picked.count == 5
    assert picked.mask().tolist() == [True] * 3 + [False] * 4 + [True] * 2


def test_top_k_is_the_best_scores_in_order():
    positions, scores = np.arange(10), np.array([3, 9, 1, 9, 5, 0, 7, 2, 8, 4], dtype=np.float32)
    assert top_k(positions, scores, 4).tolist() == [1, 3, 8, 6]


@pytest.mark.parametrize("ranges", [None, [[0, 50]], [[10, 20], [100, 160], [300, 301]]])
def test_bm25_postings_within_ranges_equal_bm25s_scores(tmp_path, ranges):
    tokens = token_lists(400)
    write_bm25(tmp_path / "bm25", tokens)
    lexical = Lexical(tmp_path / "bm25")
    reference = bm25s_module().BM25.load(str(tmp_path / "bm25"))
    query = ["委託", "保管", "期間", "未知語"]
    full = reference.get_scores([t for t in query if t in reference.vocab_dict])
    picked = Picked(400, None if ranges is None else np.array(ranges))
    allowed = picked.mask()
    positions, scores = lexical.postings(query, picked)
    expected = np.flatnonzero((full > 0) & allowed)
    assert positions.tolist() == expected.tolist()
    assert np.allclose(scores, full[expected], rtol=1e-5)
    best = lexical.top(query, picked, 5)
    assert np.allclose(sorted(full[best], reverse=True), sorted(full[allowed], reverse=True)[:5], rtol=1e-5)


def test_change_log_passages_are_left_out_inside_the_search(tmp_path):
    tokens = [["委託", "業者"]] * 20
    write_bm25(tmp_path / "bm25", tokens)
    flags = np.array([HISTORY if i % 2 else 0 for i in range(20)], dtype=np.uint8)
    found = Lexical(tmp_path / "bm25").top(["委託"], Picked(20, None, flags), 20)
    assert len(found) == 10 and all(i % 2 == 0 for i in found)


def unit(n: int, d: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_a_small_corpus_gets_an_exact_index_and_a_large_one_ivf_with_its_recall():
    small, info = build_dense(unit(1000, 16))
    assert info == {"kind": "flat", "recall@10": 1.0} and small.ntotal == 1000
    large, info = build_dense(unit(FLAT_MAX + 10_000, 16))
    assert info["kind"].startswith("IVF") and info["kind"].endswith("SQ8")
    assert info["recall@10"] >= 0.95 and info["nprobe"] < info["nlist"]  # found without reading every list
    assert large.ntotal == FLAT_MAX + 10_000


def test_dense_search_within_a_selection_is_exact(tmp_path):
    vectors = unit(5000, 16)
    np.save(tmp_path / "vectors.npy", vectors)
    write_dense(tmp_path, vectors)
    dense = Dense(tmp_path)
    query = vectors[4321] * 0.9 + vectors[17] * 0.1
    picked = Picked(5000, np.array([[4000, 4500]]))
    found = dense.top(query, picked, 3)
    expected = 4000 + np.argsort(-(vectors[4000:4500] @ query))[:3]
    assert found.tolist() == expected.tolist() and found[0] == 4321
    assert dense.top(query, Picked(5000, None), 1).tolist() == [4321]


def test_the_passage_store_reads_rows_by_position_and_documents_by_range(tmp_path):
    chunks = [Chunk(f"{d}:{i}", d, "架空市", "架空事務", "全項目評価書", "Ⅱ > 委託事項1 保守業務", "①委託先名", "key",
                    f"本文{d}{i}", f"本文{d}{i}", (i + 1, i + 1), None, i == 2, value="" if i == 1 else "株式会社")
              for d in ("a.txt", "b.txt") for i in range(3)]
    flags = np.array([HISTORY * c.history + BLANK * (not c.value) for c in chunks], dtype=np.uint8)
    write_passages(tmp_path, chunks, np.array([0] * 3 + [1] * 3), flags, [encode_titles([["保守", "業務"]])] * 6)
    store = PassageStore(tmp_path, ("a.txt", "b.txt"))
    assert len(store) == 6 and store.chunks([4, 0]) == [chunks[4], chunks[0]]
    assert store.of_document(1) == chunks[3:] and list(store) == chunks
    assert store.position("b.txt:2") == 5 and store.position("nope") is None
    fields = store.fields([2, 1])
    assert (fields[0].history, fields[0].blank, fields[1].blank) == (True, False, True)
    assert fields[0].titles == (frozenset({"保守", "業務"}),)


def test_thousands_of_organisations_are_told_apart_by_dict_look_ups():
    digits = "東西南北上下中本新大"
    orgs = ["".join(digits[int(c)] for c in str(n)) + "大市" for n in range(1, 4001)] + ["大分市", "地方職員共済組合"]
    vocab = Vocabulary.of(orgs, ["国民年金に関する事務"])
    assert analyse("西南北大市の国民年金の委託先は？", vocab).orgs == ("西南北大市",)
    assert analyse("Oita shi no itakusaki", vocab).orgs == ("大分市",)
    assert analyse("共済の委託先は？", vocab).orgs == ("地方職員共済組合",)
    assert unknown_organisation("札幌市の委託先は？", vocab) == "札幌市"
    assert unknown_organisation("大分市の委託先は？", vocab) is None


def test_max_score_over_the_whole_corpus_is_the_exact_top_k(tmp_path):
    rng = np.random.default_rng(3)
    tokens = [["事務", "情報"] + [str(w) for w in rng.choice(WORDS, size=int(rng.integers(1, 6)))] for _ in range(3000)]
    write_bm25(tmp_path / "bm25", tokens)  # 事務 and 情報 are in every passage: common, scored last
    lexical = Lexical(tmp_path / "bm25")
    full = bm25s_module().BM25.load(str(tmp_path / "bm25")).get_scores(["事務", "情報", "再委託", "消去"])
    found = lexical.top(["事務", "情報", "再委託", "消去"], Picked(3000, None), 50)
    assert lexical._max_score(["事務", "情報", "再委託", "消去"], Picked(3000, None), 50) is not None  # the bound held
    assert np.allclose(full[found], np.sort(full)[::-1][:50], rtol=1e-5)
