from django.urls import path

from ostoja.reports.exports import views

urlpatterns = [
    path("exports/", views.exports, name="exports"),
    path("exports/download/", views.export_download, name="export_download"),
    path("exports/jobs/<uuid:code>/", views.export_job, name="export_job"),
    path("exports/jobs/<uuid:code>/file/", views.export_job_file, name="export_job_file"),
    path("exports/threshold/", views.threshold, name="export_threshold"),
]
