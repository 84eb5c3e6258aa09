"""The archive: records, dates, cleaning, storage and the search index.

This package imports neither ``crawler`` nor ``search_app``: records flow one way,
from the crawler into the archive and from the archive to the app.
"""
