"""Production settings plus the benchmarks' minimal page (``bench/urls.py``), for
``bench/load.py``: its ratio to the minimal page is measured on the same server."""

from ostoja.settings import *  # noqa: F403  # the production settings, as they are

ROOT_URLCONF = "bench.urls"
