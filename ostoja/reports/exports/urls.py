from django.urls import path

from ostoja.reports.exports import views

urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("exports/download/", views.export_download, name="export_download"),
    path("exports/threshold/", views.threshold, name="export_threshold"),
]
