"""Wire copies in answers and retrieval, on a small real index written here: one AP
story carried by three outlets (re-typeset, trimmed, signed off), two other stories on
the same topic, with the real model and real Chroma."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from index import Article, ArticleRef, NewsIndex
from qa import Answer, Citation, CopyRef, NewsDesk, Settings, SettingsError
from qa.copies import comparable, copies_of, find_sentence, with_copies
from qa.retrieval import HybridRetriever, RetrievalPolicy
from ui.cli import main

AP = """\
Rescue crews in southern Turkey pulled two more survivors from a collapsed apartment \
block on Tuesday, more than a week after the earthquake, officials said.

The two men, aged 21 and 33, were carried out of the rubble in the city of Kahramanmaras \
shortly after dawn and taken to a field hospital, the disaster agency AFAD said.

"We heard a voice under the concrete at about three in the morning," said Mehmet Yilmaz, \
a volunteer from Istanbul. "Nobody slept after that."

The death toll from the quake and its aftershocks has passed 35,000 in Turkey and Syria, \
and aid groups warned that freezing nights were putting hundreds of thousands of homeless \
people at risk.

The government has said it will rebuild the destroyed housing within a year, a promise \
that engineers described as ambitious given the scale of the damage.
"""

# curly quotes, a line break inside a sentence, its own sign-off
USA_TODAY = (
    AP.replace('"We heard', "“We heard")
    .replace('morning,"', "morning,”")
    .replace('"Nobody slept after that."', "“Nobody slept after that.”")
    .replace("the disaster agency", "the disaster\nagency")
    + "\nContributing: Jane Doe, USA TODAY\n"
)
# the same story with one word changed in the survivors' sentence
YAHOO = AP.replace("shortly after dawn", "just after dawn") + "\nMore on Yahoo.\n"

OTHERS = {
    "parliament": "Turkey's parliament on Tuesday approved a three-month state of emergency "
    "in the ten provinces hit by last week's earthquake, giving the government powers to "
    "requisition buildings. Opposition lawmakers asked why building codes had not been "
    "enforced before the quake.",
    "aid": "The United Nations appealed on Tuesday for $1 billion in aid for survivors of the "
    "earthquake in Turkey, saying more than a million people were living in tents. Aid "
    "convoys reached the worst-hit provinces after roads were cleared.",
}


def records() -> list[dict[str, str]]:
    copies = [
        ("ap", AP, "AP", "2023-02-14"),
        ("usatoday", USA_TODAY, "USA Today", "2023-02-14"),
        ("yahoo", YAHOO, "Yahoo News", "2023-02-15"),
    ]
    out = [
        {
            "id": i,
            "text": text,
            "title": f"Two more survivors pulled from rubble ({source})",
            "source": source,
            "date": day,
            "url": f"https://{i}.example.com/quake-survivors",
        }
        for i, text, source, day in copies
    ]
    out += [
        {"id": i, "text": text, "title": i, "source": "Reuters", "date": "2023-02-14"}
        for i, text in OTHERS.items()
    ]
    return out


@pytest.fixture(scope="module")
def quake_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NewsDesk]:
    directory = tmp_path_factory.mktemp("quake")
    news = directory / "news.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    desk = NewsDesk.open(Settings.from_env(index_dir=directory / "index"), create=True)
    desk.ingest([news])
    yield desk
    desk.close()


@pytest.mark.parametrize(
    ("sentence", "text", "found"),
    [
        ('"Yes," he said.', "Then “Yes,” he said. Done.", "“Yes,” he said."),
        ("It's over now.", "Well. It’s  over\nnow. Yes.", "It’s  over\nnow."),
        ("The vote passed.", "The vote passed narrowly.", None),  # a word more is not it
        ("vote passed", "The revote passed.", None),  # not inside a word
        ("The vote passed.", "The Vote passed.", None),  # case is an edit
    ],
)
def test_a_sentence_is_found_whitespace_and_quote_style_aside(
    sentence: str, text: str, found: str | None
) -> None:
    span = find_sentence(sentence, text)
    if found is None:
        assert span is None
    else:
        assert span is not None and text[span[0] : span[1]] == found
        assert comparable(found)[0] == comparable(sentence)[0]


def test_copies_of_a_citation_are_exact_spans_one_per_copy() -> None:
    quote = '"We heard a voice under the concrete at about three in the morning," said Mehmet'
    citation = Citation(1, ArticleRef("ap"), quote, 0, 0, 1.0)
    copies = [Article("usatoday", USA_TODAY, source="USA Today"), Article("yahoo", YAHOO)]
    found = copies_of(citation, copies)
    assert [c.article_id for c in found] == ["usatoday", "yahoo"]
    usatoday = found[0]
    assert USA_TODAY[usatoday.start : usatoday.end].startswith("“We heard a voice")
    assert comparable(USA_TODAY[usatoday.start : usatoday.end])[0] == comparable(quote)[0]


@pytest.mark.model
def test_a_cited_sentence_says_which_copies_also_carry_it(quake_desk: NewsDesk) -> None:
    answer = quake_desk.ask("What did Mehmet Yilmaz hear under the concrete?")
    assert not answer.abstained and answer.citations
    heard = [c for c in answer.citations if "heard a voice" in c.quote]
    assert heard, answer.text
    citation = heard[0]
    others = {"ap", "usatoday", "yahoo"} - {citation.article_id}
    assert {c.article_id for c in citation.also_in} == others  # Yahoo kept this sentence
    for copy in citation.also_in:
        text = quake_desk.article(copy.article_id).text
        assert comparable(text[copy.start : copy.end])[0] == comparable(citation.quote)[0]
        assert copy.source and copy.url.startswith("https://")
    data = answer.to_dict()["citations"][answer.citations.index(citation)]["also_in"]
    assert data == [c.to_dict() for c in citation.also_in]
    assert set(data[0]) == {"article_id", "title", "source", "url", "start", "end"}


@pytest.mark.model
def test_an_edited_sentence_is_not_claimed_for_the_copy_that_edited_it(
    quake_desk: NewsDesk,
) -> None:
    answer = quake_desk.ask("When were the two men carried out of the rubble in Kahramanmaras?")
    dawn = [c for c in answer.citations if "after dawn" in c.quote]
    assert dawn, answer.text
    for citation in dawn:
        claimed = {c.article_id for c in citation.also_in}
        assert "yahoo" not in claimed or citation.article_id == "yahoo"
        assert all(isinstance(c, CopyRef) for c in citation.also_in)
    # as_of before Yahoo's day: its copy is not offered either way
    early = quake_desk.ask("What did Mehmet Yilmaz hear under the concrete?", as_of="2023-02-14")
    assert early.citations
    assert all(c.article_id != "yahoo" for x in early.citations for c in x.also_in)


@pytest.mark.model
def test_plain_ask_names_the_outlets_that_also_carry_a_sentence(
    quake_desk: NewsDesk, capsys: pytest.CaptureFixture[str]
) -> None:
    index = ["--index", str(quake_desk.settings.index_dir)]
    assert main(["ask", "What did Mehmet Yilmaz hear under the concrete?", *index]) == 0
    out = capsys.readouterr().out
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith("also in:")]
    assert lines, out
    named = set(lines[0].removeprefix("also in: ").split(", "))
    assert len(named) == 2 and named <= {"AP", "USA Today", "Yahoo News"}


@pytest.mark.model
def test_the_cap_is_per_group_and_the_copy_nearest_as_of_is_kept(
    quake_desk: NewsDesk,
) -> None:
    index: NewsIndex = quake_desk._index
    question = "survivors pulled from the rubble of a collapsed apartment block in Turkey"
    per_article = HybridRetriever(index, RetrievalPolicy(k=4, per_article_cap=1, cap_by="article"))
    per_group = HybridRetriever(index, RetrievalPolicy(k=4, per_article_cap=1))
    before = [p.article_id for p in per_article.retrieve(question)]
    assert {"ap", "usatoday", "yahoo"} <= set(before)  # the copies crowd the passages
    after = [p.article_id for p in per_group.retrieve(question)]
    # one copy, the newest and longest; the others' same chunks give way to it, so the
    # other two stories come in (the spare slot goes to Yahoo's other chunk)
    assert len(after) == 4 and set(after) == {"aid", "parliament", "yahoo"}
    # on 2023-02-14 Yahoo's copy does not exist yet: USA Today's, longer than AP's
    dated = [p.article_id for p in per_group.retrieve(question, as_of=date(2023, 2, 14))]
    assert set(dated) == {"aid", "parliament", "usatoday"}


def test_settings_refuse_an_unknown_cap() -> None:
    with pytest.raises(SettingsError, match="cap_by must be 'group' or 'article'"):
        Settings(cap_by="outlet")


def test_an_answer_without_citations_has_nothing_to_copy() -> None:
    answer = Answer("q", "text", (), True)
    assert with_copies(answer, {"x": [Article("y", "text")]}) is answer
