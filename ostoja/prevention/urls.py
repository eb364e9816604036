from django.urls import path

from ostoja.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.counselling_list, name="list"),
    path("new/", views.counselling_new, name="new"),
    path("<uuid:code>/", views.counselling_detail, name="detail"),
    path("<uuid:code>/check-ins/", views.check_ins_start, name="check_ins_start"),
    path("check-ins/<uuid:code>/stop/", views.check_ins_stop, name="check_ins_stop"),
    path("<uuid:code>/safety-plan.pdf", views.safety_plan, name="safety_plan"),
    path("agencies/", views.agency_lookup, name="agencies"),
]
