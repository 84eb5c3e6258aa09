"""The jobs that chain the library's parts: crawl -> store -> index -> report.

Each job is a plain function the CLI calls (and, later, a scheduler or the web app):
``crawl`` and ``nightly`` (under the data directory's lock), ``reextract`` (records
rebuilt from the raw captures, offline) and ``demo`` (the replica, a nightly and the app).
"""
