"""Embedding on a Dask cluster: `ClusterEmbedder` splits each batch over the workers.

The ingest does not know it is distributed: it calls `embed` or `embed_pooled` on this
object as on any embedder, and reading, chunking and the catalog's pending/complete
bookkeeping stay in the calling process (the coordinator). Only texts go out and only
vectors come back, so a worker that dies loses nothing but the part it was embedding:
the scheduler gives that part to another worker, and if it cannot, the batch fails
before anything was written and the next ingest redoes it.

Each worker loads the model once, on its first part, through `make_embedder`, so its
vectors are the ones the coordinator would have made; `name` and `dimension` are the
coordinator's, so an index built this way is the same index.

Dask's `distributed` is the optional extra `newsdesk[cluster]`: nothing here imports it
until a cluster is reached.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embedding import SentenceTransformerEmbedder, Spans, Vectors, make_embedder
from index.errors import NewsdeskError

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

LOCAL = re.compile(r"local:(?P<workers>\d+)")
CONNECT_TIMEOUT_S = 10.0  # to reach a scheduler, and for a cluster to show one worker
# fewer texts than this are embedded here: a question, or a one-sentence article, costs
# more to ship than to embed
MIN_REMOTE_TEXTS = 16
INSTALL = "pip install 'newsdesk[cluster]' (Dask's distributed)"


class ClusterError(NewsdeskError):
    """The cluster named for ingest cannot be used."""


class ClusterEmbedder:
    """An `Embedder` whose batches are embedded on a Dask cluster, in order.

    Args:
        address: a Dask scheduler (`tcp://HOST:PORT`), or `local:N` to start N worker
            processes of one thread each on this machine for as long as this object lives.
        model: the embedding model name, as for `make_embedder`; every worker loads it.
        precision: as for `make_embedder`.
        threads: torch threads of this process's own copy of the model, which counts word
            pieces for chunking and embeds batches too small to ship.
    """

    def __init__(
        self,
        address: str,
        model: str,
        *,
        precision: str = "auto",
        threads: int | None = None,
        timeout_s: float = CONNECT_TIMEOUT_S,
    ) -> None:
        self.address = address.strip()
        self.local_workers = _local_workers(self.address)
        if importlib.util.find_spec("distributed") is None:
            raise ClusterError(
                f"--cluster needs Dask's distributed, which is not installed: {INSTALL}"
            )
        self._local = make_embedder(model, threads=threads, precision=precision)
        self.name = self._local.name
        self.precision = precision
        self.timeout_s = timeout_s
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._lock = threading.Lock()

    # -- the Embedder protocol: identity and word pieces are the local model's

    @property
    def dimension(self) -> int:
        return self._local.dimension

    @property
    def max_tokens(self) -> int:
        return self._local.max_tokens

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        return self._local.token_counts(texts)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if len(texts) < MIN_REMOTE_TEXTS:
            return self._local.embed(texts)
        parts, results = self._run(_embed_part, texts)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for part, vectors in zip(parts, results, strict=True):
            out[part] = vectors
        return out

    def embed_pooled(
        self, texts: Sequence[str], spans: Sequence[Spans]
    ) -> tuple[Vectors, list[np.ndarray]]:
        """PoolingEmbedder's `embed_pooled`, each text's spans going out with it."""
        if len(texts) < MIN_REMOTE_TEXTS:
            return self._local.embed_pooled(texts, spans)
        parts, results = self._run(_embed_pooled_part, texts, spans)
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        sums: list[np.ndarray] = [np.zeros(0)] * len(texts)
        for part, (part_vectors, part_sums) in zip(parts, results, strict=True):
            vectors[part] = part_vectors
            for i, rows in zip(part, part_sums, strict=True):
                sums[i] = rows
        return vectors, sums

    @property
    def mean_pooling(self) -> bool:
        """Whether `embed_pooled` can pool the model's spans (the local copy's answer)."""
        return self._local.mean_pooling

    def _run(
        self, task: Callable[..., Any], texts: Sequence[str], spans: Sequence[Spans] | None = None
    ) -> tuple[list[list[int]], list[Any]]:
        """`task(model, precision, texts[, spans])` on parts of the texts dealt over the
        workers, each text's spans going with it: the parts and each part's result, in
        order."""
        client = self.connect()
        from distributed import CancelledError, KilledWorker

        parts = deal([len(t) for t in texts], self._worker_threads(client))
        try:
            futures = [
                client.submit(
                    task,
                    self.name,
                    self.precision,
                    [texts[i] for i in part],
                    *([] if spans is None else [[spans[i] for i in part]]),
                    pure=False,
                )
                for part in parts
            ]
            return parts, client.gather(futures)
        except ImportError as exc:  # raised on a worker that lacks newsdesk
            raise ClusterError(
                f"the workers of the cluster at {self.address} cannot run newsdesk ({exc}): "
                "install newsdesk, the same version, on every worker"
            ) from None
        except (KilledWorker, CancelledError, OSError, TimeoutError) as exc:
            # a part whose workers kept dying, or the scheduler lost; the batch was not
            # written, so the next ingest redoes it
            raise ClusterError(
                f"the cluster at {self.address} failed while embedding "
                f"({type(exc).__name__}: {_one_line(exc)}); what was committed is kept, "
                "and the next ingest finishes the rest"
            ) from None

    # -- the cluster

    def connect(self) -> Client:
        """Reach the cluster (start it, for `local:N`) and wait for a worker; the first
        call does the work. Raises ClusterError naming the address when it cannot."""
        with self._lock:
            if self._client is None:
                self._client = self._start()
            return self._client

    def warm_up(self) -> None:
        """Reach the cluster and load the model here and on every worker now, rather
        than in the first batch (a benchmark times the two apart)."""
        self._local.embed(["warm up"])
        client = self.connect()
        loads = [
            client.submit(
                _embed_part, self.name, self.precision, ["warm up"], workers=[w], pure=False
            )
            for w in client.nthreads()
        ]
        client.gather(loads)

    def close(self) -> None:
        """Let go of the cluster; a `local:N` one stops."""
        with self._lock:
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def _start(self) -> Client:
        from distributed import Client, LocalCluster

        if self.local_workers is not None:
            # the scheduler and nannies of a local cluster live in this process and log
            # every step at INFO (importing distributed sets that level): a command
            # line shows errors only. A worker slow to exit after its model's run is killed
            # by its nanny, harmlessly, with a warning: silenced too
            logging.getLogger("distributed").setLevel(logging.ERROR)
            try:
                self._cluster = LocalCluster(
                    n_workers=self.local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    # the scheduler serves HTTP even without a dashboard, by default on
                    # 8787, and warns on stderr when that port is taken (another Dask, a
                    # Jupyter): any free port instead
                    dashboard_address="127.0.0.1:0",
                    # the workers' own logs too: on a loaded machine a worker still
                    # beating when the scheduler stops logs a traceback at ERROR; a task
                    # that fails reaches this process as its exception, and one line
                    silence_logs=logging.CRITICAL,
                )
                return Client(self._cluster, set_as_default=False)
            except (RuntimeError, OSError) as exc:  # a worker process that cannot start
                if self._cluster is not None:
                    self._cluster.close()
                    self._cluster = None
                raise ClusterError(
                    f"cannot start a local cluster of {self.local_workers} workers "
                    f"({type(exc).__name__}: {_one_line(exc)})"
                ) from None
        try:
            client = Client(self.address, timeout=self.timeout_s, set_as_default=False)
        except (OSError, ValueError, TypeError) as exc:
            raise ClusterError(
                f"cannot reach a Dask scheduler at {self.address} ({_one_line(exc)}): start "
                f"one there ('dask scheduler', then 'dask worker {self.address}' on each "
                "machine), or use --cluster local:N for N workers on this machine"
            ) from None
        try:
            client.wait_for_workers(1, timeout=self.timeout_s)
        except (OSError, TimeoutError):
            client.close()
            raise ClusterError(
                f"the Dask scheduler at {self.address} has no workers after "
                f"{self.timeout_s:g} s: start some with 'dask worker {self.address}'"
            ) from None
        return client

    def _worker_threads(self, client: Client) -> int:
        return max(1, sum(client.nthreads().values()))


def deal(lengths: Sequence[int], parts: int) -> list[list[int]]:
    """Indices of texts dealt into at most `parts` lists, longest first and round the
    table, so that the lists are of even work and each is nearly sorted by length (the
    model pads a batch to its longest text).

    >>> deal([5, 1, 9, 3, 7], 2)
    [[2, 0, 1], [4, 3]]
    >>> deal([4], 3)
    [[0]]
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return [order[k::parts] for k in range(min(parts, len(order)))]


def _local_workers(address: str) -> int | None:
    """N for `local:N`, None for a scheduler address.

    >>> _local_workers("local:2"), _local_workers("localhost:8786")
    (2, None)
    """
    if not address:
        raise ClusterError("the cluster address is empty: give local:N or tcp://HOST:PORT")
    if address != "local" and not address.startswith("local:"):
        return None  # localhost:8786 is a scheduler's address
    match = LOCAL.fullmatch(address)
    if match is None or int(match["workers"]) < 1:
        raise ClusterError(
            f"cluster {address!r} is not local:N with N at least 1: say how many worker "
            f"processes to start, e.g. local:{os.cpu_count() or 2}"
        )
    return int(match["workers"])


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or "no message"


# -- on the workers

_worker_models: dict[tuple[str, str], SentenceTransformerEmbedder] = {}
_worker_lock = threading.Lock()


def _embed_part(model: str, precision: str, texts: list[str]) -> Vectors:
    """Runs on a worker: embed `texts` with the worker's copy of the model, loaded once."""
    return _worker_embedder(model, precision).embed(texts)


def _embed_pooled_part(
    model: str, precision: str, texts: list[str], spans: list[Spans]
) -> tuple[Vectors, list[np.ndarray]]:
    """Runs on a worker: `embed_pooled` with the worker's copy of the model."""
    return _worker_embedder(model, precision).embed_pooled(texts, spans)


def _worker_embedder(model: str, precision: str) -> SentenceTransformerEmbedder:
    with _worker_lock:
        embedder = _worker_models.get((model, precision))
        if embedder is None:
            # the bundled model is on disk; a hub name must be too (in the worker's
            # cache): a fleet of workers must not each fetch a model from the hub
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            # one torch thread per task: the worker's threads are its parallelism
            embedder = make_embedder(model, threads=1, precision=precision)
            embedder.embed(["warm up"])  # load under the lock, once per process
            _worker_models[(model, precision)] = embedder
        return embedder
