"""What the demo content of every app shares (each app's demo.py loads its own part)."""

from wagtail.models import Page

from .models import MenuItem


def placeholder_replace(*, home: Page, slug: str, page: Page) -> Page:
    """Put an app's `page` where the menu's "coming soon" page for its section is, keeping the
    address and the menu entries. A page there that is not a placeholder (made by an earlier
    run, or by the office) is kept and returned: the demo never deletes real content."""
    old = Page.objects.child_of(home).filter(slug=slug).first()
    if old is not None and not getattr(old.specific, "coming_soon", False):
        return old.specific
    # The entries point at an address while the placeholder is deleted, then at the new page.
    entries = list(MenuItem.objects.filter(page=old).values_list("pk", flat=True)) if old else []
    MenuItem.objects.filter(pk__in=entries).update(page=None, url=f"/{slug}/")
    if old is not None:
        old.delete()
    page.slug = slug
    home.add_child(instance=page)
    page.save_revision().publish()
    MenuItem.objects.filter(pk__in=entries).update(page=page, url="")
    return page
