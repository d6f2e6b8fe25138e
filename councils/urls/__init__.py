"""Council directory, profiles, people management and invitation acceptance."""

from django.urls import path

from . import people_views, views

app_name = "councils"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("invitations/<str:token>/", people_views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/profile/", views.profile_edit, name="profile_edit"),
    path("<slug:slug>/profile/<str:facet>/add/", views.facet_add, name="facet_add"),
    path("<slug:slug>/profile/<str:facet>/<int:pk>/edit/", views.facet_edit, name="facet_edit"),
    path(
        "<slug:slug>/profile/<str:facet>/<int:pk>/delete/",
        views.facet_delete,
        name="facet_delete",
    ),
    path("<slug:slug>/people/", people_views.people, name="people"),
    path("<slug:slug>/people/invite/", people_views.invite, name="invite"),
    path(
        "<slug:slug>/people/<int:pk>/approve/",
        people_views.approve,
        name="membership_approve",
    ),
    path("<slug:slug>/people/<int:pk>/reject/", people_views.reject, name="membership_reject"),
    path("<slug:slug>/people/<int:pk>/role/", people_views.change_role, name="membership_role"),
    path("<slug:slug>/people/<int:pk>/remove/", people_views.remove, name="membership_remove"),
    path(
        "<slug:slug>/people/invitations/<int:pk>/revoke/",
        people_views.revoke_invitation,
        name="invitation_revoke",
    ),
]
