from django.urls import path

from . import opds, views

app_name = "library"

# The OPDS catalogue: documented in docs/operator.md and advertised on the library's pages.
urlpatterns = [
    path("sach/tep/<int:file_id>/<path:name>", views.epub_resource, name="resource"),
    path("opds/", opds.root, name="opds"),
    path("opds/the-loai/", opds.categories, name="opds-categories"),
    path("opds/the-loai/<slug:slug>/", opds.category, name="opds-category"),
    path("opds/moi/", opds.new, name="opds-new"),
    path("opds/doc-nhieu/", opds.popular, name="opds-popular"),
    path("opds/tim-kiem/", opds.search, name="opds-search"),
    path("opds/tim-kiem.xml", opds.search_description, name="opds-search-description"),
]
