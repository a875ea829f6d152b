"""Page addresses: the unit pages and named pages registered by the frame, and drill-down links."""

from __future__ import annotations

import functools

import streamlit as st

from iof.core import unitnames

_unit_pages: dict[str, object] = {}
_named_pages: dict[str, object] = {}


def slug(unit: str) -> str:
    """URL path of a unit's page without collisions: `enhet-barn-och-ungdom` (å/ä/ö → a/a/o).
    The frame uses `page_paths`, which is unique over all units by construction."""
    return unitnames.slug(unit)


def page_paths(units) -> dict[str, str]:
    """A unique url path per unit (iof.core.unitnames.page_paths): odd or colliding unit names
    never break the navigation. (Made once per set of units: 70 slugs cost 5 ms every rerun.)"""
    return dict(_page_paths(tuple(units)))


@functools.lru_cache(maxsize=8)
def _page_paths(units: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(unitnames.page_paths(units).items())


def register_unit_pages(pages: dict[str, object]) -> None:
    _unit_pages.clear()
    _unit_pages.update(pages)


def unit_page(unit: str):
    return _unit_pages.get(unit)


def register_named_pages(pages: dict[str, object]) -> None:
    _named_pages.update(pages)


def named_page(name: str):
    return _named_pages[name]


def nav_params(**extra) -> dict:
    """The current URL's parameters (år, månad …) plus `extra`, for drill-down links."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k in ("år", "månad")}
    params.update({k: v for k, v in extra.items() if v is not None})
    return params


def page_by_key(key: str | None):
    """A named page by its key (`oversikt`, `placeringar` …) or a unit page by its slug; None if neither."""
    if not key:
        return None
    if key in _named_pages:
        return _named_pages[key]
    return next((p for u, p in _unit_pages.items() if slug(u) == key), None)


def unit_of_slug(key: str | None) -> str | None:
    return next((u for u in _unit_pages if slug(u) == key), None)
