from django.urls import path

from ostoja.duty import views

app_name = "duty"
urlpatterns = [
    path("", views.roster_month, name="roster"),
    path("shifts/", views.shift_add, name="shift_add"),
    path("shifts/<uuid:code>/remove/", views.shift_remove, name="shift_remove"),
    path("shifts/<uuid:code>/handover/", views.handover, name="handover"),
    path("shifts/<uuid:code>/swap/", views.swap_ask, name="swap_ask"),
    path("swaps/<uuid:code>/", views.swap_answer, name="swap_answer"),
    path("phone/", views.duty_phone, name="duty_phone"),
    path("settings/", views.duty_settings, name="settings"),
    path("api/on-duty/", views.duty_api, name="duty_api"),
]
