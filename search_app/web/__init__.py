"""The web app: researchers search, read and cite the archive in a browser.

``create_app(config)`` builds it (``search_app.web.app``); every view calls the
:class:`archive.facade.Archive` of the app (``search_app.web.context.get_archive``).
"""
