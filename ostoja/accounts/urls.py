from django.urls import path

from ostoja.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("invite/", views.user_invite, name="user_invite"),
    path("<uuid:code>/", views.user_detail, name="user_detail"),
    path("<uuid:code>/<slug:action>/", views.user_action, name="user_action"),
]
