"""Geometry and colour scale shared by the maps drawn on the server as inline SVG
choropleths (the markets' world map, guichet/markets/worldmap.py, and the plans' map of the
départements, guichet/plans/francemap.py).

The shapes are read from an SVG file's path data, flattened to polygons (Bézier control
points dropped: at the size a map is shown, an outline keeps its shape), simplified
(Douglas–Peucker) and rounded to whole units of the map's coordinates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Sequential scale of five classes, light to dark, ending on the DSFR's blue France
# (#000091); each step is distinguishable and the darkest ones carry white outlines.
SCALE = ("#e3e3fd", "#b1b1f9", "#8585f6", "#4a4ae0", "#000091")
NO_VALUE = "#dddddd"
OUTLINE = "#ffffff"
TEXT = "#161616"

PATH_D = re.compile(r'<path[^>]*\sd="([^"]*)"')
_TOKEN = re.compile(r"[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

Point = tuple[float, float]
Ring = list[Point]


def rings(d: str) -> list[Ring]:
    """Absolute polygons of an SVG path (commands m, c, s, l, h, v, z and their capitals),
    keeping only the end point of each segment."""
    tokens = _TOKEN.findall(d)
    found: list[Ring] = []
    ring: Ring = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = ""
    arity = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1, "z": 0}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "zZ":
                if ring:
                    found.append(ring)
                ring = []
                x, y = start
            continue
        n = arity[command.lower()]
        args = [float(t) for t in tokens[i : i + n]]
        i += n
        relative = command.islower()
        kind = command.lower()
        if kind == "h":
            x = x + args[0] if relative else args[0]
        elif kind == "v":
            y = y + args[0] if relative else args[0]
        else:
            ex, ey = args[-2], args[-1]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
        if kind == "m":
            if ring:
                found.append(ring)
            ring = [(x, y)]
            start = (x, y)
            # Pairs after a moveto are line-tos of the same kind (relative or absolute).
            command = "l" if relative else "L"
        else:
            ring.append((x, y))
    if ring:
        found.append(ring)
    return found


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker, iterative (rings of a few thousand points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for k in range(first + 1, last):
            px, py = points[k]
            if length == 0:
                dist = math.hypot(px - ax, py - ay)
            else:
                dist = abs(dy * (px - ax) - dx * (py - ay)) / length
            if dist > worst:
                worst, index = dist, k
        if worst > tolerance and index > 0:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Absolute area and centroid of a polygon (shoelace formula); a flat ring's centroid
    is the mean of its points."""
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area2 == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area2) / 2, cx / (3 * area2), cy / (3 * area2)


def path_data(polygons: list[Ring]) -> str:
    """Whole-unit coordinates: the first point absolute, then relative steps computed from
    the rounded points (no drift), zero steps dropped."""
    parts = []
    for ring in polygons:
        points = [(round(x), round(y)) for x, y in ring]
        x0, y0 = points[0]
        steps = []
        px, py = x0, y0
        for x, y in points[1:]:
            if (x, y) != (px, py):
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
        if not steps:
            steps.append("1 0")  # a speck of land still shows as a dot
        parts.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


@dataclass(frozen=True)
class Outline:
    path: str  # simplified SVG path data
    centroid: Point  # area-weighted centre of the largest ring
    box: tuple[float, float, float, float]  # min x, min y, max x, max y


def outline(polygons: list[Ring], *, tolerance: float, min_ring_area: float) -> Outline:
    """One area's drawing: its rings simplified (the largest always kept, the others only
    from `min_ring_area`), the centre of its largest ring and its bounding box."""
    measured = sorted(
        ((area_centroid(ring), ring) for ring in polygons),
        key=lambda item: item[0][0],
        reverse=True,
    )
    (_, cx, cy), _largest = measured[0]
    kept = [
        simplify(ring + ring[:1], tolerance)[:-1] or ring[:1]
        for index, ((area, _, _), ring) in enumerate(measured)
        if index == 0 or area >= min_ring_area
    ]
    xs = [x for ring in polygons for x, _ in ring]
    ys = [y for ring in polygons for _, y in ring]
    return Outline(
        path=path_data(kept), centroid=(cx, cy), box=(min(xs), min(ys), max(xs), max(ys))
    )


def class_breaks(values: list[float], classes: int = len(SCALE)) -> list[float]:
    """Upper bounds of the quantile classes (the last one is the maximum), duplicates
    removed: fewer classes when few distinct values."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks = []
    for k in range(1, classes + 1):
        position = k * (len(ordered) - 1) / classes
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        bound = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    breaks[-1] = ordered[-1]
    return breaks


def class_of(value: float, breaks: list[float]) -> int:
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return len(breaks) - 1


def colours(count: int) -> tuple[str, ...]:
    """`count` colours of the scale, spread from light to dark."""
    if count >= len(SCALE):
        return SCALE
    if count == 1:
        return (SCALE[-1],)
    step = (len(SCALE) - 1) / (count - 1)
    return tuple(SCALE[round(i * step)] for i in range(count))
