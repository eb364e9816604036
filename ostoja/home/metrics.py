"""The gauges computed when ``/metrics/`` is scraped (``ostoja.lib.metrics``): the same
numbers whichever worker answers, read from the queue and the database."""

from collections.abc import Iterator

from huey.contrib.djhuey import HUEY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from ostoja.interventions.models import Notification


class StateCollector(Collector):
    """Tasks waiting in the queue; escalation notifications waiting to be sent."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "ostoja_tasks_waiting", "Tasks waiting in the queue.", value=int(HUEY.pending_count())
        )
        yield GaugeMetricFamily(
            "ostoja_escalation_notifications_waiting",
            "Notifications of interventions (escalations) waiting to be sent.",
            value=Notification.objects.filter(status=Notification.Status.PENDING).count(),
        )
