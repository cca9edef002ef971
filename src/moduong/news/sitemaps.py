from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from moduong.core.selectors import public_q


class PageSitemap(Sitemap):
    """Wagtail's sitemap, with every address on the host the sitemap was fetched from.

    The sitemaps protocol only accepts addresses on the sitemap's own host; Wagtail builds them
    from the Site record (``localhost`` until an operator edits it), while canonical links and
    robots.txt already use the address the reader came to.
    """

    def items(self):  # type: ignore[no-untyped-def]
        """Wagtail's pages, chosen by the site's one visibility rule (core.selectors)."""
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .filter(public_q())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):  # type: ignore[no-untyped-def]
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = self.request.build_absolute_uri(urlsplit(url["location"]).path)
        return urls
