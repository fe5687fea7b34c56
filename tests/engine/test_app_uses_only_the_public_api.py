"""The app, the study groups and the benchmarks reach the engine only through its public API
(`kmstrainer/engine/__init__.py`): no `kmstrainer.engine.<module>` import outside the engine."""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLIENTS = ("scenarios", "studygroups", "bench", "kmstrainer")


def private_engine_imports(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("kmstrainer.engine.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith(
                "kmstrainer.engine."):
            found.append(node.module)
    return found


def client_files():
    for folder in CLIENTS:
        for path in (ROOT / folder).rglob("*.py"):
            if path.relative_to(ROOT).parts[:2] != ("kmstrainer", "engine"):
                yield path


def test_no_client_imports_a_private_engine_module():
    offenders = {str(p.relative_to(ROOT)): private_engine_imports(p) for p in client_files()}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_boundary_check_would_notice_a_private_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from kmstrainer.engine.scenario import describe_outcome\nimport kmstrainer.engine.world\n")
    assert private_engine_imports(sample) == ["kmstrainer.engine.scenario", "kmstrainer.engine.world"]


def test_the_public_api_names_the_vocabulary():
    from kmstrainer.engine import Decision, EditKind, Layer

    assert Decision.EXPLICITLY_DENIED == "ExplicitlyDenied" and Layer.SCP.noun == "service control policy"
    assert EditKind.KEY_POLICY.value_field == "policy" and EditKind.SCP.value_field == "document"
    assert Layer.KEY_POLICY.is_resource_policy and not Layer.IDENTITY.is_resource_policy
