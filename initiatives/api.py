"""Initiative API endpoints (filled by the initiatives issue)."""

urlpatterns: list = []
