"""calendar views."""

urlpatterns = []
