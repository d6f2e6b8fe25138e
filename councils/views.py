"""PLACEHOLDER: replaced by the real views."""

from django.http import HttpResponse


def directory(request, *args, **kwargs):
    return HttpResponse(status=501)


def detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def profile_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def facet_add(request, *args, **kwargs):
    return HttpResponse(status=501)


def facet_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def facet_delete(request, *args, **kwargs):
    return HttpResponse(status=501)
