"""Questions on an outcome: who won is answered by a sentence that tells of a win had,
how someone died by one that tells how; both read in the leads of the best stories too,
and declined over a preview or the bare news of a death. Real Chroma and the real model,
on stories written for the cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from article_desk import desk_over, filler_stories, read_and_unread  # tests/ is on sys.path

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
        passages, answer, unread = read_and_unread(
            desk, "Who won the Brazil presidential election?", monkeypatch
        )
    # the cap on passages per story leaves the lead out
    told = [p for p in passages if p.article_id == story["id"]]
    assert len(told) == 3 and all("Lula" not in p.text for p in told)
    assert not answer.abstained, answer.notices
    assert answer.citations[0].quote.startswith("Luiz Inacio Lula da Silva was pronounced")
    # without the leads read, no sentence retrieved tells who won
    assert unread.abstained
    assert "No retrieved sentence tells who won." in unread.notices


def test_who_won_in_a_year_is_not_told_by_a_story_of_an_earlier_year(tmp_path: Path) -> None:
    race = {
        "id": "grand-prix-2022",
        "title": "Verstappen wins the Mexican Grand Prix",
        "date": "2022-10-30",
        "text": (
            "Max Verstappen won the Mexican Grand Prix on Sunday, his 14th win of the "
            "season. Lewis Hamilton finished second in Mexico City."
        ),
    }
    golf = {
        "id": "golf-2023",
        "title": "Woods makes the cut at the Masters",
        "date": "2023-04-08",
        "text": (
            "Tiger Woods made the cut at the Masters on Friday, years after winning the "
            "2019 Masters. The 2023 Masters ends on Sunday in Augusta."
        ),
    }
    with desk_over(tmp_path, race, golf, *_fillers()) as desk:
        this_year = desk.ask("Who won the 2022 Mexican Grand Prix?")
        next_year = desk.ask("Who won the 2023 Mexican Grand Prix?")
        masters = desk.ask("Who won the 2023 Masters?")
    assert not this_year.abstained, this_year.notices
    assert "Max Verstappen" in this_year.citations[0].quote
    # a story of 2022 tells no win of 2023, nor "winning the 2019 Masters" the 2023 one
    assert next_year.abstained, next_year.text
    assert "No retrieved sentence tells who won in 2023." in next_year.notices
    assert masters.abstained, masters.text


def _obituaries() -> list[dict[str, str]]:
    """Two obituaries: one gives the cause of death and names a living colleague, one
    gives only the death."""
    return [
        {
            "id": "obituary-cause",
            "title": "Jazz pianist Mara Quell dies at 81",
            "date": "2023-03-02",
            "text": (
                "Mara Quell, the jazz pianist whose trio recordings defined a decade of "
                "Chicago clubs, has died. She was 81. Quell died of pancreatic cancer on "
                "Tuesday at a hospital in Evanston, her son, the drummer Tobias Quell, said. "
                "She recorded more than forty albums and taught at the city's conservatory "
                "for twenty years. Her bassist of three decades, Dov Arlen, will play at a "
                "memorial concert in April."
            ),
        },
        {
            "id": "obituary-no-cause",
            "title": "Stage designer Ilse Brandauer dead at 77",
            "date": "2023-03-03",
            "text": (
                "Ilse Brandauer, the stage designer behind dozens of Broadway revivals, has "
                "died. She was 77. Brandauer died Saturday while visiting family in Seattle, "
                "her agent said. Her brother, the painter Karl Brandauer, shared the news "
                "with friends."
            ),
        },
    ]


def test_how_someone_died_is_answered_only_by_how(tmp_path: Path) -> None:
    with desk_over(tmp_path, *_obituaries(), *_fillers()) as desk:
        told = desk.ask("How did Mara Quell die?")
        untold = desk.ask("What was Ilse Brandauer's cause of death?")
        alive = desk.ask("How did Dov Arlen die?")
    assert not told.abstained, told.notices
    assert any("died of pancreatic cancer" in c.quote for c in told.citations)
    # the bare news of a death, "died Saturday while visiting family", says not how
    assert untold.abstained, untold.text
    notice = "No sentence close enough to quote tells how the death came about."
    assert notice in untold.notices
    # her bassist is named in her obituary, not dead himself
    assert alive.abstained, alive.text


def _long_obituary() -> dict[str, str]:
    """An obituary that names its subject paragraph after paragraph and says, once and
    last, that no cause of death was given."""
    career = [
        f"Rolf Anders wrote his {work} in {year}, and Anders conducted its premiere in "
        f"{city}. Critics called the Anders {work} the finest of the decade, and Anders "
        "recorded it twice with the orchestra he led for thirty years."
        for work, year, city in [
            ("first symphony", "1961", "Vienna"),
            ("violin concerto", "1968", "Munich"),
            ("second symphony", "1974", "Zurich"),
            ("requiem", "1983", "Salzburg"),
            ("cello sonata", "1990", "Berlin"),
            ("third symphony", "1999", "Hamburg"),
        ]
    ]
    return {
        "id": "obituary-long",
        "title": "Composer Rolf Anders dies at 88",
        "date": "2023-04-02",
        "text": "\n\n".join(
            [
                "Rolf Anders, the composer whose symphonies filled the concert halls of "
                "Europe, has died. He was 88.",
                *career,
                "No cause of death was given.",
            ]
        ),
    }


def test_how_someone_died_is_read_in_their_obituary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    obituary = _long_obituary()
    with desk_over(tmp_path, obituary, *_obituaries(), *_fillers()) as desk:
        question = "How did Rolf Anders die?"
        answer = desk.ask(question)
        monkeypatch.setattr(qa.service, "obituary_answer", lambda *args: None)
        unread = desk.ask(question)
    assert not answer.abstained, answer.notices
    assert [c.quote for c in answer.citations] == ["No cause of death was given."]
    assert answer.citations[0].article_id == obituary["id"]
    # without the obituary read, its last line (no word of the question) scores too low
    # to quote, and the news of the death says not how
    assert unread.abstained
    assert "No sentence close enough to quote tells how the death came about." in unread.notices


def _parade() -> dict[str, str]:
    """A story on a parade that gives its day in the lead and its hour once, further in."""
    return {
        "id": "winterfest-parade",
        "title": "Winterfest light parade: route and floats",
        "date": "2022-11-30",
        "text": (
            "Norwich's annual Winterfest parade Saturday will, for the first time, be a "
            "lighted display, with more than a dozen illuminated floats rolling through "
            "downtown. The parade route runs along Main Street past City Hall. Organizers "
            "said the parade has grown every year since it began in 1998. The light parade "
            "will set off at 6 p.m. from the Chelsea Groton Bank on Main Street."
        ),
    }


def test_what_time_is_answered_by_a_time_of_day(tmp_path: Path) -> None:
    with desk_over(tmp_path, _parade(), *_obituaries(), *_fillers()) as desk:
        told = desk.ask("What time does the Winterfest light parade start?")
        untold = desk.ask("What time does the Norwich marathon start?")
    assert not told.abstained, told.notices
    assert told.citations[0].quote.startswith("The light parade will set off at 6 p.m.")
    # the marathon's day is in no story, nor any hour: the parade's is not the marathon's
    assert untold.abstained, untold.text
