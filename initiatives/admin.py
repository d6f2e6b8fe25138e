"""Django admin for platform admins: every initiative model, read-mostly
where a row is history (stage changes, partnership events, flags' authors).

Edits made here bypass the services (no activity, no search-vector refresh
beyond the save hook below), so the admin is for inspection and repair, not
for day-to-day work.
"""

from django.contrib import admin

from .models import (
    Comment,
    CommentFlag,
    Follow,
    Initiative,
    Partnership,
    PartnershipEvent,
    StageChange,
    Tag,
    Update,
)
from .services.catalogue import refresh_search_vector


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Names are stored normalised (``Tag.clean``) and the slug always comes
    from the name, as the services make them."""

    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    fields = ("name", "slug")
    readonly_fields = ("slug",)

    def save_model(self, request, obj, form, change):
        if "name" in form.changed_data:
            obj.slug = Tag.slug_for(obj.name)
        super().save_model(request, obj, form, change)


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    fields = ("organisation", "role", "status", "political_sponsor", "officer_sponsor")
    autocomplete_fields = ("organisation",)
    show_change_link = True


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("from_stage", "to_stage", "changed_on", "note", "changed_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "lead_organisation",
        "stage",
        "visibility",
        "looking_for_partners",
        "partner_count",
        "updated_at",
    )
    list_filter = (
        "stage",
        "visibility",
        "collaboration_level",
        "funding_band",
        "looking_for_partners",
    )
    search_fields = ("title", "slug", "summary", "lead_organisation__name")
    list_select_related = ("lead_organisation",)
    autocomplete_fields = ("lead_organisation", "key_contact", "created_by", "tags")
    filter_horizontal = ("service_areas", "skills_needed")
    readonly_fields = ("partner_count", "created_at", "updated_at")
    date_hierarchy = "created_at"
    inlines = (PartnershipInline, StageChangeInline)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Keep catalogue search right after a repair in the admin.
        refresh_search_vector(initiative=form.instance)


class PartnershipEventInline(admin.TabularInline):
    model = PartnershipEvent
    extra = 0
    fields = ("from_status", "to_status", "from_role", "to_role", "actor", "note", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("initiative", "organisation", "role", "status", "signed_off_at")
    list_filter = ("role", "status")
    search_fields = ("initiative__title", "organisation__name")
    list_select_related = ("initiative", "organisation")
    autocomplete_fields = ("initiative", "organisation", "signed_off_by")
    filter_horizontal = ("pledged_skills",)
    inlines = (PartnershipEventInline,)


@admin.register(PartnershipEvent)
class PartnershipEventAdmin(admin.ModelAdmin):
    list_display = ("partnership", "from_status", "to_status", "actor", "created_at")
    list_filter = ("to_status",)
    search_fields = ("partnership__initiative__title", "partnership__organisation__name")
    list_select_related = ("partnership__initiative", "partnership__organisation", "actor")
    readonly_fields = (
        "partnership",
        "from_status",
        "to_status",
        "from_role",
        "to_role",
        "actor",
        "note",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("initiative", "from_stage", "to_stage", "changed_on", "changed_by")
    list_filter = ("to_stage",)
    search_fields = ("initiative__title", "note")
    list_select_related = ("initiative", "changed_by")
    autocomplete_fields = ("initiative", "changed_by")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "initiative", "created_at")
    search_fields = ("user__email", "initiative__title")
    list_select_related = ("user", "initiative")
    autocomplete_fields = ("user", "initiative")


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ("title", "initiative", "organisation", "author", "created_at")
    search_fields = ("title", "body", "initiative__title")
    list_select_related = ("initiative", "organisation", "author")
    autocomplete_fields = ("initiative", "organisation", "author")


class CommentFlagInline(admin.TabularInline):
    model = CommentFlag
    extra = 0
    fields = ("flagged_by", "reason", "created_at", "resolved_at", "resolved_by")
    readonly_fields = ("flagged_by", "reason", "created_at")
    autocomplete_fields = ("resolved_by",)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "initiative", "author", "created_at", "deleted_at")
    list_filter = ("deleted_at",)
    search_fields = ("body", "initiative__title", "author__email")
    list_select_related = ("initiative", "author")
    autocomplete_fields = ("initiative", "author", "organisation", "deleted_by")
    inlines = (CommentFlagInline,)


@admin.register(CommentFlag)
class CommentFlagAdmin(admin.ModelAdmin):
    list_display = ("comment", "flagged_by", "created_at", "resolved_at")
    list_filter = ("resolved_at",)
    search_fields = ("reason", "comment__body", "flagged_by__email")
    list_select_related = ("comment", "flagged_by")
    autocomplete_fields = ("comment", "flagged_by", "resolved_by")
