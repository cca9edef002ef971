"""Contest pages in the anonymous page cache: an organiser's change shows at the next request;
what the cache keeps is keyed by the release, so a deploy never reads an older one's objects."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from moduong.contests.models import Contest, Round
from moduong.core.release import release_id
from tests.factories import UserFactory

from .factories import ContestFactory, RoundFactory

pytestmark = pytest.mark.django_db

LIST = "/cuoc-thi/"


@override_settings(PAGE_CACHE_SECONDS=300)
def test_a_newly_published_contest_is_on_the_cached_list_at_the_next_request(  # type: ignore[no-untyped-def]
    site, client: Client, django_capture_on_commit_callbacks
) -> None:
    RoundFactory(contest__title="Cuộc thi tìm hiểu Hiến pháp")
    assert client.get(LIST).headers["X-Page-Cache"] == "miss"
    assert client.get(LIST).headers["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        contest = ContestFactory(title="Cuộc thi an toàn giao thông", is_published=False)
        RoundFactory(contest=contest)
    assert "Cuộc thi an toàn giao thông" not in client.get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        contest.is_published = True
        contest.save()
    assert "Cuộc thi an toàn giao thông" in client.get(LIST).content.decode()
    # A round's new title shows at once too.
    client.get(LIST)
    assert client.get(LIST).headers["X-Page-Cache"] == "hit"
    rnd = Round.objects.get(contest=contest)
    with django_capture_on_commit_callbacks(execute=True):
        rnd.title = "Tuần đặc biệt"
        rnd.save()
    assert client.get(LIST).headers["X-Page-Cache"] == "miss"


@override_settings(PAGE_CACHE_SECONDS=300)
def test_an_edit_in_the_admin_shows_at_the_next_request(  # type: ignore[no-untyped-def]
    site, client: Client, django_capture_on_commit_callbacks
) -> None:
    contest = ContestFactory(title="Cuộc thi tìm hiểu Hiến pháp")
    RoundFactory(contest=contest)
    client.get(LIST)
    assert client.get(LIST).headers["X-Page-Cache"] == "hit"
    staff = UserFactory()
    staff.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    admin = Client()
    admin.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/snippets/contests/contest/delete/{contest.pk}/")
    assert not Contest.objects.filter(pk=contest.pk).exists()
    assert "Cuộc thi tìm hiểu Hiến pháp" not in client.get(LIST).content.decode()


def test_cache_keys_carry_the_release() -> None:
    assert settings.RELEASE.startswith("0.")
    assert settings.RELEASE in cache.make_key("contests:paper:1")  # type: ignore[attr-defined]
    # The deploy's id when it sets one, else a digest of the code: two deploys differ.
    assert release_id({"MODUONG_DEPLOY_ID": "a1"}) != release_id({"MODUONG_DEPLOY_ID": "b2"})
    assert release_id({}) == release_id({})  # every process of one code agrees
    assert release_id({"MODUONG_DEPLOY_ID": "x y/../z"}).endswith("+xy..z")


def test_a_value_stored_by_another_release_is_not_read() -> None:
    now = timezone.now()
    cache.set("contests:probe", {"at": now})
    assert cache.get("contests:probe") == {"at": now}
    old_prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    with override_settings(
        CACHES={
            **settings.CACHES,
            "default": {**settings.CACHES["default"], "KEY_PREFIX": old_prefix + "-next"},
        }
    ):
        from django.core.cache import caches

        assert caches["default"].get("contests:probe") is None
