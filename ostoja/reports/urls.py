from django.urls import URLPattern, URLResolver, include, path

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("ostoja.reports.exports.urls")),
]
