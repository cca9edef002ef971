import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import GroupApprovalTask, Page, TaskState, Workflow, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from moduong.bulletins.models import EditionPage, SeriesPage

from .conftest import SERIES

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


def _article(title: str = "Bài viết dùng trong bản tin", live: bool = True) -> Page:
    article_model = apps.get_model("news", "ArticlePage")
    section = Page.objects.get(slug="tin-tong-hop").specific
    article = article_model(
        title=title,
        lead="Lời dẫn của bài viết.",
        source_author="Ngọc Mai",
        source_outlet="Báo Văn hóa Mẫu",
        body=[("paragraph", "<p>Nội dung bài viết được chọn vào bản tin.</p>")],
        live=False,
    )
    section.add_child(instance=article)
    revision = article.save_revision()
    if live:
        revision.publish()
    return article_model.objects.get(pk=article.pk)


def _edition(series: SeriesPage, article: Page, **fields) -> EditionPage:  # type: ignore[no-untyped-def]
    edition = EditionPage(
        title=fields.pop("title", "Số thử nghiệm"),
        number=fields.pop("number", 99),
        issue_date=fields.pop("issue_date", dt.date(2027, 3, 1)),
        editor_note="Lời tòa soạn.",
        body=[
            ("article", {"page": article, "intro": ""}),
            ("discussion", {"heading": "Câu hỏi thảo luận", "questions": ["Câu hỏi một?"]}),
        ],
        live=False,
        **fields,
    )
    series.add_child(instance=edition)
    return edition


def test_series_lists_editions_by_year_newest_first(series, client: Client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client.get(SERIES))
    years = [h.get_text(strip=True) for h in page.select(".edition-year h2")]
    assert years == ["Năm 2026", "Năm 2025"]
    labels = [s.get_text(strip=True) for s in page.select(".edition-list .edition-label")]
    assert labels == ["Số 1, tháng 1/2026", "Số 12, tháng 12/2025", "Số 11, tháng 11/2025"]


def test_web_edition_keeps_the_articles_source_line_and_own_blocks(latest, client: Client) -> None:  # type: ignore[no-untyped-def]
    article = _article()
    edition = _edition(latest.get_parent().specific, article)
    edition.save_revision().publish()
    response = client.get(edition.url)
    assert response.status_code == 200
    page = _soup(response)
    assert page.select_one(".edition-label").get_text(strip=True) == "Số 99, tháng 3/2027"
    section = page.select_one(".edition-article")
    assert section.h2.get_text(strip=True) == "Bài viết dùng trong bản tin"
    assert "(Theo Ngọc Mai/Báo Văn hóa Mẫu)" in section.get_text(" ", strip=True)
    assert page.select_one(".discussion li").get_text(strip=True) == "Câu hỏi một?"
    assert page.select_one(".editor-note")
    # The print stylesheet hides the site's shell
    css = client.get("/static/bulletins/bulletins.css")
    assert b"@media print" in b"".join(css.streaming_content)


def test_edition_with_an_unpublished_article_cannot_be_published(series) -> None:  # type: ignore[no-untyped-def]
    draft = _article("Bài chưa đăng", live=False)
    edition = _edition(series, draft)
    with pytest.raises(ValidationError, match="Bài chưa đăng"):
        edition.save_revision().publish()
    assert not EditionPage.objects.get(pk=edition.pk).live


def test_editor_is_told_in_the_admin_and_nothing_is_published(series, admin_client) -> None:  # type: ignore[no-untyped-def]
    draft = _article("Bài nháp trong bản tin", live=False)
    edition = _edition(series, draft)
    edition.save_revision()

    data = nested_form_data(
        {
            "title": edition.title,
            "slug": edition.slug,
            "number": "99",
            "issue_date": "2027-03-01",
            "editor_note": "",
            "body": streamfield([("article", {"page": draft.pk, "intro": ""})]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = admin_client.post(f"/admin/pages/{edition.pk}/edit/", data)
    assert response.status_code == 200
    errors = str(response.context["form"].errors["body"])
    assert "chưa được đăng trên cổng" in errors and "Bài nháp trong bản tin" in errors
    assert not EditionPage.objects.get(pk=edition.pk).live


def test_moderator_approving_after_the_article_was_unpublished_is_told_and_nothing_changes(  # type: ignore[no-untyped-def]
    series, admin_client
) -> None:
    """The article was live when the edition went to moderation and unpublished before the
    approval: the moderator gets the reason in Vietnamese, not the error page, and the edition
    stays unpublished and still in moderation."""
    article = _article("Bài bị gỡ khi chờ duyệt")
    edition = _edition(series, article)
    revision = edition.save_revision()
    workflow = Workflow.objects.create(name="Duyệt bản tin")
    task = GroupApprovalTask.objects.create(name="Lãnh đạo duyệt")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(edition, revision.user)
    article.unpublish()
    state = TaskState.objects.get(workflow_state__object_id=str(edition.pk), status="in_progress")

    response = admin_client.post(
        f"/admin/pages/workflow/action/{edition.pk}/approve/{state.pk}/",
        {"comment": ""},
        follow=True,
    )
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "chưa được đăng trên cổng" in shown and "Bài bị gỡ khi chờ duyệt" in shown
    edition = EditionPage.objects.get(pk=edition.pk)
    assert not edition.live
    state.refresh_from_db()
    assert state.status == "in_progress"
    assert edition.workflow_in_progress


def test_article_unpublished_later_leaves_a_note_in_the_web_edition(series, client: Client) -> None:  # type: ignore[no-untyped-def]
    article = _article("Bài sẽ bị gỡ")
    edition = _edition(series, article)
    edition.save_revision().publish()
    assert "Bài sẽ bị gỡ" in client.get(edition.url).content.decode()
    article.unpublish()
    page = _soup(client.get(edition.url))
    assert "Bài sẽ bị gỡ" not in page.get_text()
    assert "không còn được đăng" in page.select_one(".edition-article-gone").get_text()


def test_editions_are_in_the_portal_search(latest, client: Client) -> None:  # type: ignore[no-untyped-def]
    from moduong.search.services import search_index_rebuild

    search_index_rebuild()
    response = client.get("/tim-kiem/", {"q": "hoc tap va lam theo nghi quyet"})
    links = [a["href"] for a in _soup(response).select("main a[href]")]
    assert latest.url in links
