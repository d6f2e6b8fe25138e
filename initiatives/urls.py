"""URLs of the initiatives app."""

app_name = "initiatives"

urlpatterns: list = []
