"""Initiative API (api_discussion): filled by its owner."""

urlpatterns: list = []
