"""The site's one check of uploaded PDFs, for every way a PDF comes in."""

from django.test import Client
from wagtail.documents import get_document_model

from tests.community import files
from tests.factories import UserFactory


def test_an_editor_cannot_upload_a_pdf_that_runs_a_script_as_a_document(site) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    Document = get_document_model()
    before = Document.objects.count()
    for upload in (files.pdf_with_script("bao-cao.pdf"), files.pdf_html_polyglot("bao-cao.pdf")):
        response = client.post("/admin/documents/add/", {"title": "Báo cáo", "file": upload})
        assert response.status_code == 200
        assert "PDF có chứa JavaScript" in response.content.decode()
    assert Document.objects.count() == before
    response = client.post(
        "/admin/documents/add/", {"title": "Báo cáo", "file": files.pdf("bao-cao.pdf")}
    )
    assert response.status_code == 302
    assert Document.objects.count() == before + 1
