"""``accounts`` is identity only (the user, API tokens, allauth glue, MFA
enrolment): it imports nothing from ``councils``, so organisations can change
without touching who people are, and the dependency points one way."""

import ast
from pathlib import Path

import accounts

ACCOUNTS = Path(accounts.__file__).parent


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_accounts_imports_nothing_from_councils():
    offenders = [
        f"{path.relative_to(ACCOUNTS.parent)}:{line} imports {module}"
        for path in sorted(ACCOUNTS.rglob("*.py"))
        for line, module in _imported_modules(path)
        if module == "councils" or module.startswith("councils.")
    ]
    assert offenders == []


def test_the_walk_would_see_a_councils_import(tmp_path):
    """The check above finds function-level imports too, not only module-level ones."""
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from councils.selectors.people import organisation_of\n")
    assert _imported_modules(module) == [(2, "councils.selectors.people")]
