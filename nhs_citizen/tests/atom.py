"""Reading an Atom feed in tests: the feed checked and parsed, and its entries as dicts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "summary": e.findtext(f"{ATOM}summary") or "",
            "link": e.find(f"{ATOM}link").get("href"),
            "id": e.findtext(f"{ATOM}id"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]
