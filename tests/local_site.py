"""Real HTTP servers on 127.0.0.1 for tests that fetch pages and feeds: each path
answers as its `Route` says (status, body, headers, a delay, a stream), and every
request is recorded. Used by tests/index/test_fetch.py and the web chat's tests through
the `serve` fixture of tests/conftest.py."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the test server answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    stream: int = 0  # bytes sent without a Content-Length, instead of `body`


@dataclass
class Site:
    """A real HTTP server on 127.0.0.1, its routes and the requests it saw."""

    server: ThreadingHTTPServer
    routes: dict[str, Route]
    seen: list[tuple[str, dict[str, str]]]  # (path, request headers), in order
    release: threading.Event  # set at teardown: delayed answers give up at once

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.seen]


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:
        site = self.server.site
        site.seen.append((self.path, dict(self.headers.items())))
        route = site.routes.get(self.path, Route(404, b"not found", {"Content-Type": "text/plain"}))
        if route.delay and site.release.wait(route.delay):
            return
        try:
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.stream:
                self.end_headers()  # HTTP/1.0: the body ends when the connection closes
                block = b"x" * 65536
                for _ in range(route.stream // len(block)):
                    self.wfile.write(block)
            else:
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
        except OSError:
            pass  # the client hung up, as the size and timeout tests make it

    def log_message(self, format: str, *args: object) -> None:
        pass


class _SiteServer(ThreadingHTTPServer):
    site: Site


Serve = Callable[[dict[str, Route]], Site]


@contextmanager
def local_sites() -> Iterator[Serve]:
    """Start sites while the block runs: `start({"/path": Route(...)})` gives a running
    `Site`; all are shut down at the end. The `serve` fixture of tests/conftest.py wraps this."""
    started: list[tuple[Site, threading.Thread]] = []

    def start(routes: dict[str, Route]) -> Site:
        server = _SiteServer(("127.0.0.1", 0), _Handler)
        site = Site(server, dict(routes), [], threading.Event())
        server.site = site
        # a short poll, so that shutdown() at teardown returns at once
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        started.append((site, thread))
        return site

    try:
        yield start
    finally:
        for site, thread in started:
            site.release.set()
            site.server.shutdown()
            site.server.server_close()
            thread.join(timeout=5)


def html(body: str, charset: str = "utf-8") -> Route:
    return Route(
        body=body.encode(charset), headers={"Content-Type": f"text/html; charset={charset}"}
    )


def redirect(to: str, status: int = 302) -> Route:
    return Route(status, headers={"Location": to})
