"""Django admin for the activity log: read-only, because it is the record of
what services did and must not be rewritten by hand."""

from django.contrib import admin

from .models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("created_at", "verb", "actor", "organisation", "summary")
    list_filter = ("verb", "target_type")
    search_fields = ("verb", "summary", "actor__email", "organisation__name")
    list_select_related = ("actor", "organisation", "target_type")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "verb",
        "actor",
        "organisation",
        "target_type",
        "target_id",
        "summary",
        "data",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
