"""The `newsdesk` command line: ingest, list, delete, ask, serve, eval.

Errors the user can fix print one line and exit 2; anything else (a bug) prints one
line naming NEWSDESK_DEBUG=1 and exits 1; Ctrl-C exits 130. NEWSDESK_DEBUG=1 (read
through Settings) adds the traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa import (
    ANSWER_MODES,
    Answer,
    Embedder,
    NewsDesk,
    NewsdeskError,
    Settings,
    SettingsError,
    TextDelta,
)
from ui.cli.evaluate import add_eval_parser
from ui.cli.ingesting import print_report, run_ingest

log = logging.getLogger("newsdesk")


def main(argv: Sequence[str] | None = None, *, embedder: Embedder | None = None) -> int:
    """Entry point of the `newsdesk` console script.

    `embedder` replaces the model that `--model` names: tests pass `FakeEmbedder()`.
    """
    previous_sigint = _honour_ctrl_c()
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        args.embedder = embedder
        logging.basicConfig(level=logging.WARNING, format="newsdesk: %(levelname)s: %(message)s")
        _quiet_libraries()
        return _run(args)
    finally:
        if previous_sigint is not None:
            signal.signal(signal.SIGINT, previous_sigint)


def console() -> int:
    """The `newsdesk` console script and `python -m ui.cli`: `main`, then for `ask`, which
    writes nothing, an exit without the interpreter's last garbage collection, which
    walked Chroma's objects for 0.45 s after the answer was printed. (Tests call `main`.)"""
    code = main()
    if sys.argv[1:2] == ["ask"]:
        gc.freeze()  # what is left is freed by the process's exit, not collected first
    return code


def _run(args: argparse.Namespace) -> int:
    """Run the command; every exception ends here as one line (the edge)."""
    try:
        return int(args.handler(args) or 0)
    except NewsdeskError as exc:
        if _debug():
            traceback.print_exc(file=sys.stderr)
        print(f"newsdesk: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "newsdesk: interrupted; what was committed is kept and the next run finishes the rest",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line and a log record, not a raw traceback
        what = f"unexpected {type(exc).__name__}: {' '.join(str(exc).split()) or 'no message'}"
        # the log record is the line the user reads (stderr)
        if _debug():
            log.error("%s; this is a bug in newsdesk, please report it", what, exc_info=True)
        else:
            log.error(
                "%s; this is a bug in newsdesk. Run again with NEWSDESK_DEBUG=1 to see the "
                "traceback, and report it",
                what,
            )
        return 1


def _debug() -> bool:
    """Whether NEWSDESK_DEBUG asks for tracebacks; False when the settings are unusable."""
    try:
        return Settings.from_env().debug
    except NewsdeskError:
        return False


def _honour_ctrl_c() -> Any:
    """Make Ctrl-C (SIGINT) stop newsdesk cleanly, even if its parent ignored it.

    A launcher that runs jobs in the background without job control (a script's `&`,
    some CI runners and supervisors) starts them with SIGINT ignored, and Python then
    keeps ignoring it: an ingest could only be stopped with SIGKILL. Someone who sends
    SIGINT means it, and the interrupted ingest keeps what it committed, so newsdesk
    takes the default handler back. Returns the handler to restore, None when there is
    none (not the main thread, or a handler not set from Python).
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.default_int_handler)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk", description="Ask questions of news articles; every sentence cited."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument(
            "--index", type=Path, help="index directory (default .newsdesk, or NEWSDESK_INDEX_DIR)"
        )
        p.add_argument(
            "--model", help="embedding model name or path (default: the bundled all-MiniLM-L6-v2)"
        )
        p.add_argument(
            "--chroma",
            metavar="URL",
            help="keep the vectors on this Chroma server, http://HOST:PORT "
            "(default: in the index directory, or NEWSDESK_CHROMA_URL)",
        )
        return p

    p = command(
        "ingest",
        "index articles: files or directories (.txt .md .html .jsonl .jsonl.gz, RSS/Atom "
        "feeds .rss .atom .xml) and http(s):// pages or feeds",
    )
    p.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="embed on a Dask cluster: tcp://HOST:PORT of its scheduler, or local:N to start "
        "N worker processes here (needs newsdesk[cluster]; default: in this process, or "
        "NEWSDESK_CLUSTER)",
    )
    p.set_defaults(handler=_ingest)

    p = command("watch", "ingest the article files that appear or change in a folder, until Ctrl-C")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument(
        "--settle",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="a file is read once its size and time have not changed for this long (default 1)",
    )
    p.set_defaults(handler=_watch)

    p = command("list", "list the indexed articles")
    p.add_argument("--json", action="store_true", help="one JSON object per article")
    p.set_defaults(handler=_list)

    p = command("delete", "remove articles from the index")
    p.add_argument("ids", nargs="+", metavar="ARTICLE_ID")
    p.set_defaults(handler=_delete)

    p = command("ask", "answer a question from the indexed articles")
    p.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    p.add_argument(
        "--as-of",
        help="the day the question is asked (YYYY-MM-DD): later articles are ignored, and "
        '"this week", "recently" or "this fall" count back from it',
    )
    p.add_argument("--source", action="append", default=[], help="only this source (repeatable)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--jsonl", action="store_true", help="read JSON questions from stdin, one per line"
    )
    p.add_argument("--mode", choices=ANSWER_MODES, help="answer mode")
    p.add_argument(
        "--llm", help="generative model: local, local:PATH.gguf, openai:MODEL, ollama:MODEL"
    )
    p.set_defaults(handler=_ask)

    p = command("serve", "serve the web chat")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="N serving processes on ports PORT to PORT+N-1, over one index whose vectors "
        "are on a Chroma server (--chroma)",
    )
    p.add_argument(
        "--ingest-if-empty",
        nargs="*",
        type=Path,
        default=None,
        metavar="PATH",
        help="when the index is missing or empty, ingest these first",
    )
    p.add_argument("--mode", choices=ANSWER_MODES, help="default answer mode")
    p.add_argument("--llm", help="generative model, as for ask")
    p.add_argument(
        "--verbose",
        action="store_true",
        help="also log every HTTP request (default: startup, errors, one line per answer)",
    )
    p.set_defaults(handler=_serve)

    add_eval_parser(sub)
    return parser


def _settings(args: argparse.Namespace, **extra: Any) -> Settings:
    return Settings.from_env(
        index_dir=getattr(args, "index", None),
        embedding_model=getattr(args, "model", None),
        chroma_url=getattr(args, "chroma", None),
        cluster=getattr(args, "cluster", None),
        mode=getattr(args, "mode", None),
        llm=getattr(args, "llm", None),
        **extra,
    )


def open_desk(args: argparse.Namespace, *, create: bool = False, **extra: Any) -> NewsDesk:
    """The service for a command's --index/--model options."""
    embedder = getattr(args, "embedder", None)
    return NewsDesk.open(_settings(args, **extra), create=create, embedder=embedder)


def _ingest(args: argparse.Namespace) -> int:
    # ingest is throughput work: let torch use both cores
    desk = open_desk(args, create=True, query_threads=2)
    try:
        report = run_ingest(desk, args.paths, quiet=args.quiet)
    finally:
        desk.close()  # and the cluster it embedded on
    return 1 if report.failed and not (report.added or report.updated or report.unchanged) else 0


def _watch(args: argparse.Namespace) -> int:
    from index.watch import watch

    directory = args.directory.expanduser()
    if not directory.is_dir():
        raise SettingsError(f"{directory} is not a folder: watch a folder that exists")
    desk = open_desk(args, create=True, query_threads=2)
    print(f"watching {directory} (Ctrl-C stops)", file=sys.stderr)

    def on_batch(paths: list[Path]) -> None:
        report = desk.ingest(paths)
        print_report(report, sys.stdout, prefix=time.strftime("%H:%M:%S "))
        sys.stdout.flush()

    try:
        watch(directory, on_batch, settle_seconds=args.settle)
    except KeyboardInterrupt:
        print("stopped watching; everything ingested so far is kept", file=sys.stderr)
    finally:
        desk.close()
    return 0


def _list(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    rows = desk.articles()
    if args.json:
        for r in rows:
            print(json.dumps(r.__dict__, ensure_ascii=False))
        return 0
    if not rows:
        print("no articles indexed: run 'newsdesk ingest PATH...'")
        return 0
    # GROUP: the near-duplicate group; copies of one story share it
    print(f"{'ID':<18} {'DATE':<10} {'SOURCE':<16} {'CHUNKS':>6}  {'GROUP':<16}  TITLE")
    for r in rows:
        title = r.title if len(r.title) <= 70 else r.title[:69] + "…"
        print(
            f"{r.id:<18} {r.date or '-':<10} {(r.source or '-')[:16]:<16} {r.chunks:>6}  "
            f"{r.group or '-':<16}  {title}"
        )
    sizes = Counter(r.group for r in rows if r.group)
    copies = sum(n for n in sizes.values() if n > 1)
    groups = sum(1 for n in sizes.values() if n > 1)
    print(
        f"{len(rows)} articles"
        + (f", {copies} of them in {groups} groups of copies" if groups else "")
    )
    return 0


def _delete(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    deleted = desk.delete(args.ids)
    for article_id in args.ids:
        print(f"{'deleted' if article_id in deleted else 'not found'}: {article_id}")
    return 0 if len(deleted) == len(set(args.ids)) else 1


def _ask(args: argparse.Namespace) -> int:
    if args.jsonl:
        if args.question:
            raise NewsdeskError("give either a QUESTION or --jsonl, not both")
        return _ask_jsonl(args)
    if not args.question:
        raise NewsdeskError('what is the question? usage: newsdesk ask "QUESTION"')
    desk = open_desk(args)
    if args.json:
        answer = desk.ask(args.question, as_of=args.as_of, sources=args.source)
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    final: Answer | None = None
    streamed: list[str] = []
    for event in desk.ask_stream(args.question, as_of=args.as_of, sources=args.source):
        if isinstance(event, TextDelta):
            streamed.append(event.text)
            sys.stdout.write(event.text)
            sys.stdout.flush()
        else:
            final = event
    assert final is not None
    print()
    if _squash("".join(streamed)) != _squash(final.text):
        # a generated answer is checked when the stream ends: markers are renumbered,
        # bad ones dropped, and a fallback may replace it
        print(f"\nchecked answer ({final.mode}):\n{final.text}")
    print(format_sources(final))
    return 0


def _squash(text: str) -> str:
    return "".join(text.split())


def format_sources(answer: Answer) -> str:
    """The numbered sources printed under an answer."""
    lines = []
    for note in answer.notices:
        lines.append(f"note: {note}")
    if answer.unsupported:
        lines.append(
            "unsupported: answer sentence(s) "
            + ", ".join(str(i + 1) for i in answer.unsupported)
            + " are not backed by the passages they cite"
        )
    groups = [("sources:", answer.citations)]
    # an abstention shows the closest passages; an uncited generated answer, the
    # extractive evidence attached in its place
    groups.append(("related passages:" if answer.abstained else "evidence:", answer.related))
    for heading, cited in groups:
        if cited:
            lines.append(heading)
        for c in cited:
            meta = ", ".join(x for x in (c.source, c.date, c.url) if x)
            lines.append(f"[{c.marker}] {c.title or c.article_id}" + (f" ({meta})" if meta else ""))
            lines.append(f'    "{c.quote}"  [{c.article_id} {c.start}:{c.end}]')
            if c.also_in:
                outlets = dict.fromkeys(x.source or x.title or x.article_id for x in c.also_in)
                lines.append(f"    also in: {', '.join(outlets)}")
    return "\n".join(lines)


def _ask_jsonl(args: argparse.Namespace) -> int:
    desk = open_desk(args)
    failures = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or "question" not in request:
                raise ValueError('each line must be an object with a "question"')
            answer = desk.ask(
                request["question"],
                history=request.get("history") or (),
                as_of=request.get("as_of"),
            )
            print(json.dumps(answer.to_dict(), ensure_ascii=False), flush=True)
        except (ValueError, NewsdeskError) as exc:
            failures += 1
            message = f"line {number}: {exc}"
            print(f"newsdesk: error: {message}", file=sys.stderr)
            print(json.dumps({"line": number, "error": str(exc)}), flush=True)
    return 1 if failures else 0


def _serve(args: argparse.Namespace) -> int:
    from ui.cli.workers import check_workers, serve_workers

    check_workers(_settings(args), args.port, args.workers)
    seed = args.ingest_if_empty
    desk = open_desk(args, create=seed is not None)
    if seed is not None and not desk.articles():
        paths = seed or [Path("seeds")]
        listed = ", ".join(map(str, paths))
        print(f"the index at {desk.settings.index_dir} is empty: ingesting {listed}")
        run_ingest(desk, paths)
    # an index from an older version: what answers read is stored once, here, rather
    # than made for every question (and before the workers start, not by each)
    terms, speakers = desk.catch_up()
    if terms or speakers:
        made = [f"the sentence terms of {terms}"] if terms else []
        made += [f"the speakers of {speakers}"] if speakers else []
        print(
            f"stored {' and '.join(made)} articles as this version makes them (once: the "
            "index is from an older version)"
        )
    if args.workers > 1:  # the seed is ingested once, here, not by every worker
        desk.close()
        given = {name: getattr(args, name) for name in ("model", "mode", "llm")}
        options = [f"--{name}={value}" for name, value in given.items() if value]
        options += ["--verbose"] if args.verbose else []
        return serve_workers(desk.settings, args.host, args.port, args.workers, options)
    from ui.web.app import serve

    desk.warm_up()
    # the server's own lines (startup, one per answered question) are info; the
    # rest of the CLI stays at warnings
    logging.getLogger("ui").setLevel(logging.INFO)
    serve(desk, host=args.host, port=args.port, verbose=args.verbose)
    return 0


def _quiet_libraries() -> None:
    for name in ("chromadb", "httpx", "sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # no progress bars from transformers, which reads this when (and if) it is imported:
    # importing it here to say so cost 0.45 s of every command, torch or not
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
