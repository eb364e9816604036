from django.urls import path

from ostoja.reports import views

app_name = "reports"
urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/pdf/", views.annual_download, {"form": "pdf"}, name="annual_pdf"),
    path("annual/xlsx/", views.annual_download, {"form": "xlsx"}, name="annual_xlsx"),
]
