"""Deltaplane's Python SDK.

``Deltaplane`` (and ``AsyncDeltaplane``) manage catalogs, schemas, Delta tables, ingest mappings,
jobs and runs through the platform's gateway; ``JobContext`` records a pipeline run in lineage.
The low-level clients under ``deltaplane._generated`` are generated from the committed OpenAPI
documents at build time.
"""

from ._client import Deltaplane
from .aio import AsyncDeltaplane
from .lineage import JobContext

__version__ = "0.1.0"

__all__ = ["AsyncDeltaplane", "Deltaplane", "JobContext", "__version__"]
