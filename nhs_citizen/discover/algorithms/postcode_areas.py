"""Which NHS England region most of each postcode area lies in. No Django here.

A postcode area is the one or two letters at the start of a postcode (LS for Leeds, B for
Birmingham). Some areas cross region borders; we give the region that holds most of the area,
and only ever use this to tag a region, never an ICB area. Areas outside England (Wales,
Scotland, Northern Ireland, the islands) have no NHS England region.
"""

from __future__ import annotations

_REGIONS = {
    # London
    "Y56": "E EC N NW SE SW W WC BR CR EN HA IG RM SM TW UB",
    # South East
    "Y59": "BN CT GU HP ME OX PO RG RH SL SO TN DA KT",
    # South West
    "Y58": "BA BH BS DT EX GL PL SN SP TA TQ TR",
    # East of England
    "Y61": "AL CB CM CO IP LU MK NR PE SG SS WD",
    # Midlands
    "Y60": "B CV DE DY HR LE LN NG NN ST SY TF WR WS WV",
    # North West
    "Y62": "BB BL CA CH CW FY L LA M OL PR SK WA WN",
    # North East and Yorkshire
    "Y63": "BD DH DL DN HD HG HU HX LS NE S SR TS WF YO",
}

POSTCODE_AREA_REGION: dict[str, str] = {
    area: code for code, areas in _REGIONS.items() for area in areas.split()
}


def region_code_for_postcode_area(area: str) -> str | None:
    """The region's ODS code (for example Y63), or None when the area is not in England."""
    return POSTCODE_AREA_REGION.get(area.strip().upper())
