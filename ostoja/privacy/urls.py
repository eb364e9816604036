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
    # Retention (issue #19): schedules, the next run's preview, legal holds.
    path("retention/", retention_views.schedules, name="retention"),
    path("retention/preview/", retention_views.preview, name="retention_preview"),
    path("retention/<str:kind>/", retention_views.schedule_edit, name="retention_schedule"),
    path("holds/", retention_views.holds, name="holds"),
    path("holds/<uuid:code>/lift/", retention_views.hold_lift, name="hold_lift"),
]
