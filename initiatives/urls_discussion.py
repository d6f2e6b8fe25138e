"""Initiative URLs (urls_discussion): filled by its owner."""

urlpatterns: list = []
