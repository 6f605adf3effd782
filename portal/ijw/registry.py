"""Which messages the portal imports and exports, by message code.

An importer takes (message, actor, municipality) and returns an Outcome; an exporter is an
Exporter.
"""

from typing import Any

from portal.ijw import (
    answer_reading,
    care,
    jw301,
    jw305,
    jw307,
    jw315,
    jw317,
    jw319,
    jw323,
    jw325,
)
from portal.ijw.exporting import Exporter

IMPORTERS = {
    "JW301": jw301.import_allocations,
    "JW305": care.import_starts,
    "JW307": care.import_stops,
    "JW323": jw323.import_declaration,
    **dict.fromkeys(("JW302", "JW306", "JW308", "JW316", "JW318", "JW320", "JW325"),
                    answer_reading.import_answer),
}
EXPORTERS: dict[str, Exporter[Any]] = {exporter.kind.name: exporter for exporter in (
    jw301.EXPORTER,
    jw305.EXPORTER,
    jw307.EXPORTER,
    jw315.EXPORTER,
    jw317.EXPORTER,
    jw323.EXPORTER,
    jw325.EXPORTER,
)}
# JW319 answers two kinds of request: one key each (`flask ijw export jw319-vot ID`).
EXPORTERS["JW319-VOT"] = jw319.ALLOCATION_REQUEST_EXPORTER
EXPORTERS["JW319-VOW"] = jw319.CHANGE_REQUEST_EXPORTER
