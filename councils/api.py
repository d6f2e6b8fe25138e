"""Organisation API endpoints (filled by the API helper)."""

urlpatterns: list = []
