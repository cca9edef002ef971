import os
import subprocess
import sys

import pytest
from wagtail.images.models import Image
from wagtail.models import Page

from moduong.core.models import MenuItem
from moduong.demo import demo_content_load
from moduong.news.models import ArticlePage
from moduong.units.models import Unit


@pytest.mark.django_db
def test_demo_content_loads_once_and_a_second_run_adds_nothing(site) -> None:
    def counts() -> tuple[int, ...]:
        return (
            Page.objects.count(),
            ArticlePage.objects.count(),
            MenuItem.objects.count(),
            Unit.objects.count(),
            Image.objects.count(),
        )

    before = counts()
    summary = demo_content_load()
    assert summary.created == []
    assert counts() == before
    assert before[0] >= 25 and before[1] >= 12 and before[2] >= 13


@pytest.mark.django_db
def test_demo_units_sort_the_vietnamese_way(site) -> None:
    from moduong.units.selectors import unit_list_sorted

    names = [u.name for u in unit_list_sorted()]
    assert names == ["Ban Tuyên giáo Thành phố", "Huyện Sóc Sơn", "Quận Ba Đình"]


def _moduong(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for Playwright
    return subprocess.run(
        [sys.executable, "-m", "moduong.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_production_settings_pass_the_deploy_checks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.production",
        "SECRET_KEY": "k" * 20 + "x7#Vq!2pLm9@Rt5$Zw8^Yb3&Nc6*Hd1(Jf4)",
        "ALLOWED_HOSTS": "moduong.example.vn",
        "MODUONG_DATA_DIR": str(tmp_path),
    }
    result = _moduong("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.production",
        "MODUONG_DATA_DIR": str(tmp_path),
    }
    env.pop("SECRET_KEY", None)
    result = _moduong("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["da nang", "hoà bình"])
def test_the_readmes_search_examples_find_demo_content(site, query: str) -> None:
    from moduong.search.backends import SearchFilters
    from moduong.search.selectors import search
    from moduong.search.services import search_index_rebuild

    search_index_rebuild()
    assert search(text=query, filters=SearchFilters(), page=1).total >= 1


@pytest.mark.django_db
def test_demo_articles_repeat_no_sentence(site) -> None:
    import re

    from bs4 import BeautifulSoup

    seen: dict[str, str] = {}
    for article in ArticlePage.objects.all():
        text = " ".join(
            BeautifulSoup(str(block.value), "html.parser").get_text(" ")
            for block in article.body
            if block.block_type == "paragraph"
        )
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = sentence.strip()
            if len(sentence) > 20:
                assert sentence not in seen, f"{article.title} repeats {seen[sentence]}: {sentence}"
                seen[sentence] = article.title
    assert len(seen) >= 40


@pytest.mark.django_db
def test_the_demo_contests_weekly_rounds_last_a_week(site) -> None:
    from moduong.contests.models import Contest

    for contest in Contest.objects.all():
        if "mỗi tuần" not in (contest.intro + contest.rules).lower():
            continue
        rounds = list(contest.rounds.all())
        assert rounds
        for round_ in rounds:
            assert (round_.closes_at - round_.opens_at).days <= 7, round_.title
