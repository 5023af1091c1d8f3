"""Issue 6: one user's ids are never another user's way in.

The per-user service classes (every class in overload_tui.services whose constructor takes a
``user_id``) and their public methods that take ids (parameters named ``*_id`` or ``*_ids``) are
found by introspection. Each (method, id parameter) must have a row in CASES saying how to call
it with Bob's id while Alice is signed in, so a new id-taking method without a row fails
``test_every_id_parameter_has_a_case`` until someone writes down how it is checked.

A row's calls must raise NotFoundError, with the same message as for an id that does not exist
(so "not yours" and "no such thing" cannot be told apart). A few read-only methods treat the id
as a filter over the user's own rows; they are listed in AS_MISSING, with the reason, and must
return exactly what they return for an id that does not exist. Afterwards Bob's data is
unchanged.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

import overload_tui.services as services_pkg
from overload_tui.domain.errors import NotFoundError

MISSING_ID = 2_000_000_000  # fits an INTEGER column on PostgreSQL


def _is_id_param(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name.endswith("_ids")


def per_user_classes() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(services_pkg.__path__, services_pkg.__name__ + "."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and cls.__module__ == module.__name__
                and "user_id" in inspect.signature(cls.__init__).parameters
            ):
                found.append(cls)
    return sorted(found, key=lambda c: c.__name__)


def id_parameters(classes: list[type]) -> set[str]:
    """'Class.method(param)' for every public method parameter that takes an id."""
    keys = set()
    for cls in classes:
        for name, member in inspect.getmembers(cls):
            if name.startswith("_") or not callable(member):
                continue
            try:
                params = inspect.signature(member).parameters
            except (TypeError, ValueError):
                continue
            keys |= {f"{cls.__name__}.{name}({p})" for p in params if _is_id_param(p)}
    return keys


Call = Callable[[Any, SimpleNamespace, SimpleNamespace], Any]

# (svc, a, x): svc acts for Alice; a holds Alice's ids; x holds the foreign ids (Bob's, or ids
# that do not exist). Each call puts a foreign id in exactly one parameter.
CASES: dict[str, tuple[Call, ...]] = {
    "WorkoutService.add_entry(exercise_id)": (
        lambda s, a, x: s.add_entry(x.exercise, session_id=a.session),
        lambda s, a, x: s.add_entry(x.exercise, template_id=a.template),
    ),
    "WorkoutService.add_entry(session_id)": (lambda s, a, x: s.add_entry(a.exercise, session_id=x.session),),
    "WorkoutService.add_entry(template_id)": (lambda s, a, x: s.add_entry(a.exercise, template_id=x.template),),
    "WorkoutService.add_set(entry_id)": (
        lambda s, a, x: s.add_set(x.entry, 50, 5),
        lambda s, a, x: s.add_set(x.template_entry, 50, 5),
    ),
    "WorkoutService.delete_exercise(exercise_id)": (lambda s, a, x: s.delete_exercise(x.exercise),),
    "WorkoutService.delete_session(session_id)": (lambda s, a, x: s.delete_session(x.session),),
    "WorkoutService.delete_session_if_empty(session_id)": (lambda s, a, x: s.delete_session_if_empty(x.session),),
    "WorkoutService.delete_set(set_id)": (
        lambda s, a, x: s.delete_set(x.set),
        lambda s, a, x: s.delete_set(x.template_set),
    ),
    "WorkoutService.delete_template(template_id)": (lambda s, a, x: s.delete_template(x.template),),
    "WorkoutService.exercise_history(exercise_id)": (lambda s, a, x: s.exercise_history(x.exercise),),
    "WorkoutService.finish_session(session_id)": (lambda s, a, x: s.finish_session(x.session),),
    "WorkoutService.get_entry(entry_id)": (
        lambda s, a, x: s.get_entry(x.entry),
        lambda s, a, x: s.get_entry(x.template_entry),
    ),
    "WorkoutService.get_exercise(exercise_id)": (lambda s, a, x: s.get_exercise(x.exercise),),
    "WorkoutService.exercise_unit(exercise_id)": (lambda s, a, x: s.exercise_unit(x.exercise),),
    "WorkoutService.get_session(session_id)": (lambda s, a, x: s.get_session(x.session),),
    "WorkoutService.get_template(template_id)": (lambda s, a, x: s.get_template(x.template),),
    "WorkoutService.last_performance(exercise_id)": (lambda s, a, x: s.last_performance(x.exercise),),
    "WorkoutService.last_performance(exclude_session_id)": (
        lambda s, a, x: s.last_performance(a.exercise, exclude_session_id=x.session),
    ),
    "WorkoutService.move_entry(entry_id)": (
        lambda s, a, x: s.move_entry(x.entry, 0),
        lambda s, a, x: s.move_entry(x.template_entry, 0),
    ),
    "WorkoutService.move_set(set_id)": (lambda s, a, x: s.move_set(x.set, 0),),
    "WorkoutService.remove_entry(entry_id)": (
        lambda s, a, x: s.remove_entry(x.entry),
        lambda s, a, x: s.remove_entry(x.template_entry),
    ),
    "WorkoutService.rename_exercise(exercise_id)": (lambda s, a, x: s.rename_exercise(x.exercise, "Mine now"),),
    "WorkoutService.update_exercise(exercise_id)": (
        lambda s, a, x: s.update_exercise(x.exercise, name="Mine now"),
        lambda s, a, x: s.update_exercise(x.exercise, kind="time"),
    ),
    "WorkoutService.reopen_session(session_id)": (lambda s, a, x: s.reopen_session(x.session),),
    "WorkoutService.save_session_as_template(session_id)": (
        lambda s, a, x: s.save_session_as_template(x.session, "Copied"),
    ),
    "WorkoutService.set_entry_notes(entry_id)": (lambda s, a, x: s.set_entry_notes(x.entry, "mine"),),
    "WorkoutService.start_session(template_id)": (lambda s, a, x: s.start_session(template_id=x.template),),
    "WorkoutService.update_session(session_id)": (
        lambda s, a, x: s.update_session(x.session, notes="mine"),
        lambda s, a, x: s.update_session(x.session),
    ),
    "WorkoutService.update_set(set_id)": (
        lambda s, a, x: s.update_set(x.set, reps=1),
        lambda s, a, x: s.update_set(x.template_set, weight=1),
    ),
    "WorkoutService.update_template(template_id)": (lambda s, a, x: s.update_template(x.template, name="Mine"),),
    "ProgressService.best_sets(exercise_id)": (lambda s, a, x: s.best_sets(x.exercise),),
    "ProgressService.check_new_records(session_id)": (lambda s, a, x: s.check_new_records(x.session, a.set),),
    "ProgressService.check_new_records(set_id)": (lambda s, a, x: s.check_new_records(a.session, x.set),),
    "ProgressService.progress_series(exercise_id)": (lambda s, a, x: s.progress_series(x.exercise),),
    "ProgressService.records(exercise_id)": (lambda s, a, x: s.records(x.exercise),),
    "ProgressService.session_records(session_id)": (lambda s, a, x: s.session_records(x.session),),
    "ProgressService.session_records(exercise_id)": (
        lambda s, a, x: s.session_records(a.session, exercise_id=x.exercise),
    ),
    "ProgressService.suggestion(exercise_id)": (lambda s, a, x: s.suggestion(x.exercise),),
    "ProgressService.suggestion(session_id)": (lambda s, a, x: s.suggestion(a.exercise, session_id=x.session),),
    "SettingsService.set_exercise_unit(exercise_id)": (lambda s, a, x: s.set_exercise_unit(x.exercise, "lbs"),),
    "SshKeyService.remove(key_id)": (lambda s, a, x: s.remove(x.ssh_key),),
    "SettingsService.set_exercise_progression(exercise_id)": (
        lambda s, a, x: s.set_exercise_progression(x.exercise, "linear 5"),
    ),
    "ProgressService.rule_in_force(exercise_id)": (
        lambda s, a, x: s.rule_in_force(x.exercise),
        lambda s, a, x: s.rule_in_force(x.exercise, a.template),
    ),
    "ProgressService.rule_in_force(template_id)": (lambda s, a, x: s.rule_in_force(a.exercise, x.template),),
    "ProgressService.template_rules(template_id)": (lambda s, a, x: s.template_rules(x.template),),
    "ProgressService.set_rule(exercise_id)": (
        lambda s, a, x: s.set_rule(x.exercise, "linear 5"),
        lambda s, a, x: s.set_rule(x.exercise, "linear 5", a.template),
    ),
    "ProgressService.set_rule(template_id)": (lambda s, a, x: s.set_rule(a.exercise, "linear 5", x.template),),
    "ProgramService.delete(program_id)": (lambda s, a, x: s.delete(x.program),),
    "ProgramService.planned(session_id)": (lambda s, a, x: s.planned(x.session),),
    "ProgramService.record(session_id)": (lambda s, a, x: s.record(x.session),),
    "PlanService.planned(session_id)": (lambda s, a, x: s.planned(x.session),),
    "PlanService.skipped(session_id)": (lambda s, a, x: s.skipped(x.session),),
    "PlanService.set_skipped(session_id)": (lambda s, a, x: s.set_skipped(x.session, a.entry, frozenset({0})),),
    "PlanService.set_skipped(entry_id)": (lambda s, a, x: s.set_skipped(a.session, x.entry, frozenset({0})),),
    "SettingsService.set_warmups(exercise_id)": (lambda s, a, x: s.set_warmups(x.exercise, False),),
}

# Read-only filters over the user's own rows: another user's id finds nothing, exactly as an id
# that does not exist does. (Stricter would be NotFoundError for an exercise the user cannot see.)
AS_MISSING = {
    "WorkoutService.exercise_history(exercise_id)": "history of the user's own sessions only",
    "WorkoutService.last_performance(exercise_id)": "the user's own sessions only",
    "WorkoutService.last_performance(exclude_session_id)": "only ever removes a row from the result",
    "ProgressService.best_sets(exercise_id)": "the user's own sets only",
    "ProgressService.progress_series(exercise_id)": "the user's own sets only",
    "ProgressService.records(exercise_id)": "the user's own sets only",
    "ProgressService.session_records(exercise_id)": "only narrows the user's own session",
}


# Parameters named like ids that name no row of another lifter to be refused: what they hold is
# made by the app, and each has its own test of what another lifter's value does.
NOT_IDS = {
    "WorkoutService.add_set(client_id)": "made when a set is typed; another lifter's is a ConflictError that "
                                         "shows nothing of theirs (tests/reliability/test_journal_client_id.py)",
}


def test_every_id_parameter_has_a_case():
    discovered = id_parameters(per_user_classes()) - NOT_IDS.keys()
    missing = sorted(discovered - CASES.keys())
    stale = sorted(CASES.keys() - discovered)
    assert not missing, (
        "New id-taking service methods with no authorization case; add a row to CASES in "
        f"{__file__} saying how to call each with another user's id: {missing}"
    )
    assert not stale, f"CASES rows for methods that no longer exist: {stale}"
    assert AS_MISSING.keys() <= CASES.keys()


def test_discovery_sees_a_new_method():
    class GadgetService:
        def __init__(self, db, user_id):
            pass

        def frobnicate(self, gadget_id, *, owner_ids=(), position=0):
            pass

        def _helper(self, secret_id):
            pass

    assert id_parameters([GadgetService]) == {
        "GadgetService.frobnicate(gadget_id)",
        "GadgetService.frobnicate(owner_ids)",
    }
    assert {c.__name__ for c in per_user_classes()} >= {"WorkoutService"}


def _world(services, user) -> SimpleNamespace:
    """A user's custom exercise, a workout with it (two sets) and a template with a target set."""
    ws = services.workouts(user.id)
    ex = ws.create_exercise(f"{user.username} curl", "arms", "dumbbell")
    sess = ws.start_session(name=f"{user.username} day")
    entry = ws.add_entry(ex.id, session_id=sess.id)
    st = ws.add_set(entry.id, 20, 10)
    ws.add_set(entry.id, 22.5, 8)
    tpl = ws.create_template(f"{user.username} plan")
    tentry = ws.add_entry(ex.id, template_id=tpl.id)
    tset = ws.add_set(tentry.id, 20, 10)
    from overload_tui.services.programs import ProgramService

    program = ProgramService(services.db, user.id).save(
        f"program: {user.username} plan\nweek 1\n  day 1\n    Chin Up: 3x8\n")
    from overload_tui.services.ssh_keys import SshKeyService, asyncssh_module

    key = asyncssh_module().generate_private_key("ssh-ed25519").export_public_key().decode()
    ssh_key = SshKeyService(services.db, user.id).add(key)
    return SimpleNamespace(
        exercise=ex.id, session=sess.id, entry=entry.id, set=st.id,
        template=tpl.id, template_entry=tentry.id, template_set=tset.id, program=program.id,
        ssh_key=ssh_key.id,
    )


def _snapshot(services, user, w) -> tuple:
    from overload_tui.services.ssh_keys import SshKeyService

    ws = services.workouts(user.id)
    return (
        ws.get_exercise(w.exercise), ws.get_session(w.session), ws.get_template(w.template),
        ws.list_sessions(), ws.list_templates(), ws.search_exercises("curl"),
        SshKeyService(services.db, user.id).keys(),
    )


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("returned", call())
    except NotFoundError as error:
        return ("NotFoundError", str(error))


def test_another_users_ids_are_refused(services, alice, bob):
    a, b = _world(services, alice), _world(services, bob)
    missing = SimpleNamespace(**{k: MISSING_ID for k in vars(a)})
    before = _snapshot(services, bob, b)
    classes = {cls.__name__: cls for cls in per_user_classes()}
    checked = 0
    for key, calls in CASES.items():
        cls = classes[key.split(".")[0]]
        svc = cls(services.db, alice.id)
        for call in calls:
            foreign = _outcome(lambda: call(svc, a, b))
            absent = _outcome(lambda: call(svc, a, missing))
            if key in AS_MISSING:
                assert foreign == absent, f"{key}: Bob's id gave {foreign}, a missing id {absent}"
            else:
                assert foreign[0] == "NotFoundError", f"{key}: Bob's id was not refused: {foreign}"
                assert foreign == absent, f"{key}: 'not yours' differs from 'no such thing'"
            checked += 1
    assert checked >= len(CASES)
    assert _snapshot(services, bob, b) == before, "a refused call changed Bob's data"
    # Alice's own ids still work through the same methods (the cases are not vacuous).
    ws = services.workouts(alice.id)
    assert ws.get_session(a.session).set_count == 2
    assert ws.exercise_history(a.exercise)


@pytest.mark.parametrize("bad", [0, -1, MISSING_ID])
def test_ids_that_never_existed(ws, bad):
    for call in (ws.get_session, ws.get_template, ws.get_entry, ws.get_exercise, ws.delete_set):
        with pytest.raises(NotFoundError):
            call(bad)
