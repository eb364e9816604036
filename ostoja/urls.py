"""Ostoja's URLs. Every view needs a signed-in user with a second factor unless it says
otherwise (LoginRequiredMiddleware, MfaRequiredMiddleware)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ostoja.accounts import views as accounts_views
from ostoja.home.views import error_view, not_found

urlpatterns = [
    path("", include("ostoja.home.urls")),
    path("users/", include("ostoja.accounts.urls")),
    path("notices/", include("ostoja.accounts.notice_urls")),
    path("privacy/", include("ostoja.privacy.urls")),
    path("helpline/", include("ostoja.helpline.urls")),
    path("people/", include("ostoja.people.urls")),
    path("cases/", include("ostoja.cases.urls")),
    path("identification/", include("ostoja.identification.urls")),
    path("duty/", include("ostoja.duty.urls")),
    path("interventions/", include("ostoja.interventions.urls")),
    path("prevention/", include("ostoja.prevention.urls")),
    # The public portal: no account, nothing of the staff side (ostoja/portal/privacy.py).
    path("portal/", include("ostoja.portal.urls")),
    path("network/", include("ostoja.network.urls")),
    path("shelter/", include("ostoja.shelter.urls")),
    path("reports/", include("ostoja.reports.urls")),
    path(
        "access/<str:target_type>/<str:code>/",
        accounts_views.break_glass,
        name="break_glass",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Staff do not manage their own e-mail addresses, nor sign themselves up.
    path("accounts/email/", not_found),
    path("accounts/signup/", not_found),
    path("accounts/", include("allauth.urls")),
]

handler400 = error_view(400)
handler403 = error_view(403)
handler404 = error_view(404)
handler500 = error_view(500)
