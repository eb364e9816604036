"""The access policy, rule by rule, and break-the-glass end to end."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.http import Http404
from django.test import Client

from ostoja.accounts.models import AccessGrant
from ostoja.accounts.policy import (
    SCOPE_FINDERS,
    FieldClass,
    OutOfReach,
    Scope,
    TeamRole,
    can_view,
    can_view_field,
    find_scope,
    may_break_glass,
    require_view,
    within_reach,
)
from ostoja.accounts.roles import Role
from ostoja.audit.models import AuditEntry
from ostoja.audit.trail import record
from ostoja.lib.crypto.tests.sample import Sample
from ostoja.test import Persona, make_user, sign_in, text

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)


def _scope(centre: dict[Role, Persona], **kwargs: Any) -> Scope:
    organisation = centre[Role.CASE_MANAGER].user.organisation
    assert organisation is not None
    defaults: dict[str, Any] = {
        "organisation_id": organisation.pk,
        "target_type": "home.sample",
        "target_code": "c0de",
        "team": {
            centre[Role.CASE_MANAGER].user.pk: TeamRole.CASE_MANAGER,
            centre[Role.SPECIALIST].user.pk: TeamRole.SPECIALIST,
            centre[Role.COUNSELLOR].user.pk: TeamRole.MEMBER,
        },
    }
    return Scope(**(defaults | kwargs))


def test_the_team_and_coordinators_see_a_record(centre: dict[Role, Persona]) -> None:
    scope = _scope(centre)
    visible = {role for role, persona in centre.items() if can_view(persona.user, scope)}
    assert visible == {Role.CASE_MANAGER, Role.SPECIALIST, Role.COUNSELLOR, Role.COORDINATOR}


def test_administrators_analysts_and_the_dpo_never_see_identities(
    centre: dict[Role, Persona],
) -> None:
    everyone = {p.user.pk: TeamRole.MEMBER for p in centre.values()}
    scope = _scope(centre, team=everyone)
    for role in (Role.ADMINISTRATOR, Role.ANALYST, Role.DPO):
        assert not can_view(centre[role].user, scope)
        assert not may_break_glass(centre[role].user, scope)


def test_another_organisation_never_sees_a_record(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    outsider = other_centre[Role.COORDINATOR].user
    scope = _scope(centre, team={outsider.pk: TeamRole.CASE_MANAGER})
    assert not can_view(outsider, scope) and not may_break_glass(outsider, scope)


def test_a_restricted_record_is_for_the_named_only(centre: dict[Role, Persona]) -> None:
    named = centre[Role.CASE_MANAGER].user
    scope = _scope(centre, restricted=True, named=frozenset({named.pk}))
    assert can_view(named, scope)
    assert not can_view(centre[Role.COORDINATOR].user, scope)
    assert not can_view(centre[Role.SPECIALIST].user, scope)
    assert not can_view_field(centre[Role.COORDINATOR].user, scope, FieldClass.IDENTITY)


def test_an_inactive_or_roleless_user_sees_nothing(centre: dict[Role, Persona]) -> None:
    user = centre[Role.COORDINATOR].user
    user.is_active = False
    assert not can_view(user, _scope(centre))
    roleless = make_user(None, None).user
    assert not can_view(roleless, _scope(centre))


def test_health_legal_and_perpetrators_are_for_the_inner_team(
    centre: dict[Role, Persona],
) -> None:
    scope = _scope(centre)
    for field_class in (FieldClass.HEALTH, FieldClass.LEGAL, FieldClass.PERPETRATOR):
        readers = {r for r, p in centre.items() if can_view_field(p.user, scope, field_class)}
        assert readers == {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}, field_class
    readers = {r for r, p in centre.items() if can_view_field(p.user, scope, FieldClass.CONTACT)}
    assert readers == {Role.CASE_MANAGER, Role.SPECIALIST, Role.COUNSELLOR, Role.COORDINATOR}
    restricted = _scope(
        centre, restricted=True, named=frozenset({centre[Role.COORDINATOR].user.pk})
    )
    assert not can_view_field(centre[Role.COORDINATOR].user, restricted, FieldClass.HEALTH)
    assert can_view_field(centre[Role.COORDINATOR].user, restricted, FieldClass.IDENTITY)


def test_break_the_glass_opens_for_a_while_and_tells_the_right_people(
    client: Client,
    centre: dict[Role, Persona],
    sample: Sample,
    django_capture_on_commit_callbacks: Any,
) -> None:
    counsellor = centre[Role.COUNSELLOR]
    url = f"/access/home.sample/{sample.code}/"
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, counsellor)
        scope = find_scope(counsellor.user, "home.sample", str(sample.code))
        assert scope is not None and not can_view(counsellor.user, scope)
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200 and "60 minutes" in text(page)
        missing = client.post(
            url, {"reason": "emergency", "explanation": ""}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert missing.status_code == 200 and "This field is required" in text(missing)
        assert not AccessGrant.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {"reason": "emergency", "explanation": "Telefon w nocy, opiekunka nieosiągalna"},
            )
        assert response.status_code == 302 and response["Location"] == scope.url
        assert can_view(counsellor.user, scope)
        assert not can_view_field(counsellor.user, scope, FieldClass.HEALTH)
        entry = AuditEntry.objects.get(action="access.glass_broken")
        assert entry.actor == counsellor.user and entry.target_code == str(sample.code)
        assert entry.purpose == "emergency"
        told = sorted(m.to[0] for m in mail.outbox)
        assert told == sorted([centre[Role.CASE_MANAGER].email, centre[Role.DPO].email])
        assert all("Klientka" not in m.body and str(sample.code) in m.body for m in mail.outbox)
        assert client.get(url)["Location"] == scope.url  # already open: straight through
        traveller.shift(dt.timedelta(minutes=61))
        assert not can_view(counsellor.user, scope)  # the grant has run out


def test_break_the_glass_is_refused_to_the_wrong_people(
    client: Client,
    centre: dict[Role, Persona],
    other_centre: dict[Role, Persona],
    sample: Sample,
) -> None:
    url = f"/access/home.sample/{sample.code}/"
    missing = "/access/home.sample/00000000-0000-4000-8000-000000000000/"
    # Those who may never break the glass cannot tell an existing record from a missing one.
    for role in (Role.ANALYST, Role.DPO, Role.ADMINISTRATOR):
        never = Client()
        sign_in(never, centre[role])
        never.get("/")  # the "signed in" message is shown once
        existing, absent = never.get(url), never.get(missing)
        assert existing.status_code == absent.status_code == 404, role
        # The same page but for the per-response tokens and the address itself.
        tokens = re.compile(r'(nonce="|CSRFToken": "|csrfmiddlewaretoken" value=")[^"]*"')
        seen = tokens.sub("", text(existing)).replace(url, missing)
        assert seen == tokens.sub("", text(absent)), role
        posted = never.post(url, {"reason": "other", "explanation": "x"})
        assert posted.status_code == 404, role
    outsider = Client()
    sign_in(outsider, other_centre[Role.COORDINATOR])
    assert outsider.get(url).status_code == 404
    nothing = "/access/home.sample/00000000-0000-4000-8000-000000000000/"
    assert outsider.get(nothing).status_code == 404
    assert outsider.get(f"/access/unknown.type/{sample.code}/").status_code == 404
    manager = Client()
    sign_in(manager, centre[Role.CASE_MANAGER])
    assert manager.get(url)["Location"].startswith("/?record=")  # in reach: no glass to break
    assert not AccessGrant.objects.exists()


def test_glass_break_service_refuses_what_the_view_refuses(
    centre: dict[Role, Persona], sample: Sample
) -> None:
    from django.core.exceptions import ValidationError

    from ostoja.accounts.services import glass_break

    scope = find_scope(centre[Role.COUNSELLOR].user, "home.sample", str(sample.code))
    assert scope is not None
    with pytest.raises(ValidationError):
        glass_break(
            scope=scope,
            reason=AccessGrant.Reason.OTHER,
            explanation="x",
            acting_user=centre[Role.ANALYST].user,
        )
    with pytest.raises(ValidationError):
        glass_break(
            scope=scope,
            reason=AccessGrant.Reason.OTHER,
            explanation="  ",
            acting_user=centre[Role.COUNSELLOR].user,
        )
    assert within_reach(centre[Role.CASE_MANAGER].user, scope)
    assert not AccessGrant.objects.exists()


def test_record_lists_are_empty_for_those_without_a_role(centre: dict[Role, Persona]) -> None:
    from ostoja.accounts.access import users_visible_to
    from ostoja.privacy.access import entries_visible_to

    roleless = make_user(None, None).user
    assert not users_visible_to(roleless).exists()
    assert not entries_visible_to(roleless).exists()
    assert not entries_visible_to(centre[Role.COORDINATOR].user).exists()
    assert users_visible_to(centre[Role.ADMINISTRATOR].user).count() == len(Role)


def test_the_case_manager_sees_who_has_seen_their_record(
    client: Client, centre: dict[Role, Persona], sample: Sample
) -> None:
    record("home.sample_viewed", actor=None)  # unrelated noise
    record("sample.viewed", actor=centre[Role.COUNSELLOR].user, target=sample)
    url = f"/privacy/audit/seen/home.sample/{sample.code}/"
    sign_in(client, centre[Role.CASE_MANAGER])
    page = client.get(url)
    assert page.status_code == 200
    assert centre[Role.COUNSELLOR].user.full_name in text(page)
    other = Client()
    sign_in(other, centre[Role.COUNSELLOR])  # on the team, but not its case manager
    assert other.get(url).status_code == 403
    assert client.get("/privacy/audit/seen/home.sample/no-such-record/").status_code == 403


def test_a_case_manager_out_of_reach_gets_nothing(
    centre: dict[Role, Persona], sample: Sample
) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from ostoja.privacy.access import access_record_history

    manager = centre[Role.CASE_MANAGER].user
    restricted = {"restricted": True}
    finder = SCOPE_FINDERS["home.sample"]
    SCOPE_FINDERS["home.sample"] = lambda user, code: (
        None if (s := finder(user, code)) is None else Scope(**(s.__dict__ | restricted))
    )
    with pytest.raises(Http404):
        access_record_history(manager, "home.sample", str(sample.code))
    with pytest.raises(PermissionDenied):
        access_record_history(centre[Role.ANALYST].user, "home.sample", str(sample.code))


def test_require_view_tells_missing_from_out_of_reach(centre: dict[Role, Persona]) -> None:
    scope = _scope(centre)
    require_view(centre[Role.SPECIALIST].user, scope)  # on the team: passes
    # Out of reach, but may break the glass: 403 with the offer.
    with pytest.raises(OutOfReach) as refused:
        require_view(centre[Role.COORDINATOR].user, _scope(centre, restricted=True))
    assert refused.value.scope.target_code == "c0de"
    # May not break the glass (an administrator): as if it did not exist.
    with pytest.raises(Http404):
        require_view(centre[Role.ADMINISTRATOR].user, scope)


def test_decide_gives_one_answer_with_what_may_be_read_and_written(
    centre: dict[Role, Persona],
) -> None:
    from django.core.exceptions import PermissionDenied

    from ostoja.accounts.policy import decide

    scope = _scope(centre)
    manager = decide(centre[Role.CASE_MANAGER].user, "record", scope, write=True)
    assert manager.record == "record" and manager.writable and manager.manages
    assert manager.health and manager.legal and manager.perpetrators
    member = decide(centre[Role.COUNSELLOR].user, "record", scope)
    assert member.writable and not member.manages
    assert not member.health and member.may_read(FieldClass.IDENTITY)
    coordinator = decide(centre[Role.COORDINATOR].user, "record", scope)
    assert coordinator.manages and coordinator.legal
    with pytest.raises(Http404):
        decide(centre[Role.ANALYST].user, "record", scope)
    # A break-the-glass grant: read, never write, never manage.
    outsider = centre[Role.SHELTER_STAFF].user
    AccessGrant.objects.create(
        user=outsider,
        organisation_id=scope.organisation_id,
        target_type=scope.target_type,
        target_code=scope.target_code,
        reason=AccessGrant.Reason.EMERGENCY,
        explanation="x",
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
    )
    granted = decide(outsider, "record", scope)
    assert not granted.writable and not granted.manages and not granted.health
    with pytest.raises(PermissionDenied):
        decide(outsider, "record", scope, write=True)


def test_granted_codes_are_those_of_running_grants(centre: dict[Role, Persona]) -> None:
    import uuid

    from ostoja.accounts.policy import granted_codes

    user = centre[Role.COUNSELLOR].user
    assert user.organisation is not None
    now = dt.datetime.now(dt.UTC)
    codes = [uuid.uuid4(), uuid.uuid4()]
    for code, expires in zip(codes, (now + dt.timedelta(hours=1), now), strict=True):
        AccessGrant.objects.create(
            user=user,
            organisation=user.organisation,
            target_type="cases.case",
            target_code=str(code),
            reason=AccessGrant.Reason.EMERGENCY,
            explanation="x",
            expires_at=expires,
        )
    assert granted_codes(user, "cases.case") == [codes[0]]
    assert granted_codes(user, "people.person") == []


def test_the_emergency_rule(centre: dict[Role, Persona], other_centre: dict[Role, Persona]) -> None:
    from ostoja.accounts.policy import Emergency, can_view_in_emergency, works_with_people

    scope = _scope(centre, team={centre[Role.CASE_MANAGER].user.pk: TeamRole.CASE_MANAGER})
    counsellor, shelter = centre[Role.COUNSELLOR].user, centre[Role.SHELTER_STAFF].user
    workers = frozenset({counsellor.pk, shelter.pk, centre[Role.ANALYST].user.pk})
    working = Emergency(scope.organisation_id, True, workers)
    # Whoever may open the record anyway.
    assert can_view_in_emergency(centre[Role.CASE_MANAGER].user, scope, working)
    # The people working the open emergency.
    assert can_view_in_emergency(counsellor, scope, working)
    assert can_view_in_emergency(shelter, scope, working)
    # Not someone who is not working it …
    assert not can_view_in_emergency(centre[Role.SPECIALIST].user, scope, working)
    # … nor anyone once it is over …
    assert not can_view_in_emergency(
        counsellor, scope, Emergency(scope.organisation_id, False, workers)
    )
    # … nor a role that never sees identities, even if alerted …
    assert not can_view_in_emergency(centre[Role.ANALYST].user, scope, working)
    # … nor another organisation's staff, nor for another organisation's emergency …
    outsider = other_centre[Role.COORDINATOR].user
    assert not can_view_in_emergency(
        outsider, scope, Emergency(scope.organisation_id, True, frozenset({outsider.pk}))
    )
    assert not can_view_in_emergency(counsellor, scope, Emergency(-1, True, workers))
    # … nor anyone but the named for a restricted record.
    restricted = _scope(centre, restricted=True, named=frozenset())
    assert not can_view_in_emergency(counsellor, restricted, working)
    # Who works with people at all (may be on duty).
    on_duty = {role for role, persona in centre.items() if works_with_people(persona.user)}
    assert on_duty == {Role.COUNSELLOR, Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
