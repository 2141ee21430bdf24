"""Settings for everything pytest runs, the doctests of index/, qa/ and ui/ included
(tests/conftest.py holds the fixtures of tests/).

Before any library import: no hub, no telemetry, no tokenizer thread fan-out, and none
of the product's NEWSDESK_* settings of the person running the tests (NEWSDESK_TEST_*
configure the test run itself and stay, as in tests/conftest.py).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
for _name in list(os.environ):
    if _name.startswith("NEWSDESK_") and not _name.startswith("NEWSDESK_TEST_"):
        del os.environ[_name]

# the ONNX export of the model (index/onnx_embedding.py) goes to a cache of this run's
# own, not the person's ~/.cache/newsdesk: the first ingest with the real model writes it
os.environ["NEWSDESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsdesk-test-cache-")
atexit.register(shutil.rmtree, os.environ["NEWSDESK_CACHE_DIR"], ignore_errors=True)
