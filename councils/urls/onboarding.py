"""Staff onboarding of authorities, suppliers and other public bodies."""

from django.urls import path

from . import onboarding_views as views

app_name = "onboarding"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "access-requests/<int:pk>/<str:decision>/",
        views.access_request_decide,
        name="access_request_decide",
    ),
    path("<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:slug>/activate/", views.activate, name="activate"),
    path("<slug:slug>/domains/", views.domain_add, name="domain_add"),
    path("<slug:slug>/domains/<int:pk>/delete/", views.domain_delete, name="domain_delete"),
    path("<slug:slug>/invite/", views.invite_admin, name="invite_admin"),
]
