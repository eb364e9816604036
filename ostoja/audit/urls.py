from django.urls import path

from ostoja.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    # An entry's "code" is its number in the chain: it names an event, never a person.
    path("entries/<str:code>/", views.entry_detail, name="entry_detail"),
    path("entries/<str:code>/redact/", views.entry_redact, name="entry_redact"),
    path("seen/<str:target_type>/<str:code>/", views.seen_by, name="seen_by"),
]
