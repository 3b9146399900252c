"""instructor views."""

urlpatterns = []
