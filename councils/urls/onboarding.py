"""Onboarding: ``/onboarding/`` (namespace ``onboarding``), staff onboarding
of authorities, suppliers and other public bodies; and ``access_request_urlpatterns``,
a person's request for an organisation, which ``collab_platform.urls`` mounts
at ``/accounts/request-access/`` inside the ``accounts`` namespace (the
address people know), so accounts itself need not know about organisations."""

from django.urls import path

from ..views import onboarding as views

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

access_request_urlpatterns = [
    path("request-access/", views.request_access, name="request_access"),
]
