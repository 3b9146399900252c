"""Public views (join the waitlist); served under a language prefix."""

urlpatterns = []
