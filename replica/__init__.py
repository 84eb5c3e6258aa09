"""A replica of the IKPE website: a test double, not part of the product.

The live site cannot be reached from development machines, so tests, benchmarks and the
demo crawl this replica on 127.0.0.1 instead. It is built from the five texts scraped from
the real site and from what is known of its structure; entries made up rather than taken
from the real site say so. No module of ``archive``, ``crawler`` or ``search_app``'s
library code knows it: the spider reads it with the same general rules as any WordPress
site, and its visible notes sit where a real site's banners sit (``<aside>``), which the
spider's boilerplate rules keep out of records. Only the CLI's ``replica serve`` and the
demo start it.
"""
