"""The JSON Schemas of the archive's data, shipped as package data.

``record.schema.json`` describes every record. Code reads it through
:mod:`archive.schema`, never by a path relative to the source tree, so an installed wheel
validates as a checkout does.
"""
