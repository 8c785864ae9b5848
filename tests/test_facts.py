"""The facts table on the real index: one item across every indexed assessment, each value cited."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from piaqa.answer.facts import BLANK, NO_ITEM, UNREAD, facts, facts_csv, item_key
from piaqa.errors import QueryError


def test_every_assessment_has_a_row_and_every_value_is_cited(index):
    table = facts(index, "委託先名")
    assert table.key == "itaku.contractor_name"
    assert {f.doc for f in table.rows} == set(index.documents)
    for fact in table.rows:
        if fact.value not in (BLANK, NO_ITEM, UNREAD):
            assert fact.chunk is not None and fact.chunk.doc == fact.doc and fact.chunk.key == table.key
            assert fact.value.replace(" ", "") in fact.chunk.text.replace(" ", "").replace("\u3000", "")


def test_a_contractor_per_group_as_the_answer_gives_them(index):
    """Every 委託事項 of a document gets its own row, with the value the answer layer gives for that group."""
    from piaqa.answer import answer

    table = facts(index, "委託先名")
    by_doc: dict[str, list] = {}
    for fact in table.rows:
        if fact.group:
            by_doc.setdefault(fact.doc, []).append(fact)
    doc, rows = max(by_doc.items(), key=lambda d: len(d[1]))
    assert len(rows) >= 3 and len({f.group for f in rows}) == len(rows)
    for fact in rows:
        number = fact.group.split(" ")[0]
        said = answer(index, f"{fact.org}の{number}の委託先名は？", doc=doc)
        assert said.answer == fact.value


def test_items_are_named_as_people_name_them(index):
    assert item_key("再委託の有無")[1] == "itaku.subcontract"
    assert item_key("retention period")[1] == "storage.period"
    assert item_key("itaku.handlers")[0] == "委託先における取扱者数"
    recipients = facts(index, "提供先")
    assert recipients.key == "group:提供先" and any(f.group and f.group.startswith("提供先") for f in recipients.rows)
    with pytest.raises(QueryError, match="委託先名"):
        item_key("火星の人口")


def test_csv_and_the_cli(index, settings):
    table = facts(index, "再委託の有無")
    rows = list(csv.DictReader(io.StringIO(facts_csv(table))))
    assert len(rows) == len(table.rows) and rows[0].keys() >= {"org", "affair", "group", "value", "doc", "lines"}
    env = {**os.environ, "PIAQA_INDEX": str(settings.index_dir), "PIAQA_CACHE": str(settings.cache_dir)}
    out = subprocess.run([sys.executable, "-m", "piaqa.cli", "facts", "--json", "再委託の有無"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert [r["value"] for r in json.loads(out)["rows"]] == [r["value"] for r in rows]
