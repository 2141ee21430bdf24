"""A question asking who won: answered by a sentence that tells of a win had, read in the
leads of the best stories too, and declined over a preview. Real Chroma and the real model, on
stories written for the cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from article_desk import desk_over, filler_stories  # tests/ is on sys.path

import qa.service

pytestmark = pytest.mark.model


def _preview() -> dict[str, str]:
    """A story written before the prize is given: it names the prize throughout and
    whoever may win it, never who did."""
    return {
        "id": "peace-prize-preview",
        "title": "Peace prize: the favourites to win",
        "date": "2019-10-10",
        "text": (
            "The Norwegian Nobel Committee will announce the winner of this year's Nobel "
            "Peace Prize on Friday in Oslo. Greta Thunberg is among the favourites to win "
            "the Nobel Peace Prize, bookmakers said. Ethiopia's prime minister could also "
            "win the prize for his peace deal with Eritrea.\n\n"
            "Defending Nobel Peace Prize champion Nadia Murad spoke at a forum in Oslo this "
            "week. The prize, worth about $900,000, will be handed out in December."
        ),
    }


def _results_story() -> dict[str, str]:
    """A long story on an election whose lead tells who won it, once; the paragraphs
    after it name the election again and again, never the winner."""
    lead = (
        "Luiz Inacio Lula da Silva was pronounced the winner of Brazil's presidential "
        "election late on Sunday, the electoral court said. The court's president called "
        "both candidates before midnight, and crowds gathered on Paulista Avenue in Sao "
        "Paulo as the count went on through the evening, with music and flags until dawn. "
        "Street vendors sold grilled corn and cold drinks to families who had come with "
        "their children, and a samba school marched twice around the square. Buses ran "
        "late into the night, and the metro kept its stations open for the crowds, which "
        "the city's police put at several hundred thousand people by one in the morning."
    )
    told = [
        f"Brazil's presidential election was watched in {place}, where the Brazil "
        "election dominated the news for days. Analysts of the Brazil presidential election "
        f"in {place} said turnout in the Brazil election was high, and that the presidential "
        "election in Brazil would be studied for years. The winner of the Brazil election "
        "will take office on January 1."
        for place in ["Lisbon", "Buenos Aires", "Washington", "Madrid", "Luanda", "Santiago"]
    ]
    return {
        "id": "brazil-vote",
        "title": "After the vote",
        "date": "2022-10-31",
        "text": "\n\n".join([lead, *told]),
    }


def _fillers() -> list[dict[str, str]]:
    return filler_stories(
        "A city council approves a new bus route",
        "A museum reopens its sculpture garden",
        "A school district delays its start date",
        "A marathon changes its course downtown",
        "A zoo welcomes two red panda cubs",
    )


def test_a_preview_does_not_say_who_won(tmp_path: Path) -> None:
    with desk_over(tmp_path, _preview(), _results_story(), *_fillers()) as desk:
        answer = desk.ask("Who won the Nobel Peace Prize?")
        favourite = desk.ask("Who is among the favourites to win the Nobel Peace Prize?")
    assert answer.abstained, answer.text
    # the same story still answers what it does tell
    assert not favourite.abstained
    assert "Greta Thunberg" in favourite.citations[0].quote


def test_who_won_is_read_in_the_lead_of_the_best_stories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = _results_story()
    with desk_over(tmp_path, story, _preview(), *_fillers()) as desk:
        question = "Who won the Brazil presidential election?"
        passages = desk.retrieve(question)
        answer = desk.ask(question)
        monkeypatch.setattr(qa.service, "WHOLE_STORIES", 0)
        unread = desk.ask(question)
    # the cap on passages per story leaves the lead out
    told = [p for p in passages if p.article_id == story["id"]]
    assert len(told) == 3 and all("Lula" not in p.text for p in told)
    assert not answer.abstained, answer.notices
    assert answer.citations[0].quote.startswith("Luiz Inacio Lula da Silva was pronounced")
    # without the leads read, no sentence retrieved tells who won
    assert unread.abstained
    assert "No retrieved sentence tells who won." in unread.notices
