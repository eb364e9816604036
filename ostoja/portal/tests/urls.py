"""The project's URLs and a neutral page for the quick exit to land on in the browser
tests (in production it is another site; a test sends no request off the machine, and a
browser's route cannot answer for the target of a redirect)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ostoja.urls import handler400, handler403, handler404, handler500, urlpatterns

NEUTRAL = (
    '<!DOCTYPE html><html lang="en"><head><title>Weather</title></head>'
    '<link rel="icon" href="data:,">'
    "<body><main><h1>Weather in Warsaw</h1><p>Cloudy, 4 °C.</p></main></body></html>"
)


@login_not_required
def neutral(request: HttpRequest) -> HttpResponse:
    return HttpResponse(NEUTRAL)


urlpatterns = [path("neutral/", neutral), path("before/", neutral), *urlpatterns]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
