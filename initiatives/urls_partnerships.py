"""Initiative URLs (urls_partnerships): filled by its owner."""

urlpatterns: list = []
