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
    path("<uuid:code>/handover/", views.handover_assign, name="handover_assign"),
    path(
        "<uuid:code>/handover/acknowledge/",
        views.handover_acknowledge,
        name="handover_acknowledge",
    ),
    # Public, signed: the SMS gateway's delivery reports and the messages sent to us.
    path("hooks/sms-status/", webhooks.sms_status, name="sms_status"),
    path("hooks/sms-inbound/", webhooks.sms_inbound, name="sms_inbound"),
]
