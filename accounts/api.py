"""Account API endpoints: /api/v1/me/ (filled by the API helper)."""

urlpatterns: list = []
