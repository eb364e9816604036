from django.urls import path

from ostoja.helpline import views, webhooks

app_name = "helpline"
urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("new/", views.contact_new, name="contact_new"),
    path("<uuid:code>/", views.contact_edit, name="contact_edit"),
    path("<uuid:code>/autosave/", views.contact_autosave, name="contact_autosave"),
    path("<uuid:code>/discard/", views.contact_discard, name="contact_discard"),
    path("<uuid:code>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<uuid:code>/done/", views.follow_up_done, name="follow_up_done"),
    path("<uuid:code>/reply/", views.contact_reply, name="contact_reply"),
    path("attachments/<uuid:code>/", views.attachment_download, name="attachment_download"),
    # Telephony (helpline/webhooks.py): public, signed doors, and the counsellor's pop-up.
    path("telephony/events/", webhooks.events, name="telephony_events"),
    path("telephony/twilio/voice/", webhooks.twilio_voice, name="twilio_voice"),
    path("telephony/twilio/fallback/", webhooks.twilio_fallback, name="twilio_fallback"),
    path("telephony/twilio/status/", webhooks.twilio_status, name="twilio_status"),
    path("telephony/twilio/agent/", webhooks.twilio_agent, name="twilio_agent"),
    path("incoming/", webhooks.incoming, name="incoming"),
]
