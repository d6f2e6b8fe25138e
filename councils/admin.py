"""Django admin for organisations and everything hanging off them.

The register owns an authority's official facts, so for register-sourced
organisations those fields are read-only here (the next import would
overwrite an edit anyway). Invitations are created only through the service,
which e-mails the one-time link; the admin can see and revoke them.

People's memberships are shown on the user admin from here: accounts'
``UserAdmin`` is re-registered with a membership inline, so accounts itself
knows nothing of organisations.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.admin import UserAdmin

from .models import (
    AccessRequest,
    EmailDomain,
    Invitation,
    Membership,
    Need,
    Organisation,
    ServiceArea,
    Skill,
    SkillOffer,
    SystemInUse,
)
from .register import REGISTER_FIELDS
from .services import onboarding

admin.site.site_header = "Council Collaboration Platform admin"
admin.site.site_title = "Council Collaboration admin"


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 0
    fields = ("domain", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "register_code", "kind", "status", "nation", "region", "authority_type")
    list_filter = ("status", "kind", "nation", "region", "authority_type")
    search_fields = ("name", "official_name", "register_code", "gss_code", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("successor",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (EmailDomainInline,)
    actions = ("activate_organisations",)
    fieldsets = (
        (None, {"fields": ("kind", "official_name", "name", "slug", "status", "website")}),
        (
            "Register facts",
            {
                "fields": (
                    "register_code",
                    "gss_code",
                    "nation",
                    "region",
                    "authority_type",
                    "population",
                    "latitude",
                    "longitude",
                    "end_date",
                    "successor",
                ),
                "description": "From the register of UK local authorities. Contains data "
                "from mySociety (CC BY 4.0).",
            },
        ),
        ("History", {"fields": ("created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.register_code:
            # Status stays editable: onboarding is the platform's decision.
            register_owned = [name for name in REGISTER_FIELDS if name != "status"]
            readonly += ["register_code", "successor", *register_owned]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return (
            {}
            if obj is not None and obj.register_code
            else super().get_prepopulated_fields(request, obj)
        )

    @admin.action(description="Activate the selected registered organisations")
    def activate_organisations(self, request, queryset):
        activated = 0
        for organisation in queryset.filter(status=Organisation.Status.REGISTERED):
            try:
                onboarding.activate_organisation(organisation=organisation, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                activated += 1
        self.message_user(request, f"Activated {activated} organisation(s).", messages.SUCCESS)


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ("domain", "organisation", "created_at")
    search_fields = ("domain", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "status", "created_at", "decided_at")
    list_filter = ("status", "role", "organisation__kind")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user", "organisation", "decided_by")
    date_hierarchy = "created_at"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "personal_address",
        "organisation",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("role",)
    search_fields = ("email", "organisation__name")
    list_select_related = ("organisation", "invited_by")
    readonly_fields = (
        "organisation",
        "email",
        "role",
        "token_hash",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    )
    actions = ("revoke_invitations",)

    def has_add_permission(self, request) -> bool:
        # The raw link exists only in the e-mail the service sends.
        return False

    @admin.display(boolean=True, description="Personal address")
    def personal_address(self, invitation: Invitation) -> bool:
        """Sent to a webmail address (gmail.com...), not a work one."""
        return invitation.is_personal_address

    @admin.action(description="Revoke the selected unused invitations")
    def revoke_invitations(self, request, queryset):
        count = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        self.message_user(request, f"Revoked {count} invitation(s).", messages.SUCCESS)


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ("organisation_name", "kind", "user", "status", "created_at", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("organisation_name", "user__email", "website")
    list_select_related = ("user",)
    readonly_fields = ("user", "organisation", "created_at", "decided_at", "decided_by", "status")
    actions = ("approve_requests", "reject_requests")

    def has_add_permission(self, request) -> bool:
        return False

    def _decide(self, request, queryset, decide) -> None:
        done = 0
        for access_request in queryset.filter(status=AccessRequest.Status.PENDING):
            try:
                decide(access_request=access_request, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"Decided {done} request(s); requesters were e-mailed.")

    @admin.action(description="Approve the selected requests (creates the organisations)")
    def approve_requests(self, request, queryset):
        self._decide(request, queryset, onboarding.approve_access_request)

    @admin.action(description="Reject the selected requests")
    def reject_requests(self, request, queryset):
        self._decide(request, queryset, onboarding.reject_access_request)


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "description")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SystemInUse)
class SystemInUseAdmin(admin.ModelAdmin):
    list_display = (
        "organisation",
        "service_area",
        "supplier",
        "product",
        "contract_end_date",
        "satisfaction",
    )
    list_filter = ("service_area", "satisfaction")
    search_fields = ("supplier", "product", "organisation__name")
    list_select_related = ("organisation", "service_area")
    autocomplete_fields = ("organisation",)
    date_hierarchy = "contract_end_date"


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("organisation", "service_area", "priority", "description", "updated_at")
    list_filter = ("priority", "service_area")
    search_fields = ("description", "organisation__name")
    list_select_related = ("organisation", "service_area")
    autocomplete_fields = ("organisation",)


@admin.register(SkillOffer)
class SkillOfferAdmin(admin.ModelAdmin):
    list_display = ("organisation", "skill", "detail", "updated_at")
    list_filter = ("skill",)
    search_fields = ("detail", "organisation__name", "skill__name")
    list_select_related = ("organisation", "skill")
    autocomplete_fields = ("organisation",)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ("organisation", "role", "status", "created_at", "decided_at")
    readonly_fields = ("created_at", "decided_at")
    autocomplete_fields = ("organisation",)
    show_change_link = True


class UserWithMembershipsAdmin(UserAdmin):
    """accounts' user admin, plus the person's memberships and a role filter."""

    list_filter = (*UserAdmin.list_filter, "memberships__role")
    inlines = (*UserAdmin.inlines, MembershipInline)

    def get_inline_instances(self, request, obj=None):
        # The add page asks only for an address and password, like Django's own.
        return super().get_inline_instances(request, obj) if obj is not None else []


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserWithMembershipsAdmin)
