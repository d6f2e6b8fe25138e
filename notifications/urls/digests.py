"""Staff pages for digests, mounted at ``/staff/digests/`` by
``collab_platform.urls`` (namespace ``staff_digests``), apart from the
person-facing ``notifications.urls`` (settings, unsubscribe)."""

from django.urls import path

from ..views import digests as views

app_name = "staff_digests"

urlpatterns = [
    path("", views.deliveries, name="deliveries"),
    path("<int:pk>/send-again/", views.resend, name="resend"),
    path("preview/", views.preview, name="preview"),
    path("preview/<int:pk>/email.html", views.preview_html, name="preview_html"),
]
