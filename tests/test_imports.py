"""Import structure: a light CLI start-up path, no import cycle between subpackages, a pure core."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "summarizer")

# Libraries that cost a large part of the 0.5 s start-up budget each (NLTK with scipy: seconds).
HEAVY = (
    "nltk",
    "numpy",
    "scipy",
    "sklearn",
    "lightgbm",
    "sumy",
    "trafilatura",
    "lxml",
    "telegram",
    "httpx",
    "matplotlib",
)

_STARTUP = """
import json, sys
from bot.__main__ import main
try:
    main(["--help"])
except SystemExit:
    pass
help_modules = sorted(sys.modules)
code = main(["--db", sys.argv[1], "stories"])
code_json = main(["--db", sys.argv[1], "stories", "--json"])
with open(sys.argv[2], "w") as fh:
    json.dump({"help": help_modules, "stories": sorted(sys.modules), "codes": [code, code_json]}, fh)
"""


def _heavy(modules: list[str]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(HEAVY))


def test_cli_start_up_imports_nothing_heavy(tmp_path: Path, sample_db: Path) -> None:
    """`briefbot --help` and `briefbot stories` on the sample stories load no heavy library."""
    db = tmp_path / "samples.db"
    shutil.copy(sample_db, db)
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "TELEGRAM_"))}
    proc = subprocess.run(
        [sys.executable, "-c", _STARTUP, str(db), str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(out.read_text())
    assert loaded["codes"] == [0, 0]
    assert "stories" in proc.stdout  # it did list the sample stories
    assert _heavy(loaded["help"]) == []
    assert _heavy(loaded["stories"]) == []


# --- the import graph --------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path) -> Iterator[str]:
    """Every module a file imports anywhere: top level, inside functions, under TYPE_CHECKING."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            yield target
            # `from bot.chat import pages` imports the module bot.chat.pages.
            yield from (f"{target}.{alias.name}" for alias in node.names)


def _unit(module: str) -> str:
    """The part of the tree a module belongs to: `bot.chat`, `summarizer.read`, `bot.config`."""
    return ".".join(module.split(".")[:2])


def subpackage_graph() -> dict[str, set[str]]:
    """Which subpackage imports which (bot.chat -> bot.store, ...), over bot/ and summarizer/."""
    return {unit: set(targets) for unit, targets in _graph().items()}


@lru_cache(maxsize=1)
def _graph() -> dict[str, frozenset[str]]:
    """The graph, parsed once per session (three tests read it)."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = _unit(_module_name(path))
            graph.setdefault(source, set())
            for target in _imported(path):
                if target.split(".")[0] in PACKAGES and _unit(target) != source:
                    graph[source].add(_unit(target))
    return {unit: frozenset(targets) for unit, targets in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}
    assert cycles(graph) == [["a.x", "a.y", "a.z"]]
    assert cycles({"a.x": {"a.y"}, "a.y": set()}) == []


def test_the_graph_sees_lazy_and_type_checking_imports() -> None:
    graph = subpackage_graph()
    assert "bot.store" in graph["bot.chat"]  # a top-level import
    assert "bot.telegram" in graph["bot.cli"]  # imported inside main() only


def test_no_import_cycle_between_subpackages() -> None:
    """No subpackage of bot/ or summarizer/ depends on itself through others (e.g. chat <-> digest)."""
    assert cycles(subpackage_graph()) == []


def test_the_core_never_imports_the_bot() -> None:
    graph = subpackage_graph()
    leaks = {u: sorted(t for t in ts if t.startswith("bot")) for u, ts in graph.items()}
    assert {u: ts for u, ts in leaks.items() if u.startswith("summarizer") and ts} == {}


# --- declared dependencies ---------------------------------------------------------------------


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _dependency_closure() -> set[str]:
    """Distributions a fresh `pip install .` brings: pyproject's dependencies and theirs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = _normal(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.distribution(req.name).requires or []
        except metadata.PackageNotFoundError:
            continue
        for raw in requires:
            sub = Requirement(raw)
            extras = req.extras or {""}
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in extras):
                todo.append(sub)
    return seen


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """A clean venv (tests/run.sh, CI) has every library bot/ and summarizer/ import."""
    closure = _dependency_closure()
    owners = metadata.packages_distributions()
    missing: dict[str, str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for module in _imported(path):
                top = module.split(".")[0]
                if not top or top in sys.stdlib_module_names or top in (*PACKAGES, "__future__"):
                    continue
                if not {_normal(d) for d in owners.get(top, [])} & closure:
                    missing[top] = str(path.relative_to(ROOT))
    assert missing == {}, f"add to [project] dependencies in pyproject.toml: {missing}"


def test_nltk_is_imported_without_scipy_stats() -> None:
    """NLTK's import does not drag in scipy.stats (2 s of CPU); scipy itself still loads after
    (scipy.sparse stands for any scipy module: the finder refuses them all while NLTK loads)."""
    code = (
        "import sys\n"
        "import summarizer.brief.ranking\n"
        "import nltk\n"
        "assert not {'scipy', 'sklearn'} & {m.split('.')[0] for m in sys.modules}, 'loaded'\n"
        "from scipy import sparse\n"
        "print(sparse.csr_matrix([[1]]).nnz)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1"]


def test_every_folder_says_what_it_owns() -> None:
    """Each package folder opens with a docstring of at least a short paragraph (DESIGN.md)."""
    thin = {}
    for package in PACKAGES:
        for init in sorted((ROOT / package).rglob("__init__.py")):
            doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
            if len(doc) < 150:
                thin[str(init.relative_to(ROOT))] = doc
    folders = {p.parent for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    missing = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").exists())
    assert missing == [] and thin == {}


def test_every_data_file_is_declared_package_data() -> None:
    """A data file the code reads (fitted weights, samples) ships in the wheel: pyproject's
    package-data globs cover every non-Python file under bot/ and summarizer/ (shell scripts such
    as bot/start.sh run from the checkout and are not package data)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    globs = declared["package-data"]
    missing = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_dir() or path.suffix in (".py", ".pyc", ".sh") or "__pycache__" in path.parts:
                continue
            inner = path.relative_to(ROOT / package)
            if not any(inner.match(g) for g in globs.get(package, [])):
                missing.append(str(path.relative_to(ROOT)))
    assert missing == [], "add to [tool.setuptools.package-data] in pyproject.toml"


_BLAS_THREADS = """
import os, sys
if sys.argv[1] == "bot":
    import bot  # noqa: F401
import numpy as np
a = np.ones((600, 600))
for _ in range(3):
    a @ a  # a product big enough for OpenBLAS to start its threads, if it may
print(len(os.listdir("/proc/self/task")))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_bot_processes_run_numpy_on_one_blas_thread() -> None:
    """Importing bot before numpy keeps OpenBLAS to the calling thread (its extra threads
    busy-wait and take the core of the other pool worker); a value the user set wins."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}

    def threads(first: str, **extra: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", _BLAS_THREADS, first], env={**env, **extra},
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        return int(done.stdout.strip())

    plain = threads("numpy")
    if plain == 1:
        pytest.skip("OpenBLAS starts no extra thread on this machine (one core)")
    assert threads("bot") == 1
    assert threads("bot", OPENBLAS_NUM_THREADS="2") == 2
