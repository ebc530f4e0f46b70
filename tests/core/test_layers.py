"""Apps only look down (docs/design.md, rule 11): every import between apps follows
`liaison.core.layers.LAYERS`, and no two modules of the project import each other in a circle.

The check reads the source (ast), so an import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

from liaison.core.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2] / "liaison"
RANK = {app: number for number, app in enumerate(LAYERS)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in `source`, relative ones resolved."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.append((node.lineno, base))
            # `from liaison.cases import services` imports the module liaison.cases.services.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("liaison.")]


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def upward_imports(path: Path, source: str) -> list[str]:
    module = module_name(path)
    app = app_of(module)
    if app is None:
        return []
    problems = {}
    for line, target in imported_modules(source, module, path.name == "__init__.py"):
        other = app_of(target)
        if other is not None and RANK[other] > RANK[app]:
            problems.setdefault(
                (line, other),
                f"{path.relative_to(ROOT.parent)}:{line} imports {target}: "
                f"{app} sits below {other} in liaison/core/layers.py",
            )
    return list(problems.values())


def project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_every_app_is_in_the_layer_order():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps == set(LAYERS), "add the new app to liaison/core/layers.py"


def test_no_app_imports_an_app_above_it():
    problems = []
    for path in project_modules():
        problems += upward_imports(path, path.read_text())
    assert problems == [], "\n".join(problems)


def test_an_upward_import_is_caught_even_inside_a_function():
    # What the check says when someone adds an upward import: here directory, lazily, importing
    # the cases app above it.
    fake = ROOT / "directory" / "views.py"
    source = "def page():\n    from liaison.cases.models import Case\n"
    [problem] = upward_imports(fake, source)
    assert problem.startswith("liaison/directory/views.py:2 imports liaison.cases.models")
    assert "directory sits below cases" in problem
    assert upward_imports(fake, "from liaison.core import audit\nfrom . import models\n") == []


def module_graph() -> dict[str, set[str]]:
    known = {module_name(path): path for path in project_modules()}
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        targets = imported_modules(path.read_text(), module, path.name == "__init__.py")
        graph[module] = {t for _, t in targets if t in known and t != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
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


def test_no_modules_import_each_other_in_a_circle():
    # A package's __init__ that re-exports its own modules is not a circle of responsibilities.
    graph = {
        module: {t for t in targets if not module.startswith(f"{t}.")}
        for module, targets in module_graph().items()
    }
    assert cycles(graph) == []


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_circle_check_finds_a_circle(graph, expected):
    assert cycles(graph) == expected
