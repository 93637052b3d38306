"""Layers point down: `index/` and `core/` never import `qa/` (nor the UI)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


@pytest.mark.parametrize("package", ["core", "index"])
def test_lower_layers_import_nothing_from_above(package):
    for path in sorted((ROOT / package).glob("*.py")):
        above = {m for m in imported_modules(path) if m.split(".")[0] in ("qa", "ui")}
        assert not above, f"{path.relative_to(ROOT)} imports {sorted(above)}"
