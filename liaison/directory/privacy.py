"""The directory's personal data (docs/privacy.md, liaison/core/privacy.py): deputies are public
officials whose name, photo and public contact the station page shows by law and practice."""

from liaison.core import privacy

from .models import Category, Department, Deputy, GridCell, Region, Station, StationPosition

privacy.declare(
    Deputy,
    ["name", "photo", "public_phone", "contact_blocks"],
    what="Deputy's name, photo and public contact",
    purpose="The public station page and signs: citizens find and reach their deputy.",
    full="Everybody (public pages, signs, the API).",
    kept="While the deputy serves; an administrator deactivates them.",
)
privacy.declare(
    StationPosition,
    ["name", "public_phone"],
    what="Name and public phone of a station's head and liaison officers (站长, 联络员)",
    purpose="The public station page: citizens know whom to ask.",
    full="Everybody (the station page).",
    kept="While they hold the position; staff remove them in the admin.",
)
privacy.declare(
    GridCell,
    ["worker_name", "worker_phone"],
    what="Grid worker's name and work phone",
    purpose="The public station and deputy pages: residents reach the grid worker of their cell.",
    full="Everybody (public pages), like a station's phone.",
    kept="While the worker serves the cell; staff change or clear it when the worker changes.",
)
for model, field, why in (
    (GridCell, "name", "the name of a grid cell"),
    (Region, "name", "the name of a place"),
    (Station, "name", "the name of a liaison station"),
    (Station, "address", "the address of a public office"),
    (Station, "phone", "the phone of a public office"),
    (Department, "name", "the name of a government department"),
    (Department, "phone", "the phone of a government department"),
    (Category, "name", "a category of matters"),
    (Category, "name_en", "a category of matters"),
):
    privacy.not_personal(model, field, why)
