"""The organisers' roll-up while points report: computed again at most once every few seconds,
by one poll while the others are shown the figures before, and never older than that."""

import pytest
from django.core.cache import cache

from moduong.conferences import selectors
from moduong.conferences.selectors import ROLLUP_TTL, rollup, rollup_lock_key
from moduong.conferences.services import ReportInput, delegate_register, point_report_submit

from .factories import conference, link_of, point

pytestmark = pytest.mark.django_db

START = 1_000_000.0  # the polls' clock, in seconds: given to each poll, not the machine's


@pytest.fixture(autouse=True)
def _refresh_every_two_seconds(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONFERENCES_ROLLUP_REFRESH_SECONDS = 2


def test_a_report_is_shown_within_seconds_and_the_polls_between_read_nothing(  # type: ignore[no-untyped-def]
    site, django_assert_num_queries
) -> None:
    conf = conference()
    p = point(conf)
    point(conf, "HN-002")
    assert rollup(conference=conf, now=START).linked == 0
    point_report_submit(link=link_of(p), report=ReportInput(linked=True))
    # Polls right after: the figures computed a moment ago, from the cache alone.
    with django_assert_num_queries(0):
        assert rollup(conference=conf, now=START + 1).linked == 0
        assert rollup(conference=conf, now=START + 1.9).linked == 0
    # Two seconds after the figures were computed, the report is shown.
    assert rollup(conference=conf, now=START + 2).linked == 1


def test_nothing_changed_is_compared_not_computed_again(site, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    point(conf)
    rollup(conference=conf, now=START)
    with django_assert_num_queries(1):  # the points' count and revisions, nothing else
        assert rollup(conference=conf, now=START + 3).points == 1
    with django_assert_num_queries(0):
        rollup(conference=conf, now=START + 4)


def test_while_one_poll_computes_the_others_are_shown_the_figures_before(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    assert rollup(conference=conf, now=START).linked == 0
    point_report_submit(link=link_of(p), report=ReportInput(linked=True))
    # Another organiser's poll is computing them (it holds the conference's lock).
    assert cache.add(rollup_lock_key(conf.pk), 1, 10)
    assert rollup(conference=conf, now=START + 5).linked == 0
    cache.delete(rollup_lock_key(conf.pk))
    assert rollup(conference=conf, now=START + 5).linked == 1


def test_a_poll_whose_lock_ran_out_leaves_the_next_polls_lock_alone(site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    point(conf)
    computed = selectors.rollup_compute

    def slow(**kwargs):  # type: ignore[no-untyped-def]
        # Meanwhile the lock ran out and another organiser's poll took it.
        cache.delete(rollup_lock_key(conf.pk))
        assert cache.add(rollup_lock_key(conf.pk), "another poll", 10)
        return computed(**kwargs)

    monkeypatch.setattr(selectors, "rollup_compute", slow)
    rollup(conference=conf, now=START)
    assert cache.get(rollup_lock_key(conf.pk)) == "another poll"


def test_a_change_right_after_the_figures_were_computed_is_shown_at_the_next_refresh(  # type: ignore[no-untyped-def]
    site, django_capture_on_commit_callbacks
) -> None:
    conf = conference()
    p = point(conf)
    rollup(conference=conf, now=START)
    point_report_submit(link=link_of(p), report=ReportInput(linked=True))
    assert rollup(conference=conf, now=START + 2).linked == 1
    # At once after that computation: a delegate registered for the main hall, then a report.
    with django_capture_on_commit_callbacks(execute=True):
        delegate_register(conference=conf, full_name="Nguyễn Văn An")
    point_report_submit(link=link_of(p), report=ReportInput(link_test="ok"))
    assert rollup(conference=conf, now=START + 3).hall_registered == 0
    figures = rollup(conference=conf, now=START + 4)
    assert figures.hall_registered == 1 and figures.link_tests["ok"] == 1


def test_a_renamed_province_is_shown_within_the_roll_ups_lifetime(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    province = p.province
    old_name = province.name
    assert [a.name for a in rollup(conference=conf, now=START).provinces] == [old_name]
    province.name = "Thành phố Thủ đô"
    province.save(update_fields=["name"])
    # The points' count and revisions did not move: the figures are only compared…
    assert [a.name for a in rollup(conference=conf, now=START + 3).provinces] == [old_name]
    # …until they are as old as the roll-up may be kept, then computed again.
    later = START + ROLLUP_TTL
    assert [a.name for a in rollup(conference=conf, now=later).provinces] == ["Thành phố Thủ đô"]
