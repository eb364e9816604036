from django.urls import path

from ostoja.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("<uuid:code>/", views.case_detail, name="case_detail"),
    path("<uuid:code>/edit/", views.case_edit, name="case_edit"),
    path("<uuid:code>/status/", views.case_status, name="case_status"),
    path("<uuid:code>/team/", views.team_set, name="team_set"),
    path("<uuid:code>/team/remove/", views.team_remove, name="team_remove"),
    path("<uuid:code>/clients/", views.client_add, name="client_add"),
    path("<uuid:code>/add/<slug:section>/", views.record_add, name="record_add"),
    path("<uuid:code>/form/<slug:section>/", views.case_form, name="case_form"),
    path("<uuid:code>/section/<slug:section>/", views.case_section, name="case_section"),
    path("<uuid:code>/documents/", views.document_add, name="document_add"),
    path("<uuid:code>/timeline/", views.case_timeline, name="case_timeline"),
    path("<uuid:code>/summary.pdf", views.case_summary, name="case_summary"),
    path("goals/<uuid:code>/actions/", views.action_add, name="action_add"),
    path("goals/<uuid:code>/status/", views.goal_status, name="goal_status"),
    path("actions/<uuid:code>/status/", views.action_status, name="action_status"),
    path("consents/<uuid:code>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("deadlines/<uuid:code>/met/", views.deadline_met, name="deadline_met"),
    path("documents/<uuid:code>/", views.document_download, name="document_download"),
]
