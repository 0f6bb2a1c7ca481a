#!/usr/bin/env python3
"""--format svg: well-formed XML with one labelled band per memory map entry (type name, start address, size),
every band tall enough to see, the picture saying it is not to scale; rendered by rsvg-convert, the PNG holds
every band's colour.

usage: svg_test.py BINARY SOURCE_DIR"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from checks import check, summary  # noqa: E402

BINARY, SOURCE = sys.argv[1], sys.argv[2]
CONF = os.path.join(SOURCE, "conf")
NS = "{http://www.w3.org/2000/svg}"


def run(args):
    p = subprocess.run([BINARY, "--dry-run", "-q"] + args, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def size_text(n):
    """The size as the text table writes it: the largest unit that divides it."""
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    u = 0
    while u + 1 < len(units) and n % (1 << (10 * (u + 1))) == 0:
        u += 1
    return "%d %s" % (n >> (10 * u), units[u])


def texts(elem):
    return ["".join(t.itertext()) for t in elem.iter(NS + "text")]


def check_picture(what, svg, doc):
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as e:
        check(False, "%s: not well-formed XML: %s" % (what, e))
        return None
    check(root.tag == NS + "svg", "%s: root %s" % (what, root.tag))
    all_text = " ".join(texts(root))
    check("Not to scale" in all_text, what + ": the picture does not say it is not to scale")
    entries = [g for g in root.iter(NS + "g") if g.get("class") == "entry"]
    check(len(entries) == len(doc["e820"]),
          "%s: %d bands for %d entries" % (what, len(entries), len(doc["e820"])))
    for g, e in zip(entries, doc["e820"]):
        label = " ".join(texts(g))
        want = [e["type_name"], "0x%016x" % e["addr"], size_text(e["size"])]
        check(all(w in label for w in want), "%s: band %r lacks one of %s" % (what, label, want))
        rect = g.find(NS + "rect")
        # Two lines of 13-pixel text: a 4 KiB page stays as readable as 4 GiB of RAM.
        height = float(rect.get("height")) if rect is not None else 0
        check(height >= 30, "%s: band %s is %s high" % (what, want, height))
    holes = [g for g in root.iter(NS + "g") if g.get("class") == "hole"]
    check(all("hole" in " ".join(texts(g)) for g in holes), what + ": unlabelled hole")
    return root


def png_pixels(path):
    """(width, height, set of RGB colours) of an 8-bit RGB or RGBA PNG, non-interlaced."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("PNG depth %d type %d interlace %d" % (depth, ctype, interlace))
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(h):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        for x in range(0, stride, bpp):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return w, h, colours


def check_render(what, svg, root, tmp):
    src, png = os.path.join(tmp, "map.svg"), os.path.join(tmp, "map.png")
    with open(src, "wb") as f:
        f.write(svg)
    # A third of the size: every band is still many pixels, and the pure-Python reader stays quick.
    p = subprocess.run(["rsvg-convert", "--zoom", "0.33", "--background-color", "white", "-o", png, src],
                       capture_output=True, timeout=60)
    check(p.returncode == 0 and p.stderr == b"", "%s: rsvg-convert: %d %r" % (what, p.returncode, p.stderr))
    if p.returncode:
        return
    w, h, colours = png_pixels(png)
    want_w, want_h = int(root.get("width")), int(root.get("height"))
    check(abs(w - want_w * 0.33) <= 1 and abs(h - want_h * 0.33) <= 1, "%s: PNG %dx%d" % (what, w, h))
    fills = set(r.get("fill") for g in root.iter(NS + "g") if g.get("class") == "entry"
                for r in g.iter(NS + "rect"))
    for fill in fills:
        rgb = bytes.fromhex(fill[1:])
        check(rgb in colours, "%s: the rendered picture has no pixel of band colour %s" % (what, fill))
    # Anti-aliased text and edges give many more; a blank or one-colour render has one or two.
    check(len(colours) > 20, "%s: only %d colours in the rendered picture" % (what, len(colours)))


def main():
    if not shutil.which("rsvg-convert"):
        print("FAIL: rsvg-convert is not installed (test/install-deps installs librsvg2-bin)")
        return 1
    cases = [(name, []) for name in sorted(os.listdir(CONF))]
    cases += [("large.cfg", ["acpi=0"]), ("minimal.cfg", ["fixed_mem_layout=0"]),
              ("grant-v2.cfg", ["memory=4000000000", "maxmem=4000000000", "foreign_region_mib=16777216"])]
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in cases:
            what = " ".join([name] + extra)
            cfg = os.path.join(CONF, name)
            rc, svg, err = run(["--format", "svg", cfg] + extra)
            check(rc == 0 and err == b"", "%s: status %d, stderr %r" % (what, rc, err))
            doc = json.loads(run(["--format", "json", cfg] + extra)[1])
            root = check_picture(what, svg, doc)
            if root is not None and not extra:
                check_render(what, svg, root, tmp)

        # A name with markup and controls stays text: the document is well-formed, the title escaped.
        cfg = os.path.join(tmp, "hostile.cfg")
        with open(cfg, "wb") as f:
            f.write(b'name = "a<b>&\\"c]]>\xe2\x80\xae"\ntype = "pvh"\nkernel = "/k\x1b[1m"\nmemory = 256\n')
        rc, svg, err = run(["--format", "svg", cfg])
        check(rc == 0 and b"\x1b" not in svg and b"\xe2\x80\xae" not in svg, "hostile: status %d, %r" % (rc, err))
        root = check_picture("hostile", svg, json.loads(run(["--format", "json", cfg, "name=x"])[1]))
        if root is not None:
            title = root.find(NS + "title")
            check(title is not None and title.text == 'Memory map of "a<b>&\\"c]]>\\xe2\\x80\\xae"',
                  "hostile title %r" % (title.text if title is not None else None))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
