"""search_app package."""
