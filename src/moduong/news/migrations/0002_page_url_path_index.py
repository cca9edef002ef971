"""Articles are routed by their full address (HomePage.route); Wagtail does not index
wagtailcore_page.url_path, so this index keeps that lookup fast with many thousands of pages."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial"), ("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS moduong_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS moduong_page_url_path",
        )
    ]
