"""URLs of the swot app."""

app_name = "swot"

urlpatterns: list = []
