"""Tagged PDFs (WeasyPrint's PDF/UA-1 parts of one statement) joined into one tagged PDF.

Appending pages alone (as pypdf's PdfWriter.append does) drops the structure: the result has
no /StructTreeRoot, /MarkInfo or /Lang. Here the first part's catalog stays (its /MarkInfo,
/Lang, XMP metadata with the PDF/UA claim, title and outline); every part's pages go under one
page tree, every part's structure elements become kids of one /Document element, in order,
and each part's /StructParents keys move up by a running offset, so that they and the one
/ParentTree (which maps a page's marked content to its elements) stay unique.

The joined file is written as a stream: each part is read by pikepdf (qpdf), its objects are
written out under numbers moved up by an offset, and the part is closed before the next is
opened; only the page list, the /Document kids and the /ParentTree entries are kept to the
end. Holding every part's objects until the end instead (as qpdf's own writer must) costs
about 32 MB per 1,000 tagged appendix rows. Objects other than streams go compressed into
object streams, as WeasyPrint writes them, so the file stays about as small."""

import re
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pikepdf

# A literal string (qpdf escapes every parenthesis in it), a hex string, or a reference.
_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|(?<![\d.])(\d+) (\d+) R",
                    re.S)
# Numbers of the objects made here; the parts' objects are numbered after them.
_CATALOG, _PAGES, _TREE, _DOCUMENT, _FIRST_FREE = 1, 2, 3, 4, 5
_PER_OBJECT_STREAM = 200


class _Writer:
    """The joined file: objects written as they come, with a cross-reference stream."""

    def __init__(self, out: BinaryIO, version: str) -> None:
        self.out = out
        # Per object number: kind (0 free, 1 at an offset, 2 in an object stream), the offset
        # or the object stream's number, and the index in that stream.
        self.kinds, self.places, self.indexes = array("b"), array("q"), array("l")
        self.batch: list[tuple[int, bytes]] = []
        self.next_spare = 0  # a number no part uses, for the next object stream
        out.write(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

    def _place(self, number: int, kind: int, place: int, index: int = 0) -> None:
        missing = number + 1 - len(self.kinds)
        if missing > 0:
            self.kinds.extend([0] * missing)
            self.places.extend([0] * missing)
            self.indexes.extend([0] * missing)
        self.kinds[number], self.places[number], self.indexes[number] = kind, place, index

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        if stream is None:
            self.batch.append((number, body))
            if len(self.batch) == _PER_OBJECT_STREAM:
                self.flush()
            return
        self._place(number, 1, self.out.tell())
        self.out.write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (number, body, stream))

    def flush(self) -> None:
        """Write the batch of objects as one object stream (numbered `next_spare`)."""
        if not self.batch:
            return
        number, self.next_spare = self.next_spare, self.next_spare + 1
        header, bodies, at = [], [], 0
        for index, (member, body) in enumerate(self.batch):
            self._place(member, 2, number, index)
            header.append(b"%d %d" % (member, at))
            bodies.append(body)
            at += len(body) + 1
        first = b" ".join(header) + b"\n"
        data = zlib.compress(first + b"\n".join(bodies))
        self.batch = []
        self.write(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
                   % (len(header), len(first), len(data)), data)

    def finish(self, trailer: bytes) -> None:
        self.flush()
        number = len(self.kinds)
        self._place(number, 1, self.out.tell())
        rows = b"".join(kind.to_bytes(1, "big") + place.to_bytes(8, "big")
                        + (65535 if n == 0 else index).to_bytes(2, "big")
                        for n, (kind, place, index)
                        in enumerate(zip(self.kinds, self.places, self.indexes, strict=True)))
        data = zlib.compress(rows)
        start = self.places[number]
        self.out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 8 2 ] %s /Filter /FlateDecode"
                       b" /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n"
                       % (number, number + 1, trailer, len(data), data, start))


class _Part:
    """One part's objects under new numbers: its own moved up by `offset`; references to
    its catalog, page tree, structure tree root and /Document go to the joined file's."""

    def __init__(self, pdf: pikepdf.Pdf, offset: int) -> None:
        self.pdf, self.offset = pdf, offset
        self.tree = pdf.Root.StructTreeRoot
        self.document = _document_element(self.tree)
        self.parent_tree = pikepdf.NumberTree(self.tree.ParentTree)
        self.special = {pdf.Root.objgen[0]: _CATALOG, pdf.Root.Pages.objgen[0]: _PAGES,
                        self.tree.objgen[0]: _TREE, self.document.objgen[0]: _DOCUMENT}

    def number(self, old: int) -> int:
        return self.special.get(old, old + self.offset)

    def unparse(self, obj: pikepdf.Object, resolved: bool = False) -> bytes:
        """`obj` renumbered; an indirect one as a reference unless `resolved`."""
        def renumber(token: re.Match) -> bytes:
            if token.group(1) is None:
                return token.group(0)
            return b"%d 0 R" % self.number(int(token.group(1)))
        return _TOKEN.sub(renumber, obj.unparse(resolved=resolved))

    def renumber_keys(self, key_offset: int) -> None:
        """Move the pages' and annotations' /ParentTree keys up by `key_offset`, and hang
        the pages under the one page tree."""
        for page in self.pdf.pages:
            page.obj.Parent = self.pdf.Root.Pages
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + key_offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + key_offset

    def write(self, writer: _Writer, roots: list[pikepdf.Object]) -> None:
        """Write every object reachable from `roots`, but not the part's trees' roots."""
        for obj in _indirect_objects(roots, set(self.special)):
            number = self.number(obj.objgen[0])
            if isinstance(obj, pikepdf.Stream):
                raw = obj.read_raw_bytes()
                stream_dict = pikepdf.Dictionary({**obj.stream_dict, "/Length": len(raw)})
                writer.write(number, self.unparse(stream_dict), raw)
            else:
                writer.write(number, self.unparse(obj, resolved=True))


def _indirect_objects(roots: list[pikepdf.Object], done: set[int]) -> Iterator[pikepdf.Object]:
    """The indirect objects reachable from `roots` (not through those numbered in `done`)."""
    pending = list(roots)
    while pending:
        obj = pending.pop()
        if not isinstance(obj, pikepdf.Object):  # pikepdf gives numbers and names as such
            continue
        if obj.is_indirect:
            if obj.objgen[0] in done:
                continue
            done.add(obj.objgen[0])
            yield obj
        if isinstance(obj, pikepdf.Stream):
            pending.extend(obj.stream_dict.values())
        elif isinstance(obj, pikepdf.Dictionary):
            pending.extend(obj.values())
        elif isinstance(obj, pikepdf.Array):
            pending.extend(obj)


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    """The structure tree's single root element (WeasyPrint's /Document)."""
    [document] = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
    return document


def _dictionary(entries: dict[str, bytes]) -> bytes:
    return b"<< %s >>" % b" ".join(b"%s %s" % (key.encode(), value)
                                   for key, value in entries.items())


class _Joined:
    """What the joined file's own objects (catalog, page tree, structure tree root and
    /Document) gather from the parts as they are written."""

    def __init__(self, out: BinaryIO, first: pikepdf.Pdf) -> None:
        self.writer = _Writer(out, first.pdf_version)
        self.offset, self.key_offset = _FIRST_FREE, 0
        self.pages: list[bytes] = []
        self.kids: list[bytes] = []
        self.parent_tree: list[bytes] = []
        self.maps: dict[str, dict[str, bytes]] = {"/RoleMap": {}, "/ClassMap": {}}
        part = _Part(first, self.offset)
        self.catalog = {key: part.unparse(value) for key, value in first.Root.items()
                        if key not in ("/Pages", "/StructTreeRoot")}
        self.document = {key: part.unparse(value) for key, value in part.document.items()
                         if key not in ("/K", "/P")}
        self.trailer = {key: part.unparse(first.trailer[key]) for key in ("/Info", "/ID")
                        if key in first.trailer}
        self.add(part, [first.Root[key] for key in self.catalog]
                 + [first.trailer[key] for key in self.trailer])

    def add(self, part: _Part, extra_roots: list[pikepdf.Object] | None = None) -> None:
        part.renumber_keys(self.key_offset)
        keys = list(part.parent_tree.keys())
        values = [part.parent_tree[key] for key in keys]
        maps = {name: part.tree[name] for name in self.maps if name in part.tree}
        self.writer.next_spare = part.offset + int(part.pdf.trailer.Size)
        part.write(self.writer, [page.obj for page in part.pdf.pages] + list(part.document.K)
                   + values + list(maps.values()) + (extra_roots or []))
        self.writer.flush()  # so that this part's object streams take its spare numbers
        self.pages += [b"%d 0 R" % part.number(page.obj.objgen[0]) for page in part.pdf.pages]
        self.kids.append(part.unparse(part.document.K, resolved=True).strip()[1:-1])
        self.parent_tree += [b"%d %s" % (key + self.key_offset, part.unparse(value))
                             for key, value in zip(keys, values, strict=True)]
        for name, entries in maps.items():  # the first part's entry wins
            for key, value in entries.items():
                self.maps[name].setdefault(key, part.unparse(value))
        self.key_offset += max(keys, default=-1) + 1
        self.offset = self.writer.next_spare

    def finish(self) -> None:
        write = self.writer.write
        write(_PAGES, b"<< /Type /Pages /Count %d /Kids [ %s ] >>"
              % (len(self.pages), b" ".join(self.pages)))
        write(_DOCUMENT, _dictionary(self.document | {"/P": b"%d 0 R" % _TREE,
                                                      "/K": b"[ %s ]" % b" ".join(self.kids)}))
        write(_TREE, _dictionary(
            {"/Type": b"/StructTreeRoot", "/K": b"[ %d 0 R ]" % _DOCUMENT,
             "/ParentTree": b"<< /Nums [ %s ] >>" % b" ".join(self.parent_tree),
             "/ParentTreeNextKey": b"%d" % self.key_offset}
            | {name: _dictionary(entries) for name, entries in self.maps.items() if entries}))
        write(_CATALOG, _dictionary(self.catalog | {"/Pages": b"%d 0 R" % _PAGES,
                                                    "/StructTreeRoot": b"%d 0 R" % _TREE}))
        self.writer.finish(b" ".join(b"%s %s" % (key.encode(), value)
                                     for key, value in self.trailer.items())
                           + b" /Root %d 0 R" % _CATALOG)


def join_tagged(parts: list[Path], target: Path) -> None:
    """Write the PDFs at `parts`, in order, to `target` as one tagged PDF."""
    with target.open("wb") as out:
        with pikepdf.open(parts[0]) as first:
            joined = _Joined(out, first)
        for path in parts[1:]:
            with pikepdf.open(path) as pdf:
                joined.add(_Part(pdf, joined.offset))
        joined.finish()
