"""PLACEHOLDER: replaced by the real views."""

from django.http import HttpResponse


def accept_invitation(request, *args, **kwargs):
    return HttpResponse(status=501)


def people(request, *args, **kwargs):
    return HttpResponse(status=501)


def invite(request, *args, **kwargs):
    return HttpResponse(status=501)


def approve(request, *args, **kwargs):
    return HttpResponse(status=501)


def reject(request, *args, **kwargs):
    return HttpResponse(status=501)


def change_role(request, *args, **kwargs):
    return HttpResponse(status=501)


def remove(request, *args, **kwargs):
    return HttpResponse(status=501)


def revoke_invitation(request, *args, **kwargs):
    return HttpResponse(status=501)
