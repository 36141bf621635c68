"""Apps are layers: each imports only from the apps below it, lazy imports inside functions
included. config/ and the project root are the glue above every app; tests and bench are exempt.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Bottom to top.
LAYERS = ["corpus", "jobs", "annotations", "teams", "assist"]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """Return (line, module) for every import in `path`, anywhere in it, relative ones resolved."""
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            found.append((node.lineno, module))
    return found


def layering_violations(root: Path = ROOT) -> list[str]:
    """Return `file:line imports module` for each import of an app above the file's own."""
    violations = []
    for level, app in enumerate(LAYERS):
        above = set(LAYERS[level + 1 :])
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            for line, module in imported_modules(path, root):
                if module.split(".")[0] in above:
                    violations.append(f"{relative}:{line} imports {module}")
    return sorted(set(violations))


def test_each_app_imports_only_from_the_apps_below_it():
    assert layering_violations() == []


def test_the_layering_check_sees_lazy_and_relative_imports(tmp_path):
    app = tmp_path / "corpus"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(
        "from . import access\n\n\ndef f():\n    from teams.access import x\n\n\n"
        "from ..annotations import layers\nimport annotations.models\n"
    )
    assert layering_violations(tmp_path) == [
        "corpus/models.py:5 imports teams.access",
        "corpus/models.py:8 imports annotations",
        "corpus/models.py:9 imports annotations.models",
    ]
