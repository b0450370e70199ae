from django.urls import path  # noqa: F401

app_name = "collective"

urlpatterns: list = []
from guichet.collective.urls_registrations import urlpatterns as _registrations  # noqa: E402

urlpatterns += _registrations

from guichet.collective.urls_results import urlpatterns as results_urlpatterns  # noqa: E402

urlpatterns[:0] = results_urlpatterns  # first, so that "resultats/" is never an action's slug

from guichet.collective.urls_actions import urlpatterns as _actions  # noqa: E402

urlpatterns += _actions
