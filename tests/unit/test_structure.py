"""The package's shape, as issue 9 set it: small modules and functions, public seams, one home each.

Fast (no model, no build): it reads the source files only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "wtkb"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
SINGLE_HOMES = ("STOPWORDS", "split_sentences", "tokenize")


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "static" not in p.parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_name(path: Path) -> str:
    parts = ["wtkb", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by concern"


def test_no_function_is_long() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, "functions over 80 lines:\n" + "\n".join(long)


def test_no_module_imports_another_modules_private_name() -> None:
    bad = []
    for path in _modules():
        here = _module_name(path)
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wtkb"):
                if node.module == here:
                    continue
                bad += [f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module}.{a.name}"
                        for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert not bad, "private names imported across modules:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", SINGLE_HOMES)
def test_shared_text_helpers_are_defined_once(name: str) -> None:
    homes = []
    for path in _modules():
        for node in _tree(path).body:
            defined = (isinstance(node, ast.FunctionDef) and node.name == name) or (
                isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets))
            if defined:
                homes.append(str(path.relative_to(PACKAGE)))
    assert homes == ["text.py"], f"{name} is defined in {homes}; it belongs in wtkb/text.py only"
