"""Topic plans (Kế hoạch đề tài): public listing, status order, links to the book pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from moduong.library import services
from moduong.library.models import TopicPlan, TopicPlanItem

pytestmark = pytest.mark.django_db


def test_the_public_listing_shows_the_plan_and_links_published_items(client, site) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/ke-hoach-de-tai/").content.decode()
    assert "Kế hoạch đề tài năm 2026" in page and "15/QĐ-MĐ" in page
    item = TopicPlanItem.objects.get(status="published")
    assert f'href="{item.book.url}"' in page
    assert "Người giữ lửa thư viện làng" in page
    assert client.get("/ke-hoach-de-tai/2026/").status_code == 200
    assert client.get("/ke-hoach-de-tai/1999/").status_code == 404
    # The book page names its place in the plan.
    book_page = client.get(item.book.url).content.decode()
    assert "Sổ tay chuyển đổi số ở xã, phường" in book_page and "2026" in book_page
    assert "15/QĐ-MĐ" in book_page


def test_status_moves_forward_only_with_its_decision_and_book(site) -> None:  # type: ignore[no-untyped-def]
    plan = TopicPlan.objects.get(year=2026)
    item = TopicPlanItem.objects.create(plan=plan, proposed_title="Sách mới đề xuất")
    with pytest.raises(ValidationError) as caught:
        services.plan_item_advance(item=item, status="approved")
    assert "decision_number" in caught.value.message_dict
    services.plan_item_advance(item=item, status="approved", decision_number="20/QĐ-MĐ")
    with pytest.raises(ValidationError) as caught:
        services.plan_item_advance(item=TopicPlanItem.objects.get(pk=item.pk), status="published")
    assert "book" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.plan_item_advance(item=TopicPlanItem.objects.get(pk=item.pk), status="proposed")
    assert "status" in caught.value.message_dict
    assert TopicPlanItem.objects.get(pk=item.pk).status == "approved"


def test_a_plan_can_be_edited_in_the_admin(client, editor, site) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_library_topicplan:list"))
    assert response.status_code == 200 and "Kế hoạch đề tài năm 2026" in response.content.decode()
