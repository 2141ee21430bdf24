"""benchmarks/bench_scale.py's stand-in chunks: chunked as ingest chunks, repeated with
fresh ids, and written into a real (embedded) Chroma where a query finds them with text."""

from __future__ import annotations

import doctest
import json
import sys
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))  # the benchmarks import each other as scripts do

import bench_scale  # noqa: E402
import stand_in  # noqa: E402

from index import Filters, NewsIndex, ingest  # noqa: E402
from index.store import ChromaStore  # noqa: E402

PARAGRAPH = (
    "The council voted on the harbour plan after a long night of talks. "
    "Fishermen said the new quay would cut their costs. "
    "The mayor promised a second vote in spring if the money ran short. "
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Four articles of several chunks each, in the corpus's JSONL shape."""
    path = tmp_path / "corpus.jsonl"
    rows = [
        {
            "id": f"story-{n}",
            "title": f"Harbour plan, part {n}",
            "date": f"2022-06-1{n}",
            "url": f"https://example.org/{n}",
            "text": "\n\n".join(f"{PARAGRAPH}Paragraph {p} of story {n}." for p in range(6)),
        }
        for n in range(4)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("module", [stand_in, bench_scale])
def test_worked_examples_run(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


def test_corpus_chunks_are_the_chunks_ingest_writes(corpus: Path, tmp_path: Path) -> None:
    ours = {c.id for _, chunks in stand_in.corpus_chunks(corpus, None) for c in chunks}
    index = NewsIndex.open(tmp_path / "ix", stand_in.STAND_IN, create=True)
    try:
        ingest(index, [corpus])
        written = {s.chunk.id for s in index.store.scan()}
    finally:
        index.close()
    assert len(ours) > 4  # several chunks per article
    assert ours == written


def test_repeated_makes_exactly_n_chunks_with_fresh_ids(corpus: Path) -> None:
    base = list(stand_in.corpus_chunks(corpus, None))
    per_pass = sum(len(chunks) for _, chunks in base)
    n = 2 * per_pass + 3
    made = [
        (copy, article, c)
        for copy, _, (article, chunks) in stand_in.repeated(base, n)
        for c in chunks
    ]
    assert len(made) == n
    assert len({c.id for _, _, c in made}) == n
    assert {copy for copy, _, _ in made} == {0, 1, 2}
    assert all(article.text[c.start : c.end] == c.text for _, article, c in made)


def test_filled_store_answers_with_the_stand_in_texts(corpus: Path, tmp_path: Path) -> None:
    base = stand_in.read_base(corpus, None)
    texts = stand_in.MemoryTexts()
    store = ChromaStore(tmp_path / "chroma", texts, collection="stand-in")
    n = base.chunks * 2 + 1
    bench_scale.fill_store(store, texts, base, n - 5, "embedded")
    bench_scale.fill_store(store, texts, base, n, "embedded")  # goes on after what is held
    assert store.count() == n
    found = store.query(stand_in.copy_vectors(base.vectors[:1], 2)[0], 3, Filters())
    assert found
    assert found[0].chunk.article_id == f"{base.chunked[0][0].id}~2"
    assert found[0].chunk.text == base.chunked[0][1][0].text
    assert not np.isnan(found[0].distance)
