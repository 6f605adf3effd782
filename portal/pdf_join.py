"""Tagged PDFs (WeasyPrint's PDF/UA-1 parts of one statement) joined into one tagged PDF.

Appending pages alone (as pypdf's PdfWriter.append does) drops the structure: the result has
no /StructTreeRoot, /MarkInfo or /Lang. Here the first part is the base, so its catalog (the
/MarkInfo, /Lang, XMP metadata with the PDF/UA claim, title and outline) stays; each next
part's pages are appended, its structure elements become kids of the base's /Document
element, and its /StructParents keys move up by a running offset so that they and the
/ParentTree (which maps a page's marked content to its elements) stay unique.

qpdf (through pikepdf) reads each part from its file on demand and keeps the objects in C++,
far leaner than pypdf's Python objects for the tens of thousands of table cells' elements."""

from pathlib import Path

import pikepdf


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    """The structure tree's single root element (WeasyPrint's /Document)."""
    [document] = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
    return document


def _next_key(parent_tree: pikepdf.NumberTree) -> int:
    return max(parent_tree.keys(), default=-1) + 1


def _append(joined: pikepdf.Pdf, part: pikepdf.Pdf, offset: int) -> int:
    """Append `part`'s pages and structure to `joined`; the next free /ParentTree key."""
    tree, source_tree = joined.Root.StructTreeRoot, part.Root.StructTreeRoot
    document, source_document = _document_element(tree), _document_element(source_tree)
    first_new_page = len(joined.pages)
    joined.pages.extend(part.pages)  # first, so that the elements' /Pg find the copied pages
    for page in joined.pages[first_new_page:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    # The elements whose parent is this part's /Document: its kids, and some WeasyPrint
    # leaves out of /K (the page margins' text). Their parent becomes the base's /Document;
    # copied with theirs, they would bring this part's whole structure tree root along.
    children = [obj for obj in part.objects if isinstance(obj, pikepdf.Dictionary)
                and "/P" in obj and obj.P.objgen == source_document.objgen]
    for child in children:
        del child.P
    source_entries = pikepdf.NumberTree(source_tree.ParentTree)
    keys = list(source_entries.keys())
    # One copy of everything, so each element is copied once and every reference to it (a
    # kid, a /ParentTree entry, a /P) points at that one copy.
    carrier = part.make_indirect(pikepdf.Array([
        source_document.K, pikepdf.Array(children),
        pikepdf.Array([source_entries[key] for key in keys]),
        source_tree.get("/RoleMap", pikepdf.Dictionary()),
        source_tree.get("/ClassMap", pikepdf.Dictionary())]))
    kids, copied_children, values, role_map, class_map = joined.copy_foreign(carrier)
    for copied in copied_children:
        copied.P = document
    document.K.extend(kids)
    entries = pikepdf.NumberTree(tree.ParentTree)
    for key, value in zip(keys, values, strict=True):
        entries[key + offset] = value
    for name, merged in (("/RoleMap", role_map), ("/ClassMap", class_map)):
        if len(merged.keys()):
            tree[name] = pikepdf.Dictionary({**merged, **tree.get(name, {})})
    return offset + max(keys, default=-1) + 1


def join_tagged(parts: list[Path], target: Path) -> None:
    """Write the PDFs at `parts`, in order, to `target` as one tagged PDF."""
    with pikepdf.open(parts[0]) as joined:
        tree = joined.Root.StructTreeRoot
        offset = _next_key(pikepdf.NumberTree(tree.ParentTree))
        for path in parts[1:]:
            with pikepdf.open(path) as part:
                offset = _append(joined, part, offset)
        tree.ParentTreeNextKey = offset
        joined.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate)
