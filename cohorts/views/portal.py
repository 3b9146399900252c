"""portal views."""

urlpatterns = []
