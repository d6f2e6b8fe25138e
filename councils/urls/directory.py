"""The directory and a council's page."""

from django.urls import path

from ..views import directory as views

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
]
