"""The lead's custom cost shares, relative to ``initiatives/<slug>/``."""

from django.urls import path

from ..views import cost_sharing as views

urlpatterns = [
    path("cost-shares/", views.cost_shares, name="cost_shares"),
]
