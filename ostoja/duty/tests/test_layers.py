"""The roster is a lower layer (ARCHITECTURE.md §2): telephony and the interventions build
on it, so it imports only ``lib``, ``accounts``, ``audit`` and itself."""

import ast
from pathlib import Path

import ostoja.duty

# The layers below, itself, and (for its tests) the shared personas of ``ostoja.test``.
ALLOWED = ("ostoja.lib", "ostoja.accounts", "ostoja.audit", "ostoja.duty", "ostoja.test")


def test_the_roster_imports_no_app_above_it() -> None:
    root = Path(ostoja.duty.__file__).parent
    found = []
    for module in root.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [
                f"{module.relative_to(root)}: {name}"
                for name in names
                if name.startswith("ostoja.") and not name.startswith(ALLOWED)
            ]
    assert found == []
