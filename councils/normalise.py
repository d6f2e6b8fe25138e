"""One spelling per supplier and product.

``merge_spellings`` is shared by the data migration (with the historical model)
and tests (with the real one), so the merge that ran on existing rows is the
merge the tests check. ``canonical_spelling`` lets the profile form reuse the
spelling already on record when someone types "bartec " for "Bartec".
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Model

from .models import normalise_name


def merge_spellings(system_model: type[Model]) -> int:
    """Fill the normalised keys and give every row of one supplier (and one
    product under it) the same spelling: the most used one, ties going to the
    first recorded. Returns the number of rows changed."""
    rows = list(system_model.objects.only("pk", "supplier", "product").order_by("pk"))
    suppliers: dict[str, Counter] = defaultdict(Counter)
    products: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row in rows:
        supplier = " ".join(row.supplier.split())
        product = " ".join(row.product.split())
        suppliers[normalise_name(supplier)][supplier] += 1
        products[(normalise_name(supplier), normalise_name(product))][product] += 1

    def chosen(counter: Counter) -> str:
        return max(counter, key=counter.__getitem__)  # a tie goes to the first seen

    changed = 0
    for row in rows:
        supplier_key = normalise_name(row.supplier)
        product_key = normalise_name(row.product)
        supplier = chosen(suppliers[supplier_key])
        product = chosen(products[(supplier_key, product_key)])
        system_model.objects.filter(pk=row.pk).update(
            supplier=supplier,
            product=product,
            supplier_key=supplier_key,
            product_key=product_key,
        )
        changed += (supplier, product) != (row.supplier, row.product)
    return changed


def canonical_spelling(
    supplier: str, product: str, *, editing_pk: int | None = None
) -> tuple[str, str]:
    """The spellings already on record for this supplier and product (matched
    by normalised key), or the typed ones tidied: the "add new" path.

    ``editing_pk`` leaves out the row being edited, so the only council using a
    supplier can still correct its spelling."""
    from .models import SystemInUse

    others = SystemInUse.objects.exclude(pk=editing_pk) if editing_pk else SystemInUse.objects

    supplier = " ".join((supplier or "").split())
    product = " ".join((product or "").split())
    known_supplier = (
        others.filter(supplier_key=normalise_name(supplier))
        .order_by("created_at")
        .values_list("supplier", flat=True)
        .first()
    )
    known_product = (
        others.filter(supplier_key=normalise_name(supplier), product_key=normalise_name(product))
        .order_by("created_at")
        .values_list("product", flat=True)
        .first()
    )
    return known_supplier or supplier, known_product or product


def known_names() -> dict[str, list[str]]:
    """Existing supplier and product names, for the form's suggestions (a datalist)."""
    from .models import SystemInUse

    return {
        "suppliers": list(
            SystemInUse.objects.order_by("supplier").values_list("supplier", flat=True).distinct()
        ),
        "products": list(
            SystemInUse.objects.order_by("product").values_list("product", flat=True).distinct()
        ),
    }
