"""Initiative URLs (urls_catalogue): filled by its owner."""

urlpatterns: list = []
