"""The error tree drawn in index/errors.py is the tree the code defines, as httpx
checks its `__all__`: every module of the packages is imported, then
`NewsdeskError.__subclasses__()` is walked and compared with the drawing."""

from __future__ import annotations

import importlib
import pkgutil
import re

import evaluation
import index
import index.errors
import qa
import ui
from index.errors import NewsdeskError

PACKAGES = (index, qa, evaluation, ui)
BRANCH = re.compile(r"^(?P<indent>(?:│   |    )*)[├└]── (?P<name>\w+)(?:.*\[(?P<module>[\w.]+)\])?")


def drawn_tree(doc: str) -> dict[str, tuple[str, str]]:
    """Each drawn class -> (its parent, its module); a child without a module shares
    its parent's.

    >>> drawn_tree("A\\n├── B   x [m]\\n│   └── C\\n└── D   [n]")
    {'B': ('A', 'm'), 'C': ('B', 'm'), 'D': ('A', 'n')}
    """
    lines = doc.splitlines()
    root = next(i for i, line in enumerate(lines) if BRANCH.match(line)) - 1
    drawn: dict[str, tuple[str, str]] = {}
    parents = [(lines[root].strip(), index.errors.__name__)]
    for line in lines[root + 1 :]:
        match = BRANCH.match(line)
        if not match:
            break
        depth = len(match["indent"]) // 4
        parent, parent_module = parents[depth]
        module = match["module"] or parent_module
        drawn[match["name"]] = (parent, module)
        del parents[depth + 1 :]
        parents.append((match["name"], module))
    return drawn


def defined_tree() -> dict[str, tuple[str, str]]:
    for package in PACKAGES:
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not module.name.endswith(".__main__"):  # that one runs the command
                importlib.import_module(module.name)
    found: dict[str, tuple[str, str]] = {}
    stack: list[type[BaseException]] = [NewsdeskError]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.split(".")[0] in {p.__name__ for p in PACKAGES}:
                found[sub.__name__] = (cls.__name__, sub.__module__)
                stack.append(sub)
    return found


def test_the_drawn_error_tree_is_the_defined_one() -> None:
    assert index.errors.__doc__ is not None
    drawn = drawn_tree(index.errors.__doc__)
    assert len(drawn) >= 10  # the drawing was parsed, so the comparison compares something
    assert drawn == defined_tree()


def test_what_a_newsdesk_user_can_meet_is_exported_from_qa() -> None:
    # opening an index, loading its model, settings and questions; the LLM's, the
    # evaluation's and the HTTP API's errors stay in their own modules
    met = [
        name
        for name, (_, module) in defined_tree().items()
        if module in ("index.errors", "index.embedding", "qa.settings", "qa.questions.cleaning")
    ]
    assert len(met) == 9
    for name in met:
        assert name in qa.__all__ and getattr(qa, name).__name__ == name, name
