"""Validation: is a TEI document what the project's profile promises, and plain TEI?

``schema`` runs the profile's XSD and the rule layer (and tei_all on request),
``integrity`` holds the rules XSD 1.0 cannot express, ``explain`` turns schema
errors into plain language for editors, ``documents`` decides what each file is held to
(ours, another corpus's TEI, a corpus) and ``report`` holds what was found.

The names below are imported from their modules when first used, so that ``encode``,
which needs only the schema check, does not import the reports, the folder walk and
XInclude of ``validate``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tei.validation.documents import validate_paths
    from tei.validation.report import ValidationReport
    from tei.validation.schema import (
        ENGINES, Finding, Validator, bundled_tei_all, default_validator, load_tei_all,
        profile_schema,
    )

_HOMES = {"ENGINES": "schema", "Finding": "schema", "Validator": "schema",
          "bundled_tei_all": "schema", "default_validator": "schema", "load_tei_all": "schema",
          "profile_schema": "schema", "ValidationReport": "report",
          "validate_paths": "documents"}
"""Each exported name's module under ``tei.validation``."""

__all__ = ["ENGINES", "Finding", "ValidationReport", "Validator", "bundled_tei_all",
           "default_validator", "load_tei_all", "profile_schema", "validate_paths"]


def __getattr__(name: str) -> object:
    """An exported name, from its module (imported on first use)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
