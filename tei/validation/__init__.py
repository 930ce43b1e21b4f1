"""Validation: is a TEI document what the project's profile promises, and plain TEI?

``schema`` runs the profile's XSD and the rule layer (and tei_all on request),
``integrity`` holds the rules XSD 1.0 cannot express, ``explain`` turns schema
errors into plain language for editors, ``documents`` decides what each file is held to
(ours, another corpus's TEI, a corpus) and ``report`` holds what was found.
"""

from tei.validation.report import ValidationReport
from tei.validation.schema import (
    ENGINES, Finding, Validator, bundled_tei_all, default_validator, load_tei_all, profile_schema,
)
from tei.validation.documents import validate_paths

__all__ = ["ENGINES", "Finding", "ValidationReport", "Validator", "bundled_tei_all",
           "default_validator", "load_tei_all", "profile_schema", "validate_paths"]
