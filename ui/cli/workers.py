"""`newsdesk serve --workers N`: N `newsdesk serve` processes on consecutive ports,
answering from one index whose vectors are on a Chroma server.

Each worker is a whole web chat with its own port (a Gradio session keeps its state in
the process that served the page, so a balancer in front must be sticky). Every worker
notices an ingest, by any process, at its next question: the catalog generation moves.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from qa import Settings, SettingsError

POLL_S = 0.5  # how often the supervisor looks for a worker that exited
STOP_S = 30  # how long a worker gets to stop before it is killed


def check_workers(settings: Settings, port: int, workers: int) -> None:
    """Refuse, with the fix, a --workers value newsdesk cannot serve."""
    if workers < 1:
        raise SettingsError(f"--workers must be 1 or more, not {workers}")
    if workers > 1 and not settings.chroma_url:
        raise SettingsError(
            f"--workers {workers} needs the index's vectors on a Chroma server: with them in "
            "the index directory, a worker does not see the vectors another one adds until "
            "it restarts. Start one ('chroma run --path DIR --port 8000'), build the index "
            "with --chroma http://127.0.0.1:8000, and serve it with the same --chroma"
        )
    if port < 1 or port + workers - 1 > 65535:
        raise SettingsError(
            f"--port {port} with --workers {workers} runs past port 65535: choose a lower --port"
        )


def serve_workers(
    settings: Settings, host: str, port: int, workers: int, options: Sequence[str] = ()
) -> int:
    """Run `workers` `newsdesk serve` processes on ports port, port+1, ... over the index
    of `settings` (plus `options`, such as --mode), until Ctrl-C or SIGTERM stops them
    all or one of them exits. Returns the exit status for the command line."""
    check_workers(settings, port, workers)
    base = [sys.executable, "-m", "ui.cli", "serve", "--index", str(settings.index_dir)]
    base += ["--chroma", str(settings.chroma_url), "--host", host, *options]
    ports = range(port, port + workers)
    previous = _sigterm_interrupts()
    children: list[subprocess.Popen[bytes]] = []
    try:
        for p in ports:  # one at a time, so that an interrupt here still stops those started
            children.append(subprocess.Popen([*base, "--port", str(p)]))
        print(
            f"{workers} workers on http://{host}:{port} to :{ports[-1]} over "
            f"{settings.index_dir}; Ctrl-C stops them",
            flush=True,
        )
        while True:
            for p, child in zip(ports, children, strict=True):
                code = child.poll()
                if code is not None:
                    print(
                        f"newsdesk: error: the worker on port {p} exited (status {code}); "
                        "stopping the others",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(children)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _sigterm_interrupts() -> Any:
    """Let SIGTERM stop the workers as Ctrl-C does; the handler to restore, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, signal.default_int_handler)
