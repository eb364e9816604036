from django.urls import path

from ostoja.interventions import views, webhooks

app_name = "interventions"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.intervention_new, name="new"),
    path("<uuid:code>/", views.intervention_detail, name="detail"),
    path("<uuid:code>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:code>/people/", views.person_add, name="person_add"),
    path("<uuid:code>/people/form/", views.person_form, name="person_form"),
    path("<uuid:code>/actions/", views.action_add, name="action_add"),
    path("<uuid:code>/close/", views.intervention_close, name="close"),
    path("roster/", views.roster_month, name="roster"),
    path("roster/shifts/", views.shift_add, name="shift_add"),
    path("roster/shifts/<uuid:code>/remove/", views.shift_remove, name="shift_remove"),
    path("roster/shifts/<uuid:code>/handover/", views.handover, name="handover"),
    path("roster/shifts/<uuid:code>/swap/", views.swap_ask, name="swap_ask"),
    path("roster/swaps/<uuid:code>/", views.swap_answer, name="swap_answer"),
    path("duty-phone/", views.duty_phone, name="duty_phone"),
    path("settings/", views.duty_settings, name="settings"),
    path("api/on-duty/", views.duty_api, name="duty_api"),
    # Public, signed: the SMS gateway's delivery reports.
    path("hooks/sms-status/", webhooks.sms_status, name="sms_status"),
]
