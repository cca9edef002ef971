"""Signals of the library app's own. The services send them; the receivers in signals.py
queue the background work (tasks sit above services, so services do not import them)."""

from django.dispatch import Signal

#: An EPUB was stored and waits for its full EPUBCheck report. Arg: file_id.
book_file_check_due = Signal()
#: An EPUB was stored; its chapters' text, for search, is read off the upload's request.
#: Arg: file_id.
book_file_text_due = Signal()
#: Views or downloads counted in the shared counter, to be added to the book's row. Args:
#: book_id, event ("view" or "download"), count.
book_events_pending = Signal()
