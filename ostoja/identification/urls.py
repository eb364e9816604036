from django.urls import path

from ostoja.identification import views

app_name = "identification"
urlpatterns = [
    path("people/<uuid:code>/", views.person_identification, name="person"),
    path("people/<uuid:code>/assessments/", views.assessment_new, name="assessment_new"),
    path("people/<uuid:code>/preliminary/", views.preliminary_add, name="preliminary_add"),
    path("people/<uuid:code>/decisions/", views.decision_add, name="decision_add"),
    path("assessments/<uuid:code>/", views.assessment_detail, name="assessment"),
    path("assessments/<uuid:code>/answer/", views.answer, name="answer"),
    path("assessments/<uuid:code>/continue/", views.assessment_continue, name="continue"),
    path("assessments/<uuid:code>/discard/", views.assessment_discard, name="discard"),
    path("assessments/<uuid:code>/summary.pdf", views.assessment_summary, name="summary"),
    path("catalogues/", views.catalogues, name="catalogues"),
    path("catalogues/<int:version>.json", views.catalogue_download, name="catalogue_download"),
]
