"""Efficacy values (being written)."""
from __future__ import annotations

from pipeline.extract.context import DocView
from pipeline.model import EndpointMention


def extract_endpoints(view: DocView) -> list[EndpointMention]:
    return []
