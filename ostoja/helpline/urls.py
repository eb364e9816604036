from django.urls import path

from ostoja.helpline import views

app_name = "helpline"
urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("new/", views.contact_new, name="contact_new"),
    path("<uuid:code>/", views.contact_edit, name="contact_edit"),
    path("<uuid:code>/autosave/", views.contact_autosave, name="contact_autosave"),
    path("<uuid:code>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<uuid:code>/done/", views.follow_up_done, name="follow_up_done"),
    path("<uuid:code>/reply/", views.contact_reply, name="contact_reply"),
    path("attachments/<uuid:code>/", views.attachment_download, name="attachment_download"),
]
