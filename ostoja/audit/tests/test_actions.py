"""The registry of actions in words (``ostoja.audit.actions``), and that it is complete:
every action the code writes has a label, and every label is of an action the code writes.

The code is read, not run: every call of ``trail.record`` / ``record_many`` (however it was
imported) in Ostoja's modules, tests aside. A literal action, or a constant imported or
defined at the top of the module, must be registered. An action built at run time (an
f-string, a variable) must be one of the call sites listed in ``_built``, which says every
action it can build — so a new dynamic call fails here until someone writes down what it
writes.
"""

import ast
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from ostoja.audit import actions
from ostoja.audit.models import REDACTION

ROOT = Path(settings.BASE_DIR) / "ostoja"
TRAIL = "ostoja.audit.trail"
WRITERS = {"record", "record_many"}


def _built() -> dict[tuple[str, str], Callable[[], set[str]]]:
    from ostoja.cases.services import RECORDS
    from ostoja.helpline.models import Call

    return {
        # case_record_add: one action per kind of record of a case.
        ("cases/services.py", "f'case.{name}_added'"): lambda: {
            f"case.{name}_added" for name in RECORDS.values()
        },
        # call_event_record: one per state of a call.
        ("helpline/services.py", "f'call.{state}'"): lambda: {
            f"call.{state}" for state in Call.State.values
        },
        # contact_save: `action = "contact.completed" if complete else "contact.saved"`.
        ("helpline/services.py", "action"): lambda: {"contact.completed", "contact.saved"},
    }


def _writers(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names a module calls the trail's writers by: ``record`` (imported from the
    trail, under any alias) and the names the trail module itself is bound to."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TRAIL:
            functions |= {a.asname or a.name for a in node.names if a.name in WRITERS}
        elif isinstance(node, ast.ImportFrom) and node.module == "ostoja.audit":
            modules |= {a.asname or a.name for a in node.names if a.name == "trail"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == TRAIL}
    return functions, modules


def _constants(tree: ast.Module) -> dict[str, str]:
    """The string constants a module may name an action by: assigned at its top level, or
    imported from another of Ostoja's modules."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ostoja."):
            module = importlib.import_module(str(node.module))
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if isinstance(value, str):
                    found[alias.asname or alias.name] = value
    return found


def trail_calls() -> Iterator[tuple[str, ast.Call, dict[str, str]]]:
    """(module path, the call, the module's constants) of every call that writes to the
    trail."""
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions, modules = _writers(tree)
        constants = _constants(tree) if functions or modules else {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            called = node.func
            direct = isinstance(called, ast.Name) and called.id in functions
            through = (
                isinstance(called, ast.Attribute)
                and called.attr in WRITERS
                and ast.unparse(called.value) in modules | {TRAIL}
            )
            if direct or through:
                yield relative, node, constants


def _calls() -> Iterator[tuple[str, int, ast.expr, dict[str, str]]]:
    """(module path, line, first argument, the module's constants) of each trail call."""
    for path, call, constants in trail_calls():
        yield path, call.lineno, call.args[0], constants


def written() -> set[str]:
    """Every action the code can write."""
    built = _built()
    found: set[str] = set()
    unknown = []
    for path, line, argument, constants in _calls():
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.add(argument.value)
        elif isinstance(argument, ast.Name) and argument.id in constants:
            found.add(constants[argument.id])
        elif (path, ast.unparse(argument)) in built:
            found |= built[path, ast.unparse(argument)]()
        else:
            unknown.append(f"{path}:{line}: {ast.unparse(argument)}")
    assert not unknown, f"Actions built at run time, not listed in BUILT: {unknown}"
    return found


def test_the_scan_finds_the_writers() -> None:
    """The scan sees every way the code calls the trail (or it would prove nothing)."""
    paths = {path for path, _line, _argument, _constants in _calls()}
    assert {"audit/receivers.py", "audit/services.py", "cases/views.py"} <= paths
    assert {"helpline/webhooks.py"}.isdisjoint(paths)  # TwiML's response.record() is not ours
    # Literals, constants (imported or the module's own) and listed f-strings alike.
    assert {"case.viewed", REDACTION, "audit.searched", "call.ringing"} <= written()


def test_every_action_written_has_words() -> None:
    missing = written() - set(actions.ACTIONS)
    assert not missing, f"Register these in the writing app's audit_labels.py: {sorted(missing)}"


def test_every_action_in_words_is_written() -> None:
    stale = set(actions.ACTIONS) - written()
    assert not stale, f"Nothing writes these any more: {sorted(stale)}"


def test_each_call_site_listed_as_built_still_exists() -> None:
    sites = {(path, ast.unparse(argument)) for path, _line, argument, _constants in _calls()}
    assert set(_built()) <= sites


def test_every_label_is_translated_and_tells_its_action_apart() -> None:
    for language in ("pl", "en"):
        with translation.override(language):
            labels = [str(action.label) for action in actions.ACTIONS.values()]
        assert len(set(labels)) == len(labels), language
    for name, action in actions.ACTIONS.items():
        with translation.override("pl"):
            polish = str(action.label)
        with translation.override("en"):
            english = str(action.label)
        assert polish != english, f"{name}: {english!r} has no Polish translation"
        assert name not in english


def test_reads_are_the_actions_that_show_data() -> None:
    assert {"person.viewed", "case.document_downloaded", "call.screen_opened"} <= set(
        actions.reads()
    )
    assert not {"person.updated", "case.opened", "auth.signed_in"} & set(actions.reads())
    assert actions.is_read("case.viewed") and not actions.is_read("case.updated")
    assert not actions.is_read("nobody.registered")


def test_labels_and_groups_in_the_current_language() -> None:
    with translation.override("pl"):
        assert actions.label_of("case.viewed") == "Wyświetlenie sprawy"
        groups = actions.grouped_choices()
    assert [name for _app, name, _options in groups] == sorted(
        name for _app, name, _options in groups
    )
    cases = next(options for app, _name, options in groups if app == "cases")
    assert ("case.viewed", "Wyświetlenie sprawy") in cases
    assert [label for _value, label in cases] == sorted(label for _value, label in cases)
    assert actions.label_of("nobody.registered") == "nobody.registered"
    assert actions.group_of("no_such_app") == "no_such_app"
    # An app's actions, in order (privacy's grow with issue #19: these among them).
    privacy = actions.actions_of("privacy")
    assert privacy == sorted(privacy)
    assert {
        "audit.record_found",
        "audit.reviewed",
        "audit.searched",
        "disclosure.listed",
        "person.anonymised",
    } <= set(privacy)


@pytest.fixture
def registry() -> Iterator[dict[str, actions.Action]]:
    """The registry as it is, restored after a test that adds to it."""
    saved = dict(actions.ACTIONS)
    yield actions.ACTIONS
    actions.ACTIONS.clear()
    actions.ACTIONS.update(saved)


def test_an_action_belongs_to_one_app(registry: dict[str, actions.Action]) -> None:
    with pytest.raises(ImproperlyConfigured, match="case.viewed is registered by cases"):
        actions.register_actions("people", {"case.viewed": "x"})
    with pytest.raises(ImproperlyConfigured, match="Reads without a label"):
        actions.register_actions("people", {"person.weighed": "x"}, reads={"person.heard"})
    actions.register_actions("cases", {"case.viewed": "Case seen"}, reads={"case.viewed"})
    assert actions.label_of("case.viewed") == "Case seen"
