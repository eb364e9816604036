from django.urls import path

from ostoja.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("seen/<str:target_type>/<str:code>/", views.seen_by, name="seen_by"),
]
