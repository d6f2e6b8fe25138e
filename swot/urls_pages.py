"""Workshop list, forms, people, invitations and guest joining (relative to
``/workshops/``). The board's own pages are in ``urls_board``."""

from django.urls import path

from .views import workshop_joining, workshop_pages, workshop_people

urlpatterns = [
    path("", workshop_pages.workshop_list_page, name="list"),
    path("new/", workshop_pages.create, name="create"),
    path("accept/<str:token>/", workshop_joining.accept_invitation, name="accept_invitation"),
    path("<int:pk>/", workshop_pages.detail, name="detail"),
    path("<int:pk>/edit/", workshop_pages.edit, name="edit"),
    path("<int:pk>/join/", workshop_joining.join, name="join"),
    path("<int:pk>/people/", workshop_people.people, name="people"),
    path("<int:pk>/people/invite/", workshop_people.invite_users, name="invite_users"),
    path(
        "<int:pk>/people/invite-by-email/", workshop_people.invite_by_email, name="invite_by_email"
    ),
    path("<int:pk>/people/guest-link/", workshop_people.guest_link, name="guest_link"),
    path(
        "<int:pk>/people/<int:participant_pk>/role/",
        workshop_people.set_role,
        name="set_role",
    ),
    path(
        "<int:pk>/people/<int:participant_pk>/remove/",
        workshop_people.remove,
        name="remove_participant",
    ),
]
