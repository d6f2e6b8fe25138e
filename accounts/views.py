"""PLACEHOLDER: replaced by the real views."""

from django.http import HttpResponse


def profile(request, *args, **kwargs):
    return HttpResponse(status=501)


def token_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def token_revoke(request, *args, **kwargs):
    return HttpResponse(status=501)


def request_access(request, *args, **kwargs):
    return HttpResponse(status=501)
