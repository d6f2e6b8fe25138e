"""Workshop list, forms, people, guest join and the board pages."""

urlpatterns: list = []
