"""The main navigation per role. Each view module declares its items (``MENU``) and its
start-page entry points (``HOME_LINKS``) as data; the domain's ``init_app`` registers them on the
app with ``register`` (nothing is added at import). An item shows when its rule says so.

Items sit in at most seven groups (issue 13): a group with one visible item is a plain link, a
group with more is a disclosure (``<details>``) in the menu. An item names its group, or its
endpoint is in ``ENDPOINT_GROUPS``; any other item joins the last group ("Meer"), so a new page
never makes the menu longer than seven.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from app.caches import app_cache


def everyone(_user) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    visible: Callable[[object], bool] = everyone
    order: int = 50
    group: str | None = None


@dataclass(frozen=True)
class HomeLink:
    """A card on the start page: what this role can do next."""

    section: object
    endpoint: str
    label: object
    text: object
    visible: Callable[[object], bool] = everyone
    order: int = 50


#: The top of the menu, in order: (key, label). Never more than seven.
GROUPS: list[tuple[str, object]] = [
    ("start", _l("Start")),
    ("work", _l("Werk")),
    ("offers", _l("Aanbod")),
    ("responses", _l("Reacties")),
    ("placements", _l("Detacheringen")),
    ("notifications", _l("Meldingen")),
    ("more", _l("Meer")),
]
ENDPOINT_GROUPS = {
    "web.home": "start",
    "pool.jobs_list": "work",
    "pool.for_you": "work",
    "pool.my_jobs_list": "work",
    "pool.my_offers": "offers",
    "pool.offers_list": "offers",
    "pool.my_applications": "responses",
    "pool.applications_list": "responses",
    "matches.index": "placements",
    "pool.notifications_list": "notifications",
}

#: The web domain's own menu item (the start page); the other domains declare theirs.
MENU = (NavItem("web.home", _l("Start"), order=0),)


@dataclass
class Registry:
    """One app's menu items and start-page entry points, each kept in order."""

    items: list[NavItem]
    home_links: list[HomeLink]


def register(app: Flask, *modules) -> None:
    """Register the ``MENU`` and ``HOME_LINKS`` of each module on this app (a domain's
    ``init_app`` names its view modules). Per app, so every ``create_app`` starts from none."""
    registry = app.extensions.setdefault("navigation", Registry([], []))
    for module in modules:
        registry.items.extend(getattr(module, "MENU", ()))
        registry.home_links.extend(getattr(module, "HOME_LINKS", ()))
    registry.items.sort(key=lambda item: item.order)
    registry.home_links.sort(key=lambda link: link.order)


def _registry() -> Registry:
    return current_app.extensions["navigation"]


def _group_of(item: NavItem) -> str:
    keys = {key for key, _label in GROUPS}
    group = item.group or ENDPOINT_GROUPS.get(item.endpoint)
    return group if group in keys else "more"


#: Seconds a user's menu (which items, their URLs) is reused. Only the menu: every page checks
#: access itself, so a role change shows in the menu within this time and in the pages at once.
MENU_TTL = 30.0
#: Users whose menu a process keeps at most (least recently used out first).
MENU_USERS = 10_000


def _menu_items(user) -> list[tuple[str, str, object, str]]:
    cache = app_cache("deelkracht_menus", MENU_USERS)
    now = time.monotonic()
    hit = cache.get(user.id)
    if hit is not None and now - hit[0] < MENU_TTL:
        return hit[1]
    items = []
    for item in _registry().items:
        if not item.visible(user):
            continue
        try:
            items.append((item.endpoint, url_for(item.endpoint), item.label, _group_of(item)))
        except BuildError:
            continue
    cache.put(user.id, (now, items))
    return items


def main_navigation() -> list[dict]:
    """The menu's top entries: ``{"label", "active", "items": [{"url", "label", "active"}]}``;
    an entry with one item is shown as that item's link."""
    if not current_user.is_authenticated:
        return []
    user = current_user._get_current_object()
    # Labels stay live (e.g. the unread count): only which items and their URLs are reused.
    grouped: dict[str, list[dict]] = {}
    for endpoint, url, label, group in _menu_items(user):
        grouped.setdefault(group, []).append(
            {"url": url, "label": label, "active": request.endpoint == endpoint}
        )
    return [
        {
            "key": key,
            "label": label,
            "items": grouped[key],
            "active": any(item["active"] for item in grouped[key]),
        }
        for key, label in GROUPS
        if key in grouped
    ]


#: Entry points shown on the start page before "Alle onderdelen" (the rest folds away).
HOME_FIRST = 6


def home_links(user) -> list[dict]:
    """The entry points for this user by section, each address once (the first, by order,
    names it): two cards pointing at one page, or one name for two pages, only confuse."""
    sections: dict[str, dict] = {}
    seen: set[str] = set()
    for link in _registry().home_links:
        if not link.visible(user):
            continue
        try:
            url = url_for(link.endpoint)
        except BuildError:
            continue
        if url in seen:
            continue
        seen.add(url)
        key = str(link.section)
        sections.setdefault(key, {"title": link.section, "links": []})["links"].append(
            {"url": url, "label": link.label, "text": link.text}
        )
    return list(sections.values())


#: The web domain's own start-page entry points (privacy; HR's invitation).
HOME_LINKS = (
    HomeLink(
        _l("Je gegevens"),
        "web.privacy",
        _l("Privacy: wie ziet wat?"),
        _l("Wie jouw aanbod en reacties kan zien, volgens de instellingen van je organisatie."),
        order=90,
    ),
    HomeLink(
        _l("P&O"),
        "accounts.invite",
        _l("Medewerker uitnodigen"),
        _l("Nodig een collega van je eigen organisatie uit voor Deelkracht."),
        lambda u: u.is_hr,
        order=80,
    ),
)


def home_entry_points(user) -> tuple[list[dict], list[dict]]:
    """A few entry points first (HOME_FIRST, by order), then the other sections."""
    first: list[dict] = []
    rest: list[dict] = []
    for section in home_links(user):
        links = section["links"]
        room = HOME_FIRST - len(first)
        first.extend(links[:room])
        if links[room:]:
            rest.append({"title": section["title"], "links": links[room:]})
    return first, rest
