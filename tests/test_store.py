"""The on-disk index without the model: generations written with their own manifest, a torn manifest
recovered from the last complete generation, and a write that fails (file size limit, as on a full disk)
leaving the previous index and nothing partial."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from piaqa.errors import IndexMissing
from piaqa.models import Chunk
from piaqa.store import FORMAT, DocEntry, Manifest, next_generation, read_generation, read_manifest, write_generation


def chunks_of(doc: str, n: int = 3) -> list[Chunk]:
    return [Chunk(f"{doc}:{i}", doc, "架空市", "架空事務", "全項目評価書", "Ⅱ", "①項目", None, f"本文{i}",
                  f"本文{i}", (i + 1, i + 1), None, False, value=f"本文{i}") for i in range(n)]


def write(index_dir, doc: str, previous: str | None = None) -> Manifest:
    chunks = chunks_of(doc)
    vectors = np.eye(len(chunks), 8, dtype=np.float32)
    manifest = Manifest(FORMAT, next_generation(index_dir), {"model": "test"},
                        (DocEntry(doc, doc, "0" * 64, "架空市", "架空事務", "全項目評価書", len(chunks)),))
    write_generation(index_dir, manifest, chunks, vectors, [["本文", str(i)] for i in range(len(chunks))], previous)
    return manifest


def test_each_generation_keeps_its_manifest_and_the_previous_one_is_kept(tmp_path):
    first = write(tmp_path, "a.txt")
    second = write(tmp_path, "b.txt", previous=first.generation)
    third = write(tmp_path, "c.txt", previous=second.generation)
    assert sorted(p.name for p in tmp_path.glob("gen-*")) == [second.generation, third.generation]
    assert json.loads((tmp_path / third.generation / "manifest.json").read_text(encoding="utf-8"))["generation"] == third.generation
    assert read_manifest(tmp_path) == third


@pytest.mark.parametrize("damage", [b"", b'{"format": 1, "generation": "gen-00', b"\x00\x00\x00"])
def test_a_torn_manifest_is_recovered_from_the_last_complete_generation(tmp_path, caplog, damage):
    first = write(tmp_path, "a.txt")
    second = write(tmp_path, "b.txt", previous=first.generation)
    (tmp_path / "manifest.json").write_bytes(damage)  # what a power cut can leave
    recovered = read_manifest(tmp_path)
    assert recovered == second and "damaged" in caplog.text and second.generation in caplog.text
    assert read_manifest(tmp_path) == second  # written back whole
    chunks, _ = read_generation(tmp_path, recovered)
    assert {c.doc for c in chunks} == {"b.txt"}


def test_a_torn_manifest_with_no_complete_generation_names_the_fix(tmp_path):
    write(tmp_path, "a.txt")
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    for gen in tmp_path.glob("gen-*"):
        (gen / "manifest.json").unlink()
    with pytest.raises(IndexMissing, match="piaqa index --rebuild"):
        read_manifest(tmp_path)


FAILING_WRITE = """
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_store import chunks_of
import numpy as np
from piaqa.errors import IndexMissing
from piaqa.store import FORMAT, DocEntry, Manifest, next_generation, write_generation
index_dir = Path({index!r})
chunks = chunks_of("big.txt", 2000)
manifest = Manifest(FORMAT, next_generation(index_dir), {{"model": "test"}}, (DocEntry("big.txt", "big.txt", "0" * 64, None, None, None, 2000),))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))  # any file over 20 kB fails, as on a full disk
try:
    write_generation(index_dir, manifest, chunks, np.ones((2000, 8), np.float32), [["本文"]] * 2000)
except IndexMissing as exc:
    print(exc)
"""


def test_a_write_that_fails_leaves_the_previous_index_and_nothing_partial(tmp_path):
    first = write(tmp_path, "a.txt")
    before = sorted(p.name for p in tmp_path.iterdir())
    script = FAILING_WRITE.format(tests=str(Path(__file__).parent), index=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "could not write the index" in result.stdout and "previous index is unchanged" in result.stdout, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no .tmp, no new generation
    assert read_manifest(tmp_path) == first


def entry(source: str, published: str | None, number: str | None = "22", org: str = "架空市") -> DocEntry:
    return DocEntry(source, source, "0" * 64, org, "国民年金に関する事務", "全項目評価書", 1, number, published)


def test_a_later_version_of_the_same_assessment_supersedes_the_earlier():
    from piaqa.store import superseded

    docs = (entry("v1.txt", "令和元年10月11日"), entry("v2.txt", "令和6年4月1日"), entry("other.txt", "令和2年1月1日", "23"),
            entry("elsewhere.txt", "平成30年1月1日", org="別市"))
    assert superseded(docs) == {"v1.txt": "v2.txt"}  # other numbers and other organisations are other assessments
    assert superseded((entry("a.txt", "令和6年4月1日"), entry("b.txt", "令和6年4月1日"))) == {}  # no order: both kept
    assert superseded((entry("a.txt", None), entry("b.txt", "令和6年4月1日"))) == {}
