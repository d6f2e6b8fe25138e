"""Initiative API (api_initiatives): filled by its owner."""

urlpatterns: list = []
