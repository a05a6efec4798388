"""Imports inside functions: each one says why it cannot be at the top of its module.

An import inside a function hides a module's dependencies and, when it only dodges an import
cycle, the cycle too. So every import inside a function (in ``app/``, ``tenants/``, ``worker/``)
carries a reason, as a comment on its own line or on the line above it (for a run of
consecutive imports, above the first one), in one fixed form::

    # deferred: import cycle: app.extensions -> tenants.session -> tenants.models -> app.extensions
    # deferred: heavy: WeasyPrint only when rendering an agreement PDF
    # deferred: domain package: init_app loads its modules

and their number may not grow past :data:`CEILING` (lower it when you remove one). Imports under
``if TYPE_CHECKING:`` at module level are not inside a function and do not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite  # reads source files only: the same on both backends

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "tenants", "worker")
REASON = re.compile(r"#\s*deferred:\s*\S")
#: The number of imports inside functions; it may go down, never up.
CEILING = 39

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_IMPORTS = (ast.Import, ast.ImportFrom)


def _deferred_imports(tree: ast.AST):
    """(import node, the statement list holding it) for every import inside a function."""

    def walk(node: ast.AST, in_function: bool):
        for field in ("body", "orelse", "finalbody", "handlers"):
            for child in getattr(node, field, None) or ():
                if isinstance(child, _IMPORTS) and in_function:
                    yield child, getattr(node, field)
                yield from walk(child, in_function or isinstance(child, _FUNCTIONS))
        for child in getattr(node, "cases", None) or ():
            yield from walk(child, in_function)

    yield from walk(tree, False)


def _has_reason(lines: list[str], node: ast.stmt, body: list[ast.stmt]) -> bool:
    index = body.index(node)
    first = index
    while first > 0 and isinstance(body[first - 1], _IMPORTS):
        first -= 1
    run = body[first : index + 1]
    if any(REASON.search(lines[n.lineno - 1]) for n in run):
        return True
    # The comment block right above the first import of the run.
    line = run[0].lineno - 2
    while line >= 0 and lines[line].strip().startswith("#"):
        if REASON.match(lines[line].strip()):
            return True
        line -= 1
    return False


def deferred_imports() -> list[tuple[str, int, bool]]:
    """(path:line, whether it states its reason) for every import inside a function."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            for node, body in _deferred_imports(ast.parse(source, filename=str(path))):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.append((where, node.lineno, _has_reason(lines, node, body)))
    return found


def test_every_import_inside_a_function_states_its_reason():
    found = deferred_imports()
    print(f"{len(found)} imports inside functions")
    missing = [where for where, _, reasoned in found if not reasoned]
    assert not missing, (
        "imports inside a function without a '# deferred: <reason>' comment (move them to the "
        "top of the module, or state why they cannot be there):\n" + "\n".join(missing)
    )


def test_imports_inside_functions_do_not_creep():
    count = len(deferred_imports())
    assert count <= CEILING, (
        f"{count} imports inside functions, more than the {CEILING} allowed: move the new one to "
        "the top of its module"
    )


def test_the_checker_sees_what_it_should():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import os\n"
        "def f():\n"
        "    # deferred: heavy: a reason that takes\n"
        "    # two lines\n"
        "    import json\n"
        "\n"
        "    import re\n"
        "    if True:\n"
        "        import io\n"
        "    class C:\n"
        "        def g(self):\n"
        "            import csv  # deferred: import cycle: a <-> b\n"
    )
    lines = source.splitlines()
    seen = {
        node.lineno: _has_reason(lines, node, body)
        for node, body in _deferred_imports(ast.parse(source))
    }
    assert seen == {7: True, 9: True, 11: False, 14: True}
