"""Initiative API (api_partnerships): filled by its owner."""

urlpatterns: list = []
