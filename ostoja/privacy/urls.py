from django.urls import path

from ostoja.privacy import retention_views, views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.entry_list, name="entry_list"),
    path("disclosures/", views.disclosures, name="disclosures"),
    # An entry's "code" is its number in the chain: it names an event, never a person.
    path("audit/entries/<str:code>/", views.entry_detail, name="entry_detail"),
    path("audit/entries/<str:code>/redact/", views.entry_redact, name="entry_redact"),
    path("audit/seen/<str:target_type>/<str:code>/", views.seen_by, name="seen_by"),
    # A person with all their records: cases, contacts, calls, interventions, identification.
    path("audit/people/<uuid:code>/", views.person_seen, name="person_seen"),
    # Finding a record: the searches are POSTs, so that a name never lands in a URL or a log.
    path("find/", views.find, name="find"),
    path("find/case/", views.find_case, name="find_case"),
    path("find/person/", views.find_person, name="find_person"),
    # The DPO's records (GDPR Art. 30, 33, 35).
    path("record/", views.processing_record, name="processing_record"),
    path("record/pdf/", views.processing_record_pdf, name="processing_record_pdf"),
    path("dpia/", views.dpia_list, name="dpia_list"),
    path("dpia/new/", views.dpia_edit, name="dpia_new"),
    path("dpia/pdf/", views.dpia_pdf, name="dpia_pdf"),
    path("dpia/<uuid:code>/", views.dpia_edit, name="dpia_edit"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/new/", views.breach_new, name="breach_new"),
    path("breaches/pdf/", views.breach_pdf, name="breach_pdf"),
    path("breaches/<uuid:code>/", views.breach_detail, name="breach_detail"),
    # Subject-rights requests (GDPR Art. 15-17): a person's, and the DPO's list.
    path("people/<uuid:code>/requests/", views.person_requests, name="person_requests"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<uuid:code>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:code>/verify/", views.request_verify, name="request_verify"),
    path("requests/<uuid:code>/approve/", views.request_approve, name="request_approve"),
    path("requests/<uuid:code>/refuse/", views.request_refuse, name="request_refuse"),
    path("requests/<uuid:code>/rectify/", views.request_rectify, name="request_rectify"),
    path("requests/<uuid:code>/erase/", views.request_erase, name="request_erase"),
    path("requests/<uuid:code>/copy.pdf", views.request_copy, {"fmt": "pdf"}, name="request_pdf"),
    path(
        "requests/<uuid:code>/copy.json", views.request_copy, {"fmt": "json"}, name="request_json"
    ),
    # Retention (issue #19): schedules, the next run's preview, legal holds.
    path("retention/", retention_views.schedules, name="retention"),
    path("retention/preview/", retention_views.preview, name="retention_preview"),
    path("retention/<str:kind>/", retention_views.schedule_edit, name="retention_schedule"),
    path("holds/", retention_views.holds, name="holds"),
    path("holds/<uuid:code>/lift/", retention_views.hold_lift, name="hold_lift"),
]
