"""A damaged copy of a model export, for the tests of what falls back to torch."""

from __future__ import annotations

import shutil
from pathlib import Path

from index import BUNDLED_MODEL
from index.onnx_embedding import MODEL_FILE, export_directory


def damaged_copy(export: Path, cache: Path) -> Path:
    """Copy `export` into `cache` with its graph cut to 1,000 bytes; returns the graph."""
    damaged = export_directory(cache, BUNDLED_MODEL)
    assert damaged is not None
    shutil.copytree(export, damaged)
    graph = damaged / MODEL_FILE
    graph.write_bytes(graph.read_bytes()[:1000])
    return graph
