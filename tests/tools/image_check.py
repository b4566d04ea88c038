# SPDX-License-Identifier: GPL-2.0-only
"""What the tools' tests check of an image: a PNG's signature and IHDR
size, an SVG that parses as XML with an <svg> root and the ids it holds."""

import struct
import xml.etree.ElementTree as ET

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def png_size(path):
    """(width, height) from the IHDR chunk; AssertionError if not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == PNG_SIGNATURE, f"{path}: no PNG signature"
    assert head[12:16] == b"IHDR", f"{path}: the first chunk is not IHDR"
    return struct.unpack(">II", head[16:24])


def svg_ids(path):
    """Every id in the SVG; AssertionError if its root is not <svg>."""
    root = ET.parse(path).getroot()
    assert root.tag == SVG_NS + "svg", f"{path}: the root element is {root.tag}"
    return {e.get("id") for e in root.iter() if e.get("id")}
