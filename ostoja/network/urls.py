from django.urls import path

from ostoja.network import views

app_name = "network"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("partners/new/", views.partner_new, name="partner_new"),
    path("partners/<uuid:code>/", views.partner_detail, name="partner_detail"),
    path("partners/<uuid:code>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<uuid:code>/archive/", views.partner_archive, name="partner_archive"),
    path("partners/<uuid:code>/locations/new/", views.location_new, name="location_new"),
    path("locations/<uuid:code>/remove/", views.location_remove, name="location_remove"),
    path("partners/<uuid:code>/phones/new/", views.phone_new, name="phone_new"),
    path("phones/<uuid:code>/remove/", views.phone_remove, name="phone_remove"),
    path("import/", views.directory_upload, name="directory_upload"),
    path("partners/<uuid:code>/services/new/", views.service_new, name="service_new"),
    path("services/<uuid:code>/", views.service_edit, name="service_edit"),
    path("services/<uuid:code>/remove/", views.service_remove, name="service_remove"),
    path("partners/<uuid:code>/people/new/", views.contact_new, name="contact_new"),
    path("people/<uuid:code>/", views.contact_edit, name="contact_edit"),
    path("people/<uuid:code>/remove/", views.contact_remove, name="contact_remove"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<uuid:code>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<uuid:code>/edit/", views.consultation_edit, name="consultation_edit"),
    path(
        "consultations/<uuid:code>/follow-up/",
        views.consultation_follow_up_done,
        name="consultation_follow_up_done",
    ),
    path("consultations/<uuid:code>/case/", views.consultation_case, name="consultation_case"),
    path(
        "consultations/<uuid:code>/intervention/",
        views.consultation_intervention,
        name="consultation_intervention",
    ),
    path("trainings/", views.trainings, name="trainings"),
    path("cases/<uuid:code>/referrals/", views.case_referrals, name="case_referrals"),
    path("referrals/<uuid:code>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:code>/summary.pdf", views.referral_document, name="referral_document"),
    path("interpreters/", views.interpreters, name="interpreters"),
    path("interpreters/book/", views.interpreter_book, name="interpreter_book"),
    path("interpreters/<uuid:code>/", views.interpreter_edit, name="interpreter_edit"),
    path("interpreters/<uuid:code>/active/", views.interpreter_active, name="interpreter_active"),
    path("incoming/", views.incoming_referrals, name="incoming_list"),
    path("incoming/<uuid:code>/", views.incoming_detail, name="incoming_detail"),
    path("persons/<uuid:code>/disclosures/", views.person_disclosures, name="person_disclosures"),
]
