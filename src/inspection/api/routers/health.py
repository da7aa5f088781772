"""Liveness: the cheapest endpoint there is (also the baseline of the throughput benchmark)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from inspection import __version__

__all__ = ["router"]

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The service answers."""

    status: str
    version: str


@router.get("/health")
def health() -> Health:
    """Answer without touching the database."""
    return Health(status="ok", version=__version__)
