from django.urls import path

from ostoja.accounts import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("open/", views.notice_open, name="open"),
    path("read/", views.notices_read, name="read"),
    path("preferences/", views.notice_preferences, name="preferences"),
]
