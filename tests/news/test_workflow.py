import pytest
from django.contrib.auth.models import Group
from wagtail.models import Workflow

from moduong.news.models import ArticlePage, SectionPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _member(group: str, username: str):  # type: ignore[no-untyped-def]
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_an_editor_writes_and_a_moderator_approves(site) -> None:
    editor = _member("Biên tập viên", "bientap")
    moderator = _member("Kiểm duyệt viên", "kiemduyet")
    section = SectionPage.objects.get(slug="tin-tong-hop")
    assert not section.permissions_for_user(editor).can_publish_subpage()
    assert section.permissions_for_user(moderator).can_publish_subpage()

    draft = ArticlePage(title="Bài chờ duyệt", lead="Chờ duyệt.", live=False)
    section.add_child(instance=draft)
    revision = draft.save_revision(user=editor)
    workflow = draft.get_workflow()
    assert isinstance(workflow, Workflow)
    state = workflow.start(draft, editor)
    draft.refresh_from_db()
    assert not draft.live and state.status == "in_progress"

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(draft, moderator)
    task_state.approve(user=moderator)
    draft.refresh_from_db()
    assert draft.live and draft.live_revision_id == revision.pk


def test_scheduled_article_appears_only_when_its_time_comes(site, client) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import time

    from django.core.management import call_command
    from django.utils import timezone

    section = SectionPage.objects.get(slug="tin-tong-hop")
    article = ArticlePage(title="Bài hẹn giờ", lead="Sẽ lên trang sau.", live=False)
    section.add_child(instance=article)
    article.go_live_at = timezone.now() + dt.timedelta(seconds=2)
    revision = article.save_revision()
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    assert client.get("/tin-tuc/tin-tong-hop/bai-hen-gio/").status_code == 404

    time.sleep(2.5)  # the real clock passes the publishing time; nothing is faked
    call_command("publish_scheduled", verbosity=0)
    assert client.get("/tin-tuc/tin-tong-hop/bai-hen-gio/").status_code == 200
