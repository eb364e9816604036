from django.urls import path

from ostoja.home import views

app_name = "home"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("health/", views.health, name="health"),
    path("ready/", views.ready, name="ready"),
    path("metrics/", views.metrics, name="metrics"),
    path("search/", views.search, name="search"),
]
