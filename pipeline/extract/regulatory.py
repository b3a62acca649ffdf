"""Regulatory and guideline events (being written)."""
from __future__ import annotations

from pipeline.extract.context import DocView
from pipeline.model import ApprovalMention


def extract_approvals(view: DocView) -> list[ApprovalMention]:
    return []
