"""The API base owns scoping: a view that overrides get_queryset or
get_object is refused when its class is defined, so no route can skip its
selector by accident."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.api import ActionAPIView, NestedParentMixin, ScopedListCreateView, ScopedReadOnlyViewSet


@pytest.mark.parametrize("base", [ScopedReadOnlyViewSet, ScopedListCreateView, ActionAPIView])
@pytest.mark.parametrize("method", ["get_queryset", "get_object"])
def test_overriding_the_scope_is_refused(base, method):
    with pytest.raises(ImproperlyConfigured, match=rf"overrides {method}\(\)"):
        type("LeakyView", (base,), {method: lambda self: None, "__module__": "tests.fake"})


def test_scope_and_narrowing_are_the_way_in():
    class Rows(ScopedReadOnlyViewSet):
        def scope_queryset(self, user):
            return [row for row in ("ada", "bob", "oscar") if row != "oscar"]

        def narrow_queryset(self, queryset):
            return [row for row in queryset if row.startswith("a")]

    view = Rows()
    view.request = type("Request", (), {"user": "someone"})()
    assert view.get_queryset() == ["ada"]


def test_nested_parent_is_loaded_once_through_its_access_helper():
    calls = []

    def load(user, slug):
        calls.append((user, slug))
        return f"initiative {slug}"

    class Comments(NestedParentMixin, ScopedListCreateView):
        parent_loader = load

        def scope_queryset(self, user):
            return [self.parent]

    view = Comments()
    view.request = type("Request", (), {"user": "olivia"})()
    view.kwargs = {"slug": "waste-rounds"}
    assert view.get_queryset() == ["initiative waste-rounds"]
    assert view.parent == "initiative waste-rounds"
    assert calls == [("olivia", "waste-rounds")]
