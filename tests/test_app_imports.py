"""Issue 7 item 4: a reading of the imports. Apps talk through published functions, never each
other's private names; no import loop runs between apps; uploads (the pipeline every app's kinds
build on) imports no app; `core` (crypto, ID numbers, audit context) imports no app at all.

`portal` is the project: it composes the apps (URLs, admin registrations, settings) and may import
any of them. Its few web utilities that apps use (PROJECT_UTILITIES) import no app, so an edge into
one of them cannot close a loop; the test checks that they do not."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parent.parent
# Every installed app that lives in this repository, so a new app is read without editing this test.
APPS = tuple(config.name for config in django_apps.get_app_configs()
             if Path(config.path).resolve().parent == ROOT and "." not in config.name)
BELOW_APPS = ("core",)
PROJECT_UTILITIES = ("portal.client_address", "portal.upload_limits", "portal.forms", "portal.frame",
                     "portal.versioned_cache")


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path) -> list[tuple[str, str]]:
    """(imported module, imported name or "") for every import, inside functions too."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found += [(base, alias.name) for alias in node.names]
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def _project_modules() -> dict[str, Path]:
    modules = {}
    for package in (*APPS, *BELOW_APPS):
        modules.update(_modules(package))
    return modules


MODULES = _project_modules()


def _owner(module: str) -> str:
    """The app a module belongs to for this reading. An app's ``api`` module (issue 12: its REST
    endpoints, registered on api.registry's router) belongs to the API layer, the ``api`` app, which
    sits above every app it serves and loads those modules by autodiscovery once every app is
    ready — as the admin site loads ``admin`` modules. Read as membership's, membership/api.py
    would close membership -> api -> membership (api's base viewset scopes through
    membership.scoping)."""
    parts = module.split(".")
    if len(parts) == 2 and parts[1] == "api" and "api" in APPS:
        return "api"
    return parts[0]


def _app_edges() -> dict[str, dict[str, list[str]]]:
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for module, path in MODULES.items():
        app = _owner(module)
        if app not in APPS:
            continue
        for imported, name in _imports(module, path):
            full = f"{imported}.{name}" if name else imported
            # Importing an app's api module (even from the app itself) is an edge into the API layer.
            target = _owner(full) if full in MODULES else _owner(imported) if imported in MODULES else _top(imported)
            if target == app or target not in APPS:
                continue
            if imported in PROJECT_UTILITIES or full in PROJECT_UTILITIES:
                continue
            edges[app][target].append(f"{module} imports {full}")
    return edges


def _cycles(edges) -> list[list[str]]:
    cycles, state = [], {}

    def visit(app: str, trail: list[str]) -> None:
        state[app] = "open"
        for target in edges.get(app, {}):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target):], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[app] = "done"

    for app in APPS:
        if app not in state:
            visit(app, [app])
    return cycles


def test_the_reading_covers_the_apps():
    assert {"membership", "uploads", "courses", "audit", "portal"} <= set(APPS)


def test_no_import_loop_between_apps():
    edges = _app_edges()
    found = _cycles(edges)
    explained = [" -> ".join(cycle) + ": " + "; ".join(edges[cycle[0]][cycle[1]][:3]) for cycle in found]
    assert not explained, explained


def test_uploads_imports_no_app():
    edges = _app_edges()
    assert not edges.get("uploads"), dict(edges["uploads"])


@pytest.mark.parametrize("module", [m for m in MODULES if _top(m) in BELOW_APPS] + list(PROJECT_UTILITIES))
def test_modules_below_the_apps_import_no_app(module):
    allowed = () if _top(module) in BELOW_APPS else PROJECT_UTILITIES
    imported = [target for target, _name in _imports(module, MODULES[module])]
    assert not [target for target in imported if _top(target) in APPS and target not in allowed]


def test_no_app_imports_another_apps_private_names():
    offences = []
    for module, path in MODULES.items():
        for imported, name in _imports(module, path):
            if _top(imported) == _top(module) or _top(imported) not in (*APPS, *BELOW_APPS):
                continue
            private = [part for part in [*imported.split("."), name] if part.startswith("_") and part != "__future__"]
            if private:
                offences.append(f"{module} imports {imported} {name}")
    assert not offences, offences


def test_an_apps_api_module_belongs_to_the_api_layer():
    """membership/api.py counts as the API layer's; membership importing it would be an edge into
    the API layer, and so a loop."""
    if "membership.api" not in MODULES:
        pytest.skip("no membership/api.py")
    assert _owner("membership.api") == "api" and _owner("membership.models") == "membership"
    edges = _app_edges()
    assert "membership" in edges["api"]
    edges["membership"]["api"].append("membership.models imports membership.api")
    assert _cycles(edges)


def test_the_reading_sees_a_loop_when_there_is_one():
    """The detector itself: uploads importing membership again would close a loop."""
    edges = _app_edges()
    edges["uploads"]["membership"].append("uploads.x imports membership.crypto")
    assert ["membership", "uploads", "membership"] in _cycles(edges) or \
        ["uploads", "membership", "uploads"] in _cycles(edges)
