"""The demo is the top layer (ARCHITECTURE.md §2): it may use every app, and no app may use
it — demo data stays out of the domain apps."""

import ast
from pathlib import Path

import ostoja
import ostoja.demo


def test_no_app_imports_the_demo() -> None:
    root = Path(ostoja.__file__).parent
    demo = Path(ostoja.demo.__file__).parent
    found = []
    for module in root.rglob("*.py"):
        if module.is_relative_to(demo):
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [
                f"{module.relative_to(root)}: {name}"
                for name in names
                if name == "ostoja.demo" or name.startswith("ostoja.demo.")
            ]
    assert found == []


def test_no_app_keeps_demo_data() -> None:
    root = Path(ostoja.__file__).parent
    assert sorted(str(p.relative_to(root)) for p in root.glob("*/demo.py")) == []
