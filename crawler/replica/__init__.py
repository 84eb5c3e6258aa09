"""crawler/replica package."""
