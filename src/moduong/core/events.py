"""Signals of core's own, for what Django's and Wagtail's do not say."""

from django.dispatch import Signal

#: A page's content that readers find changed without a publish (a library book's files: their
#: text is searched). Not `page_published`, which other receivers take for a real publish
#: (revisions, the page cache, notifications). Arg: instance, the page.
content_changed = Signal()
