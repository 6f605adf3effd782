"""Every test asserts something: a test that only calls code proves little and cannot fail
on a wrong answer. Read from the syntax tree of tests/: a test asserts when it holds an
`assert`, `pytest.raises`/`pytest.fail`/`pytest.warns`, a Playwright `expect`, or calls a
helper of tests/ that does (followed through helpers of helpers)."""

import ast
from pathlib import Path

TESTS = Path(__file__).parent
ASSERTING_CALLS = {"raises", "fail", "warns", "expect"}


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            function = call.func
            names.add(function.attr if isinstance(function, ast.Attribute)
                      else getattr(function, "id", ""))
    return names


def _asserts_itself(node: ast.AST) -> bool:
    return (any(isinstance(n, ast.Assert) for n in ast.walk(node))
            or bool(_called_names(node) & ASSERTING_CALLS))


def _functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                found.append((f"{path.relative_to(TESTS)}:{node.lineno}", node))
    return found


def test_every_test_function_asserts():
    functions = _functions()
    asserting = {node.name for _where, node in functions if _asserts_itself(node)}
    grown = True
    while grown:  # helpers that call asserting helpers assert too
        before = len(asserting)
        asserting |= {node.name for _where, node in functions
                      if _called_names(node) & asserting}
        grown = len(asserting) > before
    silent = [f"{where} {node.name}" for where, node in functions
              if node.name.startswith("test") and node.name not in asserting]
    assert silent == []
