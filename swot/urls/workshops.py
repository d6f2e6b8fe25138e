"""Workshop list, forms, people, invitations and guest joining (relative to
``/workshops/``). The board's own pages are in ``urls.board``."""

from django.urls import path

from ..views import joining, people, workshops

urlpatterns = [
    path("", workshops.workshop_list_page, name="list"),
    path("new/", workshops.create, name="create"),
    path("accept/<str:token>/", joining.accept_invitation, name="accept_invitation"),
    path("<int:pk>/", workshops.detail, name="detail"),
    path("<int:pk>/edit/", workshops.edit, name="edit"),
    path("<int:pk>/join/", joining.join, name="join"),
    path("<int:pk>/people/", people.people, name="people"),
    path("<int:pk>/people/invite/", people.invite_users, name="invite_users"),
    path("<int:pk>/people/invite-by-email/", people.invite_by_email, name="invite_by_email"),
    path("<int:pk>/people/guest-link/", people.guest_link, name="guest_link"),
    path(
        "<int:pk>/people/<int:participant_pk>/role/",
        people.set_role,
        name="set_role",
    ),
    path(
        "<int:pk>/people/<int:participant_pk>/remove/",
        people.remove,
        name="remove_participant",
    ),
]
