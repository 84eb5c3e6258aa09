"""HTTP cache policy for incremental crawls."""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response


class AlwaysRevalidatePolicy(RFC2616Policy):
    """Never trust a cached page without asking the site: always send a conditional request.

    RFC 2616's heuristic freshness would serve an old page from the cache for weeks
    (a tenth of its age since Last-Modified) and miss an edit; an archive must not.
    A 304 then costs the site no body, and the spider re-reads the cached copy.
    """

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        """Cached copies are never fresh; set the validators for a conditional request."""
        self._set_conditional_validators(request, cachedresponse)
        return False
