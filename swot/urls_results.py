"""Actions, TOWS strategies, draft initiatives, summary and exports."""

urlpatterns: list = []
