"""Question files rewritten as readers also type them: with a name misspelt, as a
headline's shorthand, without capitals, wrapped in a request, naming the articles,
with a sentence of chat around it, or opened as chat opens a question.

    python benchmarks/question_variants.py benchmarks/questions/unseen-*.jsonl \\
        --variant misspelt --out /tmp/misspelt.jsonl
    newsdesk eval /tmp/misspelt.jsonl --index DIR --report /tmp/misspelt

`--variant misspelt`: of every question that names something in a word of five letters or
more (the longest such word of its names, `qa.questions.names.question_names`), one copy
with that word misspelt by one edit, drawn with `random.Random(--seed)`: two inner letters
swapped, an inner letter left out, a letter typed twice, or a vowel typed as another.

`--variant misspelt-word`: the same for the longest word of seven letters or more that the
question writes in lower case and no name of it holds ("maintenance" typed "maintneance").

`--variant headline`: every question that asks what someone said about something in so
many words ("What did Kurt Campbell say about lines of communication?") as an editor
types it: "Kurt Campbell on lines of communication".

`--variant topic-first`: the same questions with the person first, set off by a dash, and a
pronoun in the question: "Kurt Campbell - what did he say about lines of communication?".

`--variant lowercase`: every question, and every question of its history, typed without
capitals, as chat users often type.

`--variant request`: every question wrapped in a request, a frame drawn with
`random.Random(--seed)` ("Can you tell me ...?", "I'd like to know ...", "Do you know
...?"). Where the question asks what someone said ("What did X say about Y?") or who
someone is, half of them in the indirect order a request takes ("what X said about Y",
"who X is"); the others as asked, as chat users also type ("Tell me what did X say").

`--variant articles`: every question naming the articles it is asked of, a phrase drawn
with `random.Random(--seed)`: "According to the article, ...", "Based on the articles,
...", "..., according to the articles?", "... in the article?".

`--variant address`: every question opened as chat users open one, a prefix drawn with
`random.Random(--seed)`: "Q: ", "Question: ", "@newsdesk ", "Hey newsdesk, ", "OK so ",
"Well, ".

`--variant chat`: every question with one sentence a chat user adds, drawn with
`random.Random(--seed)`: after it ("Thanks!", "I'm writing a story about this.", "Keep it
short.", "I need it for a briefing.") or before it ("I'm catching up on the news.",
"Quick one for my editor.").

Everything else of a question (expected answers, gold articles, as_of) is kept, its id
suffixed "-typo", "-wordtypo", "-headline", "-topic", "-lower", "-request", "-articles", "-chat" or
"-address". Questions without the variant are left out, so that the file measures that
variant only.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from qa.questions.names import question_names
from qa.speech.lexicon import SPEECH_LEMMAS, forms
from qa.speech.question import parse_said_question

VOWELS = "aeiou"
MIN_LETTERS = 5


def misspelt(word: str, rng: random.Random) -> str:
    """`word` with one edit that keeps its first letter.

    >>> rng = random.Random(1)
    >>> sorted({misspelt("Kritenbrink", rng) for _ in range(200)})[:3]
    ['Kirtenbrink', 'Kitenbrink', 'Kratenbrink']
    """
    while True:
        kind = rng.choice(("swap", "drop", "double", "vowel"))
        i = rng.randrange(1, len(word) - 1)
        if kind == "swap" and word[i] != word[i + 1]:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == "drop":
            return word[:i] + word[i + 1 :]
        if kind == "double":
            return word[: i + 1] + word[i] + word[i + 1 :]
        if kind == "vowel" and word[i].lower() in VOWELS:
            others = [v for v in VOWELS if v != word[i].lower()]
            return word[:i] + rng.choice(others) + word[i + 1 :]


def misspelt_question(question: str, rng: random.Random) -> tuple[str, str, str] | None:
    """(the question with its longest name word misspelt, the word, its misspelling);
    None where no name word has five letters or more."""
    words = [w for name in question_names(question) for w in re.findall(r"[^\W\d_]+", name)]
    words = [w for w in words if len(w) >= MIN_LETTERS]
    if not words:
        return None
    word = max(words, key=len)
    typo = misspelt(word, rng)
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", typo, question), word, typo


MIN_WORD_LETTERS = 7


def misspelt_word_question(question: str, rng: random.Random) -> tuple[str, str, str] | None:
    """(the question with its longest lower-case word of seven letters or more that no
    name of it holds misspelt, the word, its misspelling); None where it has none."""
    names = {w for name in question_names(question) for w in re.findall(r"[^\W\d_]+", name)}
    words = [
        w
        for w in re.findall(r"[^\W\d_]+", question)
        if len(w) >= MIN_WORD_LETTERS and w.islower() and w not in names
    ]
    if not words:
        return None
    word = max(words, key=len)
    typo = misspelt(word, rng)
    return re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", typo, question, count=1), word, typo


_SAID_ABOUT = re.compile(r"^[Ww]hat did (?P<speaker>.+?) say about (?P<topic>.+?)\?$")


def headline_question(question: str) -> str | None:
    """ "What did X say about Y?" as "X on Y", X named as the service reads it (without
    a description: "Ohio Attorney General Dave Yost" is "Dave Yost"); None for any other
    question, or where the parse of the question does not give Y as written.

    >>> headline_question("What did White House aide Kurt Campbell say about talks?")
    'Kurt Campbell on talks'
    >>> headline_question("Why did Kurt Campbell say so?") is None
    True
    """
    found = _SAID_ABOUT.match(question)
    said = parse_said_question(question)
    if found is None or said is None or said.topic != found.group("topic"):
        return None
    return f"{said.speaker} on {found.group('topic')}"


FRAMES = (
    "Can you tell me {}?",
    "Could you tell me {}?",
    "Tell me {}.",
    "Please tell me {}.",
    "I'd like to know {}.",
    "I want to know {}",
    "Do you know {}?",
    "Hi, can you please tell me {}?",
)
# a speech verb's (or a view's) base form -> (third person, past)
_TENSES = {lemma: tuple(forms(frozenset({lemma}))) for lemma in SPEECH_LEMMAS} | {
    "think": ("thinks", "thought"),
    "expect": ("expects", "expected"),
    "feel": ("feels", "felt"),
}
_ASKED_DID = re.compile(
    r"^(?P<wh>What|How|Why)(?P<adverb> else)? (?P<aux>did|does) (?P<subject>.+?) "
    rf"(?P<verb>{'|'.join(_TENSES)})\b(?P<rest>.*?)\?$"
)
_WHO_IS = re.compile(r"^Who (?P<verb>is|was) (?P<subject>[^?]+)\?$")


def indirect(question: str) -> str | None:
    """A said-question ("What did X say about Y?") or a who-is question in the order a
    request holds it ("what X said about Y", "who X is"); None for other questions.

    >>> indirect("What did Daniel Kritenbrink say about expectations?")
    'what Daniel Kritenbrink said about expectations'
    >>> indirect("Who is Kurt Campbell?")
    'who Kurt Campbell is'
    """
    said = _ASKED_DID.match(question)
    if said is not None:
        third, past = _TENSES[said.group("verb")]
        verb = third if said.group("aux") == "does" else past
        subject, rest = said.group("subject"), said.group("rest")
        return f"{said.group('wh').lower()}{said.group('adverb') or ''} {subject} {verb}{rest}"
    who = _WHO_IS.match(question)
    if who is not None:
        return f"who {who.group('subject')} {who.group('verb')}"
    return None


def request_question(question: str, rng: random.Random) -> str:
    """`question` wrapped in a request drawn from FRAMES; a said-question or who-is
    question in the indirect order half of the time."""
    frame = rng.choice(FRAMES)
    held = indirect(question) if rng.random() < 0.5 else None
    if held is None:
        held = question[:1].lower() + question[1:]
        held = held.rstrip("?. ")
    return frame.format(held)


_OPENING_WORD = re.compile(
    r"(?:What|Who|Whom|Whose|When|Where|Why|How|Which|In|On|By|From|For|At|To|Did|Does|Do|"
    r"Is|Are|Was|Were|Will|Would|Has|Have|Had|Can|Could|Should|Apart|Besides|According)\b"
)
ARTICLE_PHRASES = (
    "According to the article, {}?",
    "Based on the articles, {}?",
    "In the news articles, {}?",
    "{}, according to the articles?",
    "{} in the article?",
)


def articles_question(question: str, rng: random.Random) -> str:
    """`question` naming the articles it is asked of, by a phrase drawn from ARTICLE_PHRASES."""
    phrase = rng.choice(ARTICLE_PHRASES)
    held = question.rstrip("?. ")
    if not phrase.startswith("{") and _OPENING_WORD.match(held):
        held = held[:1].lower() + held[1:]  # "What did ..." follows a comma as "what did ..."
    return phrase.format(held)


ADDRESS_PREFIXES = ("Q: ", "Question: ", "@newsdesk ", "Hey newsdesk, ", "OK so ", "Well, ")


def address_question(question: str, rng: random.Random) -> str:
    """`question` opened by a prefix drawn from ADDRESS_PREFIXES, its first word in lower
    case after one that ends in a comma or a word, as chat users type it."""
    prefix = rng.choice(ADDRESS_PREFIXES)
    if not prefix.endswith(": ") and _OPENING_WORD.match(question):
        question = question[:1].lower() + question[1:]
    return prefix + question


CHAT_AFTER = (
    "Thanks!",
    "I'm writing a story about this.",
    "Keep it short.",
    "I need it for a briefing.",
)
CHAT_BEFORE = ("I'm catching up on the news.", "Quick one for my editor.")


def chat_question(question: str, rng: random.Random) -> str:
    """`question` with a sentence of chat drawn from CHAT_AFTER or CHAT_BEFORE."""
    added = rng.choice(CHAT_AFTER + CHAT_BEFORE)
    return f"{question} {added}" if added in CHAT_AFTER else f"{added} {question}"


def topic_first_question(question: str) -> str | None:
    """ "What did X say about Y?" as "X - what did he say about Y?"; None for any other
    question (as `headline_question`).

    >>> topic_first_question("What did White House aide Kurt Campbell say about talks?")
    'Kurt Campbell - what did he say about talks?'
    """
    headline = headline_question(question)
    if headline is None:
        return None
    speaker, topic = headline.split(" on ", 1)
    return f"{speaker} - what did he say about {topic}?"


# the variants that rewrite the question alone: variant -> (the rewrite, or None where
# the question has no such form; the suffix of its id)
REWRITES: dict[str, tuple[Callable[[str, random.Random], str | None], str]] = {
    "headline": (lambda question, _: headline_question(question), "headline"),
    "topic-first": (lambda question, _: topic_first_question(question), "topic"),
    "request": (request_question, "request"),
    "articles": (articles_question, "articles"),
    "chat": (chat_question, "chat"),
    "address": (address_question, "address"),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("files", nargs="+", type=Path, help="question files (JSON lines)")
    parser.add_argument(
        "--variant", choices=("misspelt", "misspelt-word", "lowercase", *REWRITES), required=True
    )
    parser.add_argument("--out", type=Path, required=True, help="where to write the copies")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    written = 0
    with args.out.open("w", encoding="utf-8") as out:
        for path in args.files:
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                case = json.loads(line)
                if args.variant in ("misspelt", "misspelt-word"):
                    word_typo = args.variant == "misspelt-word"
                    found = (misspelt_word_question if word_typo else misspelt_question)(
                        case["question"], rng
                    )
                    if found is None:
                        continue
                    case["question"], word, typo = found
                    case["id"] = f"{case['id']}-{'wordtypo' if word_typo else 'typo'}"
                    case["note"] = f"{case.get('note', '')}; {word} typed {typo}".lstrip("; ")
                elif args.variant == "lowercase":
                    case["question"], case["id"] = case["question"].lower(), f"{case['id']}-lower"
                    case["history"] = [[q.lower(), a] for q, a in case.get("history") or []]
                else:
                    rewrite, suffix = REWRITES[args.variant]
                    rewritten = rewrite(case["question"], rng)
                    if rewritten is None:
                        continue
                    case["question"], case["id"] = rewritten, f"{case['id']}-{suffix}"
                out.write(json.dumps(case, ensure_ascii=False) + "\n")
                written += 1
    print(f"{written} questions, {args.variant}: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
