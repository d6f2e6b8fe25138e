"""PLACEHOLDER: replaced by the real views."""

from django.http import HttpResponse


def index(request, *args, **kwargs):
    return HttpResponse(status=501)


def organisation_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def access_request_decide(request, *args, **kwargs):
    return HttpResponse(status=501)


def organisation(request, *args, **kwargs):
    return HttpResponse(status=501)


def activate(request, *args, **kwargs):
    return HttpResponse(status=501)


def domain_add(request, *args, **kwargs):
    return HttpResponse(status=501)


def domain_delete(request, *args, **kwargs):
    return HttpResponse(status=501)


def invite_admin(request, *args, **kwargs):
    return HttpResponse(status=501)
