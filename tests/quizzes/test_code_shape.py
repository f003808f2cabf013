"""The shape issue 12 asks of quizzes/: small modules, no import cycle, and question-type branching only
in quizzes/qtypes/ (one home per type). Read with `ast`, so the checks see the code as written."""
import ast
from pathlib import Path

import pytest

from quizzes.qtypes import all_qtypes

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quizzes"
MAX_LINES = 400
TYPE_NAMES = {qtype.name for qtype in all_qtypes()}
SPEC_CLASSES = {qtype.spec_class.__name__ for qtype in all_qtypes()}
# Where a type's name may be written: its own home, and the spec classes that declare the names.
TYPE_HOMES = ("quizzes/qtypes/", "quizzes/domain/spec.py")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = modules()


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_longer_than_400_lines():
    long = {_relative(path): n for path in MODULES.values() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def _imports(name: str, path: Path) -> set[str]:
    """The quizzes modules `name` imports, at module level or inside functions alike."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                # `from quizzes import domain` imports the module quizzes.domain; `from .x import f` imports x.
                targets.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {target for target in targets if target in MODULES and target != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_in_quizzes():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert _cycle(graph) is None


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _type_branches(path: Path) -> list[str]:
    """Comparisons with a type's name, `isinstance` with a type's spec class, and type names used as keys."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                values = operand.elts if isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else [operand]
                found += [f"line {node.lineno}: compares with {v.value!r}" for v in values
                          if isinstance(v, ast.Constant) and v.value in TYPE_NAMES]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance" and len(node.args) == 2:
            classes = node.args[1].elts if isinstance(node.args[1], ast.Tuple) else [node.args[1]]
            found += [f"line {node.lineno}: isinstance with {c.id}" for c in classes
                      if isinstance(c, ast.Name) and c.id in SPEC_CLASSES]
        elif isinstance(node, ast.Dict):
            found += [f"line {node.lineno}: a table keyed by {k.value!r}" for k in node.keys
                      if isinstance(k, ast.Constant) and k.value in TYPE_NAMES]
    return found


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_branching_on_the_question_type_outside_its_home(name):
    path = MODULES[name]
    if _relative(path).startswith(TYPE_HOMES):
        return
    assert _type_branches(path) == []


def test_the_branch_check_sees_a_comparison_an_isinstance_and_a_table(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text('if spec["qtype"] == "essay":\n    pass\nisinstance(spec, SingleChoiceSpec)\nX = {"numeric": 1}\n')
    assert len(_type_branches(source)) == 3
