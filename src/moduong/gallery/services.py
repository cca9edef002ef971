"""Writes for the photo and video libraries. Albums and videos are Wagtail pages, written by
editors in the admin (and by the demo through Wagtail's page API); what the libraries add of
their own is the location stripping of uploaded images, in signals.py."""
