#!/usr/bin/env python3
"""Builds the dashboard's Syria governorate outlines (assets/syria-adm1.geojson).

Input: the OCHA COD-AB admin1 layer in ../shared/data/boundaries-sy-ocha-adm1
(syr_admin1_ocha_simplified.geojson). Output: the same 14 governorates, simplified
further with Douglas-Peucker (TOLERANCE degrees), coordinates rounded to DECIMALS,
properties reduced to pcode / name_en / name_ar. Run from the repository root:

    python3 crates/rasd-server/scripts/build_boundaries.py

The result is committed; the server embeds it and never reads ../shared.
"""
import json
import os
import sys

TOLERANCE = 0.004  # degrees, about 400 m: invisible at the dashboard's zoom levels
DECIMALS = 4
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "boundaries-sy-ocha-adm1",
                   "syr_admin1_ocha_simplified.geojson")
DST = os.path.join(HERE, "..", "assets", "syria-adm1.geojson")


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    px, py = x1 + t * dx, y1 + t * dy
    return ((x - px) ** 2 + (y - py) ** 2) ** 0.5


def simplify(points, tol):
    """Iterative Douglas-Peucker; keeps both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, idx = 0.0, None
        for i in range(lo + 1, hi):
            d = perpendicular(points[i], points[lo], points[hi])
            if d > best:
                best, idx = d, i
        if idx is not None and best > tol:
            keep[idx] = True
            stack.append((lo, idx))
            stack.append((idx, hi))
    return [p for p, k in zip(points, keep) if k]


def ring(r):
    out = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in simplify(r, TOLERANCE)]
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def polygon(rings):
    rings = [r for r in (ring(r) for r in rings) if r]
    return rings or None


def main():
    if not os.path.exists(SRC):
        sys.exit(f"missing input {SRC}: this script needs the shared data folder")
    with open(SRC, encoding="utf-8") as f:
        src = json.load(f)
    features = []
    for feat in src["features"]:
        g, p = feat["geometry"], feat["properties"]
        if g["type"] == "Polygon":
            coords, kind = polygon(g["coordinates"]), "Polygon"
        else:
            coords, kind = [q for q in (polygon(p_) for p_ in g["coordinates"]) if q], "MultiPolygon"
        features.append({
            "type": "Feature",
            "properties": {"pcode": p["PCODE"], "name_en": p["NAME_EN"], "name_ar": p["NAME_AR"]},
            "geometry": {"type": kind, "coordinates": coords},
        })
    out = {
        "type": "FeatureCollection",
        "attribution": "UN OCHA, Syrian Arab Republic - Subnational Administrative Boundaries (COD-AB), via HDX; CC BY 3.0 IGO",
        "features": features,
    }
    with open(DST, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote {DST}: {len(features)} features, {os.path.getsize(DST)} bytes")


if __name__ == "__main__":
    main()
