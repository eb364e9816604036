"""The permission matrix: every URL of Ostoja × every role × another centre's staff.

Every URL pattern must have a row here (SECURITY.md §(b) 1: 100 % of URL patterns have an
explicit policy): a new view without one fails this test until its policy is written down.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ostoja.accounts.roles import Role
from ostoja.helpline.services import contact_start, follow_up_add
from ostoja.test import Persona, assert_access

pytestmark = pytest.mark.django_db
EVERY_ROLE = set(Role)
_CASES = {Role.CASE_MANAGER, Role.SPECIALIST, Role.COORDINATOR}
_PEOPLE = {Role.COUNSELLOR, *_CASES}

# route name (or path, for unnamed routes) -> who may use it; None: public or covered below.
MATRIX: dict[str, set[Role] | None] = {
    "home:dashboard": EVERY_ROLE,
    # One's own notices: everyone has theirs (home/tests/test_workspace.py).
    "notices:list": EVERY_ROLE,
    "notices:open": None,  # POST with a notice of one's own
    "notices:read": None,  # POST
    "notices:preferences": None,  # POST
    "home:health": None,  # public: says only whether the database answers
    "home:ready": None,  # from the server itself only: home/tests/test_ready.py
    "home:metrics": None,  # from the server itself only: home/tests/test_metrics.py
    "home:search": EVERY_ROLE,  # each finds what they may see: home/tests/test_search.py
    "set_language": None,  # public: the language switch of the sign-in page
    "accounts/email/": None,  # 404 for everyone: not used
    "accounts/signup/": None,  # 404 for everyone: not used
    "accounts:user_list": {Role.ADMINISTRATOR},
    "accounts:user_invite": {Role.ADMINISTRATOR},
    "accounts:user_detail": {Role.ADMINISTRATOR},
    "accounts:user_action": {Role.ADMINISTRATOR},
    "privacy:entry_list": {Role.DPO},
    "privacy:seen_by": {Role.DPO},
    "privacy:entry_detail": None,  # the DPO, entry by entry: audit/tests/test_redaction.py
    "privacy:entry_redact": None,  # the DPO, own organisation's entries: test_redaction.py
    # The DPO and the person's case managers: privacy/tests/test_person_seen.py.
    "privacy:person_seen": None,
    "privacy:find": {Role.DPO},
    "privacy:disclosures": {Role.DPO},  # privacy/tests/test_disclosures.py: the ledger
    # The DPO's records (privacy/tests/test_records.py; the downloads in sudo mode there).
    "privacy:processing_record": {Role.DPO},
    "privacy:processing_record_pdf": None,
    "privacy:dpia_list": {Role.DPO},
    "privacy:dpia_new": {Role.DPO},
    "privacy:dpia_pdf": None,
    "privacy:dpia_edit": None,  # a record: test_records.py runs assert_access
    "privacy:breach_list": {Role.DPO},
    "privacy:breach_new": {Role.DPO},
    "privacy:breach_pdf": None,
    "privacy:breach_detail": None,  # a record: test_records.py runs assert_access
    # Subject-rights requests: the DPO's list; each request for the DPO and the person's
    # case managers, each person's for their case managers (privacy/tests/test_requests.py).
    "privacy:request_list": {Role.DPO},
    "privacy:person_requests": None,
    "privacy:request_detail": None,
    "privacy:request_verify": None,
    "privacy:request_approve": None,
    "privacy:request_refuse": None,
    "privacy:request_rectify": None,
    "privacy:request_erase": None,
    "privacy:request_pdf": None,
    "privacy:request_json": None,
    # Retention: the DPO's (privacy/tests/test_retention_views.py; changes in sudo mode).
    "privacy:retention": {Role.DPO},
    "privacy:retention_preview": {Role.DPO},
    "privacy:retention_schedule": None,
    "privacy:holds": None,
    "privacy:hold_lift": None,
    # Statistics: aggregates for the roles that see them; the downloads are in sudo mode
    # (reports/tests/test_views.py).
    "reports:annual": {Role.ANALYST, Role.COORDINATOR},
    "reports:annual_pdf": None,
    "reports:annual_xlsx": None,
    "reports:annual_prepare": None,  # POST, sudo mode (reports/tests/test_views.py)
    "privacy:find_case": {Role.DPO},  # POST (privacy/tests/test_find.py: what is found)
    "privacy:find_person": {Role.DPO},  # POST
    "break_glass": None,  # record-dependent: accounts/tests/test_policy.py
    # The helpline (helpline/tests/test_contacts.py runs assert_access on each record view).
    "helpline:contact_list": {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
    "helpline:contact_new": {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
    "helpline:contact_edit": {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
    "helpline:contact_autosave": {Role.COUNSELLOR, Role.COORDINATOR},
    "helpline:contact_discard": None,  # a draft of one's own: helpline/tests/test_contacts.py
    "helpline:follow_up_add": {Role.COUNSELLOR, Role.COORDINATOR},
    "helpline:follow_up_done": {Role.COUNSELLOR, Role.COORDINATOR},
    "helpline:contact_reply": {Role.COUNSELLOR, Role.COORDINATOR},
    "helpline:attachment_download": None,  # helpline/tests/test_correspondence.py
    # Telephony: public signed webhooks and the staff pop-up (helpline/tests/test_telephony.py).
    "helpline:telephony_events": None,
    "helpline:twilio_voice": None,
    "helpline:twilio_fallback": None,
    "helpline:twilio_status": None,
    "helpline:twilio_agent": None,
    "helpline:incoming": None,
    # People (people/tests/test_people.py runs assert_access on each record view).
    "people:person_list": _PEOPLE,
    "people:person_new": _PEOPLE,
    "people:person_matches": _PEOPLE,
    "people:person_detail": None,
    "people:person_edit": None,
    "people:person_merge": None,
    "people:relation_add": None,
    "people:relation_form": None,
    "people:person_history": None,
    "people:relation_remove": None,
    # Cases (cases/tests/test_cases.py runs assert_access on each record view).
    "cases:case_list": _CASES,
    "cases:my_tasks": _CASES,
    "cases:case_new": None,
    "cases:case_detail": None,
    "cases:case_edit": None,
    "cases:case_status": None,
    "cases:team_set": None,
    "cases:team_remove": None,
    "cases:client_add": None,
    "cases:record_add": None,
    "cases:case_form": None,
    "cases:case_section": None,
    "cases:document_add": None,
    "cases:case_timeline": None,
    "cases:case_summary": None,
    "cases:action_add": None,
    "cases:goal_status": None,
    "cases:action_status": None,
    "cases:consent_withdraw": None,
    "cases:deadline_met": None,
    "cases:document_download": None,
    # Identification (identification/tests/test_identification.py runs assert_access).
    "identification:person": None,
    "identification:assessment_new": None,
    "identification:preliminary_add": None,
    "identification:decision_add": None,
    "identification:assessment": None,
    "identification:answer": None,
    "identification:continue": None,
    "identification:discard": None,
    "identification:summary": None,
    "identification:catalogues": None,
    "identification:catalogue_download": None,
    # Interventions (interventions/tests/test_interventions.py runs assert_access).
    "interventions:board": None,
    "interventions:new": None,
    "interventions:detail": None,
    "interventions:acknowledge": None,
    "interventions:person_add": None,
    "interventions:person_form": None,
    "interventions:action_add": None,
    "interventions:close": None,
    "interventions:handover_assign": None,  # coordinators: home/tests/test_workspace.py
    "interventions:handover_acknowledge": None,  # the one it is handed to: same
    "interventions:sms_status": None,  # public, signed: interventions/tests/test_notify.py
    # Public, signed: interventions/tests/test_sms_inbound.py.
    "interventions:sms_inbound": None,
    # The public portal: no account (portal/tests/test_pages.py).
    "portal:choose": None,
    "portal:exit": None,
    "portal:home": None,
    "portal:page": None,
    "portal:check": None,
    "portal:check_send": None,
    "portal:message": None,
    "portal:report": None,
    # Prevention: the helpline's staff (prevention/tests/test_counselling.py runs assert_access).
    "prevention:list": {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
    "prevention:new": {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
    "prevention:detail": None,  # a record: prevention/tests/test_counselling.py
    "prevention:safety_plan": None,  # a record: prevention/tests/test_plan.py
    "prevention:check_ins_start": None,  # a record: prevention/tests/test_check_ins.py
    "prevention:check_ins_stop": None,  # a record: prevention/tests/test_check_ins.py
    "prevention:agencies": {Role.COUNSELLOR, Role.CASE_MANAGER, Role.COORDINATOR},
    # The shelter (shelter/tests/test_views.py runs assert_access on each view).
    "shelter:board": None,
    "shelter:reserve": None,
    "shelter:facility": None,
    "shelter:bed_use": None,
    "shelter:placement": None,
    "shelter:admit": None,
    "shelter:discharge": None,
    "shelter:move": None,
    "shelter:cancel": None,
    "shelter:case_panel": None,
    "shelter:shift_book": None,
    "shelter:waiting": None,
    "shelter:item_keep": None,
    "shelter:incident_record": None,
    "shelter:incident_close": None,
    "shelter:item_return": None,
    "shelter:item_receipt": None,  # a stay's writers, recent sign-in: test_items.py
    "shelter:step_add": None,  # POST, the stay's case team: shelter/tests/test_plan.py
    "shelter:waiting_add": None,
    "shelter:waiting_end": None,
    "shelter:absence_start": None,
    "shelter:absence_return": None,
    # The duty roster (duty/tests/test_roster.py runs assert_access).
    "duty:roster": None,
    "duty:shift_add": None,
    "duty:shift_remove": None,
    "duty:handover": None,
    "duty:swap_ask": None,
    "duty:swap_answer": None,  # only the colleague asked: test_swaps_and_handover_notes
    "duty:duty_phone": None,
    "duty:settings": None,
    "duty:duty_api": None,
    # The partner directory (network/tests/test_directory.py runs assert_access).
    "network:directory": None,
    "network:partner_new": None,
    "network:partner_detail": None,
    "network:partner_edit": None,
    "network:service_new": None,
    "network:service_edit": None,
    "network:service_remove": None,
    "network:contact_new": None,
    "network:contact_edit": None,
    "network:contact_remove": None,
    # Archiving, places and phones (test_directory.py), the HSDS upload (test_hsds.py).
    "network:partner_archive": None,
    "network:location_new": None,
    "network:location_remove": None,
    "network:phone_new": None,
    "network:phone_remove": None,
    "network:directory_upload": {Role.COORDINATOR},
    # Consultations (network/tests/test_consultations.py runs assert_access).
    "network:consultation_list": None,
    "network:consultation_new": None,
    "network:consultation_detail": None,
    "network:consultation_edit": None,
    "network:consultation_follow_up_done": None,
    "network:consultation_case": None,
    "network:consultation_intervention": None,
    "network:trainings": None,
    # Referrals (network/tests/test_referrals.py runs assert_access).
    "network:case_referrals": None,
    "network:referral_detail": None,
    "network:referral_document": None,
    # Whoever may see the person: privacy/tests/test_ledger.py.
    "network:person_disclosures": None,
    "network:incoming_list": None,
    "network:incoming_detail": None,
    # Interpreters (network/tests/test_interpreters.py runs assert_access).
    "network:interpreters": None,
    "network:interpreter_book": None,
    "network:interpreter_edit": None,
    "network:interpreter_active": None,
    # Official exports (reports/tests/test_exports_views.py runs assert_access on each).
    "reports:exports": None,  # the analyst and the coordinator
    "reports:export_download": None,  # the analyst and the coordinator
    "reports:export_threshold": None,  # the coordinator
    "reports:export_job": None,  # the one who asked for it (same file)
    "reports:export_job_file": None,
}


def _patterns() -> list[str]:
    found: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                if module.startswith("ostoja."):
                    inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                    walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif pattern.name:
                found.append(namespace + pattern.name)
            else:
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_url_has_a_policy() -> None:
    assert sorted(_patterns()) == sorted(MATRIX)


def test_every_role_gets_exactly_its_pages(
    centre: dict[Role, Persona], other_centre: dict[Role, Persona]
) -> None:
    target = centre[Role.COUNSELLOR].user.code
    paths: dict[str, tuple[str, str, int | None]] = {
        "home:dashboard": ("get", "/", None),
        "notices:list": ("get", "/notices/", None),  # each their own
        "home:search": ("get", "/search/", None),
        "accounts:user_list": ("get", "/users/", None),  # each centre lists its own
        "accounts:user_invite": ("get", "/users/invite/", None),
        "accounts:user_detail": ("get", f"/users/{target}/", 404),
        "accounts:user_action": ("post", f"/users/{target}/end-sessions/", 404),
        "privacy:entry_list": ("get", "/privacy/audit/", 403),  # the other centre here has no DPO
        "privacy:seen_by": ("get", f"/privacy/audit/seen/accounts.user/{target}/", 403),
        "privacy:find": ("get", "/privacy/find/", 403),
        "privacy:disclosures": ("get", "/privacy/disclosures/", 403),
        "privacy:processing_record": ("get", "/privacy/record/", 403),
        "privacy:dpia_list": ("get", "/privacy/dpia/", 403),
        "privacy:dpia_new": ("get", "/privacy/dpia/new/", 403),
        "privacy:breach_list": ("get", "/privacy/breaches/", 403),
        "privacy:breach_new": ("get", "/privacy/breaches/new/", 403),
        "privacy:request_list": ("get", "/privacy/requests/", 403),
        "privacy:find_case": ("post", "/privacy/find/case/", 403),
        "privacy:find_person": ("post", "/privacy/find/person/", 403),
        "privacy:retention": ("get", "/privacy/retention/", 403),
        "privacy:retention_preview": ("get", "/privacy/retention/preview/", 403),
        "reports:annual": ("get", "/reports/annual/", None),  # each centre its own numbers
    }
    counsellor = centre[Role.COUNSELLOR].user
    assert counsellor.organisation is not None
    contact = contact_start(organisation=counsellor.organisation, acting_user=counsellor)
    follow_up = follow_up_add(
        contact=contact,
        task="x",
        due=dt.date(2026, 12, 1),
        assignee=counsellor,
        acting_user=counsellor,
    )
    paths |= {
        "helpline:contact_list": ("get", "/helpline/", None),
        "helpline:contact_new": ("post", "/helpline/new/", None),
        "helpline:contact_edit": ("get", f"/helpline/{contact.code}/", 404),
        "helpline:contact_autosave": ("post", f"/helpline/{contact.code}/autosave/", 404),
        "helpline:follow_up_add": ("post", f"/helpline/{contact.code}/follow-ups/", 404),
        "helpline:follow_up_done": ("post", f"/helpline/follow-ups/{follow_up.code}/done/", 404),
        "helpline:contact_reply": ("post", f"/helpline/{contact.code}/reply/", 404),
    }
    paths |= {
        "people:person_list": ("get", "/people/", None),
        "people:person_new": ("get", "/people/new/", None),
        "people:person_matches": ("post", "/people/matches/", None),
        "cases:case_list": ("get", "/cases/", None),
        "cases:my_tasks": ("get", "/cases/tasks/", None),
        "prevention:list": ("get", "/prevention/", None),
        "prevention:new": ("get", "/prevention/new/", None),
        "prevention:agencies": ("get", "/prevention/agencies/", None),
        "network:directory_upload": ("get", "/network/import/", None),
    }
    assert set(paths) == {name for name, roles in MATRIX.items() if roles}
    for name, (method, path, outsider) in paths.items():
        allowed = MATRIX[name]
        assert allowed is not None
        assert_access(
            path, centre, other_centre, allowed=allowed, method=method, outsider_status=outsider
        )
