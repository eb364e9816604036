"""The public portal, under ``/portal/`` (its own host name in production). Nothing here
links to the staff side, and nothing of the staff side is needed to use it."""

from django.urls import path

from ostoja.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.choose, name="choose"),
    path("exit/", views.quick_exit, name="exit"),
    path("<str:lang>/", views.home, name="home"),
    path("<str:lang>/check/", views.check, name="check"),
    path("<str:lang>/check/send/", views.check_send, name="check_send"),
    path("<str:lang>/message/", views.message, name="message"),
    path("<str:lang>/message/open/", views.report, name="report"),
    path("<str:lang>/<slug:slug>/", views.page, name="page"),
]
