"""Tags become their normalised names (NFKC, case-folded, whitespace, hyphens
and underscores made one space) with slugs computed from the name, so that
reusing a tag reveals nothing about the private initiatives that carry it.

Rows whose names normalise alike ("Garden waste", "garden-waste") are merged:
the oldest row survives, takes over the others' initiatives, and the rest are
deleted. The rules are copied here, not imported, so this migration keeps
doing what it did when the model's code moves on. There is no way back to the
old spellings, so reversing does nothing.
"""

import hashlib
import re
import unicodedata

from django.db import migrations
from django.utils.text import slugify

MAX_LENGTH = 60
SEPARATORS = re.compile(r"[\s_-]+")
HAS_LETTER_OR_NUMBER = re.compile(r"[^\W_]")


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", str(raw))
    text = unicodedata.normalize("NFKC", text.casefold())
    return SEPARATORS.sub(" ", text).strip()


def slug_for(name: str, digest_length: int = 6) -> str:
    if not HAS_LETTER_OR_NUMBER.search(name):
        return ""
    slug = slugify(name) or "tag"
    if slug == name.replace(" ", "-") and len(slug) <= MAX_LENGTH:
        return slug
    digest = hashlib.sha256(name.encode()).hexdigest()[:digest_length]
    return f"{slug[: MAX_LENGTH - digest_length - 1].strip('-')}-{digest}"


def normalise_tags(apps, schema_editor):
    Tag = apps.get_model("initiatives", "Tag")
    Links = apps.get_model("initiatives", "Initiative").tags.through

    survivors: dict[str, object] = {}
    for tag in Tag.objects.order_by("pk"):
        # Normalising can lengthen a name ("ß" -> "ss"); keep it in the column.
        name = normalise(tag.name)[:MAX_LENGTH].strip() or normalise(tag.slug)[:MAX_LENGTH]
        survivor = survivors.get(name)
        if survivor is None:
            survivors[name] = tag
            continue
        already = set(
            Links.objects.filter(tag_id=survivor.pk).values_list("initiative_id", flat=True)
        )
        Links.objects.filter(tag_id=tag.pk).exclude(initiative_id__in=already).update(
            tag_id=survivor.pk
        )
        Links.objects.filter(tag_id=tag.pk).delete()
        tag.delete()

    # Park every row on a name and slug no final value can have (normalised
    # names and slugs never start with a space or a hyphen), so renaming one
    # row never trips over another's old value; then write the final ones.
    for tag in survivors.values():
        Tag.objects.filter(pk=tag.pk).update(name=f" {tag.pk}", slug=f"-{tag.pk}")
    taken: set[str] = set()
    for name, tag in survivors.items():
        slug = ""
        for digest_length in (6, 16, 32):
            slug = slug_for(name, digest_length) or f"tag-{tag.pk}"
            if slug not in taken:
                break
        taken.add(slug)
        Tag.objects.filter(pk=tag.pk).update(name=name, slug=slug)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_search_index")]

    operations = [migrations.RunPython(normalise_tags, migrations.RunPython.noop)]
