"""An authentication backend for the test settings only (pathways.settings.test).

Django's test client `client.login()` calls authenticate() without a request, which django-axes refuses
outright. Tests that sign in that way skip the lockout check; every login view passes the request, and
tests/trust/test_lockout.py proves the lockout through those views with the production backend's code.
"""

from axes.backends import AxesStandaloneBackend


class AxesBackendForTestClient(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
