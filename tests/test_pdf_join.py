"""Tagged PDF parts joined into one tagged PDF (portal/pdf_join.py), written as a stream."""

import re

import pikepdf
from weasyprint import HTML

from portal.pdf_join import join_tagged
from tests.poppler import pdf_info, pdf_to_text

# A title that reads like a PDF reference: the renumbering must leave strings alone.
TITLE = "Overzicht (3 0 R) <1 0 R>"


def part(tmp_path, number: int, rows: int):
    heading = "<h1>Kop</h1>" if number == 0 else ""
    cells = "".join(f"<tr><td>deel {number} rij {row}</td><td>x</td></tr>" for row in range(rows))
    html = (f'<html lang="nl"><head><title>{TITLE}</title></head><body>{heading}'
            f"<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>{cells}</tbody>"
            "</table></body></html>")
    path = tmp_path / f"part-{number}.pdf"
    HTML(string=html).write_pdf(path, pdf_variant="pdf/ua-1")
    return path


def test_parts_are_joined_in_order_into_one_tagged_pdf(tmp_path):
    parts = [part(tmp_path, n, rows) for n, rows in enumerate([60, 3, 60])]
    target = tmp_path / "joined.pdf"
    join_tagged(parts, target)
    pdf = target.read_bytes()
    assert re.search(r"^Tagged:\s+yes$", pdf_info(pdf), re.M)
    text = pdf_to_text(pdf)
    assert [text.index(f"deel {n} rij 2") for n in range(3)] == sorted(
        text.index(f"deel {n} rij 2") for n in range(3))
    with pikepdf.open(target) as joined:
        assert not joined.check_pdf_syntax()
        counts = [len(pikepdf.open(path).pages) for path in parts]
        assert len(joined.pages) == sum(counts) == len(text.split("\f")[:-1])
        assert str(joined.docinfo.Title) == TITLE and joined.Root.Lang == "nl"
        tree = joined.Root.StructTreeRoot
        [document] = tree.K
        tables = [kid for kid in document.K if kid.S == "/Table"]
        assert document.K[0].S == "/H1" and len(tables) >= 3
        assert all(kid.P.objgen == document.objgen for kid in document.K)
        keys = [int(page.obj.StructParents) for page in joined.pages]
        assert keys == list(range(len(keys))) == sorted(pikepdf.NumberTree(tree.ParentTree))
        assert tree.ParentTreeNextKey == len(keys)
        last_page = joined.pages[-1].obj.objgen
        assert tables[-1].Pg.objgen == last_page  # the last part's table on its own page
