from django.urls import path

from ostoja.shelter import views

app_name = "shelter"
urlpatterns = [
    path("", views.board, name="board"),
    path("reserve/", views.reserve, name="reserve"),
    path("waiting/", views.waiting_list, name="waiting"),
    path("waiting/add/", views.waiting_add, name="waiting_add"),
    path("waiting/<uuid:code>/end/", views.waiting_end, name="waiting_end"),
    path("facilities/<uuid:code>/", views.facility_detail, name="facility"),
    path("facilities/<uuid:code>/book/", views.shift_book, name="shift_book"),
    path("beds/<uuid:code>/use/", views.bed_use, name="bed_use"),
    path("placements/<uuid:code>/", views.placement_detail, name="placement"),
    path("placements/<uuid:code>/admit/", views.placement_admit, name="admit"),
    path("placements/<uuid:code>/discharge/", views.placement_discharge, name="discharge"),
    path("placements/<uuid:code>/move/", views.placement_move, name="move"),
    path("placements/<uuid:code>/cancel/", views.placement_cancel, name="cancel"),
    path("placements/<uuid:code>/steps/", views.stay_step_add, name="step_add"),
    path("placements/<uuid:code>/out/", views.absence_start, name="absence_start"),
    path("absences/<uuid:code>/back/", views.absence_return, name="absence_return"),
    path("placements/<uuid:code>/items/", views.item_keep, name="item_keep"),
    path("items/<uuid:code>/return/", views.item_return, name="item_return"),
    path("placements/<uuid:code>/receipt.pdf", views.item_receipt, name="item_receipt"),
    path("facilities/<uuid:code>/incidents/", views.incident_record, name="incident_record"),
    path("incidents/<uuid:code>/close/", views.incident_close, name="incident_close"),
    path("cases/<uuid:code>/", views.case_panel, name="case_panel"),
]
