"""The map of the station finder and the station page (docs/citizen.md, "Map").

Leaflet (vendored in liaison/static/vendor/leaflet) draws the tiles of the server in the settings;
the page hands it everything through data- attributes (no inline script). Without tiles configured,
without a position, or without JavaScript, the pages show the address text alone.
"""

from django.conf import settings


def map_settings() -> dict[str, str] | None:
    """What the map's script needs to load tiles, or None when no tile server is configured."""
    if not settings.MAP_TILES:
        return None
    return {
        # The key is part of every tile request the browser makes, so it is no secret.
        "tiles": settings.MAP_TILES.replace("{key}", settings.MAP_KEY),
        "subdomains": settings.MAP_SUBDOMAINS,
        "attribution": settings.MAP_ATTRIBUTION,
    }


def place_on_map(stations) -> bool:
    """Give each station `map_position`: its (lat, lng) in the tiles' coordinate system, or None.
    True when at least one of them can be shown."""
    shown = False
    for station in stations:
        station.map_position = (
            station.position(settings.MAP_COORDINATES) if settings.MAP_TILES else None
        )
        shown = shown or station.map_position is not None
    return shown
