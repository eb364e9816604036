from django.urls import path

from ostoja.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_new, name="person_new"),
    path("matches/", views.person_matches, name="person_matches"),
    path("<uuid:code>/", views.person_detail, name="person_detail"),
    path("<uuid:code>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:code>/merge/", views.person_merge, name="person_merge"),
    path("<uuid:code>/relations/", views.relation_add, name="relation_add"),
    path("<uuid:code>/relations/form/", views.relation_form, name="relation_form"),
    path("<uuid:code>/history/", views.person_history, name="person_history"),
    path("relations/<uuid:code>/remove/", views.relation_remove, name="relation_remove"),
]
