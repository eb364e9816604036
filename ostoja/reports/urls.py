from django.urls import URLPattern, URLResolver, include, path

from ostoja.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("annual/", views.annual, name="annual"),
    path("annual/pdf/", views.annual_download, {"form": "pdf"}, name="annual_pdf"),
    path("annual/xlsx/", views.annual_download, {"form": "xlsx"}, name="annual_xlsx"),
    path("annual/prepare/", views.annual_prepare, name="annual_prepare"),
    path("", include("ostoja.reports.exports.urls")),
]
