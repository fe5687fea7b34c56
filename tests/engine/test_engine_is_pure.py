"""The engine is a pure-Python core: no module under kmstrainer/engine imports Django."""

from __future__ import annotations

import ast
import pathlib

ENGINE = pathlib.Path(__file__).resolve().parents[2] / "kmstrainer" / "engine"


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_engine_module_imports_django():
    offenders = [p.name for p in ENGINE.glob("*.py") if "django" in _imports(p)]
    assert offenders == []


def test_the_purity_check_would_notice_a_django_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\n")
    assert "django" in _imports(sample)
