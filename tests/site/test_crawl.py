"""A reader who follows every link of the demo site, from the home page and the sitemap, never
lands on a missing or broken page."""


def test_no_link_answers_404_or_500(site_url, crawl) -> None:  # type: ignore[no-untyped-def]
    broken = {
        url: f"{status} (linked from {crawl.found_on[url]})"
        for url, status in crawl.statuses.items()
        if not 200 <= status < 400
    }
    assert broken == {}
    # The crawl reached the whole site: sections, articles, topics, archive, images, styles.
    paths = [url.removeprefix(site_url) for url in crawl.statuses]
    for prefix in ("/tin-tuc/tin-tong-hop/", "/chu-de/", "/luu-tru/", "/media/images/", "/static/"):
        assert any(path.startswith(prefix) for path in paths), prefix
    assert len(paths) > 60
