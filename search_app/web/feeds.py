"""Atom feeds and export downloads (placeholder; being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feeds", __name__)
