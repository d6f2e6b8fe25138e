"""A deliberately broken URL configuration: the real routes plus three that
ignore tenancy, used to prove the cross-tenant probe reports such routes."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from councils.models import Membership, Organisation


def leaky_people(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    emails = organisation.memberships.values_list("user__email", flat=True)
    return HttpResponse("\n".join(emails))


def leaky_reject(request, pk):
    if request.method == "POST":
        Membership.objects.filter(pk=pk).update(status=Membership.Status.REJECTED)
    return HttpResponse("ok")


def leaky_crash(request):
    raise RuntimeError("a view that crashes")


urlpatterns = [
    path("leaky/<slug:slug>/people/", leaky_people, name="leaky_people"),
    path("leaky/memberships/<int:pk>/reject/", leaky_reject, name="leaky_reject"),
    path("leaky/crash/", leaky_crash, name="leaky_crash"),
    path("", include("collab_platform.urls")),
]
