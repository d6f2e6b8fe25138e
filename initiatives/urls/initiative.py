"""Propose an initiative, its page, edit, stage changes and contacting its key contact."""

from django.urls import path

from ..views import contact
from ..views import initiative as views

urlpatterns = [
    path("initiatives/new/", views.create, name="create"),
    path("initiatives/<slug:slug>/", views.detail, name="detail"),
    path("initiatives/<slug:slug>/edit/", views.edit, name="edit"),
    path("initiatives/<slug:slug>/check/", views.check, name="check"),
    path("initiatives/<slug:slug>/stage/", views.stage, name="stage"),
    path(
        "initiatives/<slug:slug>/contact/",
        contact.contact_key_contact,
        name="contact_key_contact",
    ),
]
