from django.urls import path

from ostoja.reports import views

app_name = "reports"
urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/<str:form>/", views.annual_download, name="annual_download"),
]
