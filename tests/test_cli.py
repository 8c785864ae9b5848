"""The command line as a script or a terminal user meets it: help, usage errors, exit codes, JSON errors,
paths, and questions sent to a running `piaqa serve` (a real server over the real index)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from piaqa.bench import started_server
from piaqa.client import ServerUnavailable, request
from piaqa.errors import QueryError
from piaqa.settings import from_env

HEAVY = ("torch", "faiss", "sentence_transformers", "fugashi", "bm25s")


def piaqa(*args, env=None):
    return subprocess.run([sys.executable, "-m", "piaqa.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def test_help_names_the_environment_exit_codes_and_examples_and_loads_nothing_heavy():
    probe = ("import sys\nfrom piaqa.cli import main\ntry:\n    main(['ask', '--help'])\nexcept SystemExit:\n    pass\n"
             f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "LOADED []" in out
    for expected in ("PIAQA_SERVER", "PIAQA_HOME", "exit codes", "3 not_stated", "examples", "--as-of", "--server"):
        assert expected in out
    assert piaqa("--version").stdout.startswith("piaqa ")


def test_usage_errors_come_before_any_index_or_model_is_opened(tmp_path):
    nowhere = {"PIAQA_INDEX": str(tmp_path / "none"), "PIAQA_CACHE": str(tmp_path / "cache")}
    plain = piaqa("ask", env=nowhere)
    assert plain.returncode == 2 and "give a QUESTION" in plain.stderr and not plain.stdout
    as_json = piaqa("search", "--json", env=nowhere)
    assert as_json.returncode == 2 and json.loads(as_json.stdout)["error"].endswith("give a QUESTION or --batch FILE")
    bad_k = piaqa("ask", "-k", "0", "委託先は？", "--json", env=nowhere)
    assert bad_k.returncode == 2 and "-k" in json.loads(bad_k.stdout)["error"]
    unknown = piaqa("ask", "--city", "千葉市", "委託先は？", env=nowhere)
    assert unknown.returncode == 2 and "--city" in unknown.stderr


def test_errors_under_json_are_json_and_name_the_fix(tmp_path):
    missing = piaqa("ask", "--json", "委託先は？", env={"PIAQA_INDEX": str(tmp_path / "none")})
    error = json.loads(missing.stdout)
    assert missing.returncode == 2 and error["exit"] == 2 and "piaqa index" in error["error"]


def test_an_unreachable_server_is_an_error_that_says_what_to_do():
    with pytest.raises(ServerUnavailable, match="piaqa serve"):
        request("http://127.0.0.1:9", "/ask", {"question": "委託先は？"})
    cli = piaqa("ask", "委託先は？", env={"PIAQA_SERVER": "http://127.0.0.1:9"})
    assert cli.returncode == 2 and "no piaqa server at http://127.0.0.1:9" in cli.stderr


def test_folders_are_the_working_directory_s_or_piaqa_home_s(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    here = from_env({})
    assert (here.corpus_dir, here.index_dir, here.uploads_dir) == (tmp_path / "corpus", tmp_path / "index",
                                                                  tmp_path / "uploads")
    home = from_env({"PIAQA_HOME": str(tmp_path / "pia"), "PIAQA_INDEX": str(tmp_path / "elsewhere")})
    assert home.corpus_dir == tmp_path / "pia" / "corpus" and home.index_dir == tmp_path / "elsewhere"


@pytest.fixture(scope="module")
def server(index, settings):
    env = {**os.environ, "PIAQA_INDEX": str(settings.index_dir), "PIAQA_CACHE": str(settings.cache_dir)}
    env.pop("PIAQA_SERVER", None)
    with started_server(env) as health:
        yield health.removesuffix("/health")


def test_serve_answers_as_the_library_does_and_the_cli_uses_it(index, server):
    from piaqa.answer import answer
    from piaqa.render import answer_dict, answer_text

    question = "大分市の住基の委託先は？"
    via = piaqa("ask", "--json", question, env={"PIAQA_SERVER": server})
    assert via.returncode == 0
    here = answer_dict(answer(index, question))
    there = json.loads(via.stdout)
    assert (there["status"], there["answer"]) == (here["status"], here["answer"]) == ("answered", there["answer"])
    assert [(c["doc"], c["lines"]) for c in there["citations"]] == [(c["doc"], c["lines"]) for c in here["citations"]]
    text = piaqa("ask", "--server", server, question).stdout
    assert text.splitlines()[:2] == answer_text(answer(index, question)).splitlines()[:2]  # Q: …, A: …
    health = json.loads(request(server, "/health")[0])
    assert health["status"] == "ok" and health["documents"] == 5
    listed = json.loads(request(server, "/documents")[0])["documents"]
    assert {d["org"] for d in listed} == {d.org for d in index.documents.values()}


def test_exit_codes_through_the_server(server):
    env = {"PIAQA_SERVER": server}
    assert piaqa("ask", "who is the 再委託先 for 住基 in 大分市", env=env).returncode == 3  # not_stated
    conflict = piaqa("ask", "--json", "--org", "千葉市", "大分市の住基の委託先は？", env=env)
    reply = json.loads(conflict.stdout)
    assert conflict.returncode == 4 and reply["status"] == "no_match"
    assert "大分市" in reply["answer"] and "千葉市" in reply["answer"]  # the contradiction is said, not obeyed
    found = piaqa("search", "--json", "-k", "2", "--affair", "国年", "--org", "Chiba", "委託先名", env=env)
    hits = json.loads(found.stdout)["hits"]
    assert found.returncode == 0 and len(hits) == 2 and {h["org"] for h in hits} == {"千葉市"}
    one = piaqa("search", "--json", "--doc", hits[0]["doc"], "保管期間", env=env)
    assert {h["doc"] for h in json.loads(one.stdout)["hits"]} == {hits[0]["doc"]}


def test_the_server_refuses_unknown_and_out_of_range_fields_by_name(server):
    with pytest.raises(QueryError, match="city.*accepted: question, k, org, affair, form, history, as_of"):
        request(server, "/ask", {"question": "委託先は？", "city": "千葉市"})
    with pytest.raises(QueryError, match="as_of must be a date"):
        request(server, "/search", {"question": "委託先は？", "as_of": "someday"})


def test_batch_through_the_server(server, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps({"id": n, "question": q}, ensure_ascii=False) for n, q in
                                   enumerate(["千葉市の国年の委託先は？", "共済の保管期間は？"])), encoding="utf-8")
    out = tmp_path / "a.jsonl"
    run = piaqa("ask", "--batch", str(questions), "-o", str(out), env={"PIAQA_SERVER": server})
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert run.returncode == 0 and [r["id"] for r in rows] == [0, 1] and all(r["citations"] for r in rows)
