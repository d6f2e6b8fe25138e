"""People management and invitation acceptance."""

from django.urls import path

from ..views import people as views

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invite/", views.invite, name="invite"),
    path("<slug:slug>/people/<int:pk>/approve/", views.approve, name="membership_approve"),
    path("<slug:slug>/people/<int:pk>/reject/", views.reject, name="membership_reject"),
    path("<slug:slug>/people/<int:pk>/role/", views.change_role, name="membership_role"),
    path("<slug:slug>/people/<int:pk>/remove/", views.remove, name="membership_remove"),
    path(
        "<slug:slug>/people/invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="invitation_revoke",
    ),
]
