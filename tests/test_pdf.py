"""PDF sources: title and dates from the document information dictionary."""

import io
from datetime import date

from pypdf import PdfWriter

from linkcheck.pages.pdf import extract_pdf_meta, pdf_date
from tests.support.server import FaultServer, respond
from tests.test_resolver_faults import resolve


def make_pdf(title="Annual Report on Sanctions", created="D:20211215093000+01'00'"):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title, "/Author": "Ministry of Finance",
                         "/CreationDate": created, "/ModDate": "D:20211216"})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_metadata_read_from_the_info_dictionary():
    meta = extract_pdf_meta(make_pdf())
    assert meta.title == "Annual Report on Sanctions"
    assert meta.published == date(2021, 12, 15) and meta.modified == date(2021, 12, 16)
    assert meta.sources["published"] == "pdf:CreationDate"


def test_a_pdf_cut_at_the_size_cap_still_gives_its_info_from_raw_bytes():
    body = make_pdf()
    info = body.index(b"/Title")
    cut = body[: info + 200]  # the cross-reference table at the end is gone
    meta = extract_pdf_meta(cut)
    assert meta.title == "Annual Report on Sanctions"


def test_garbage_and_bad_dates_do_not_raise():
    assert extract_pdf_meta(b"%PDF-1.7 nothing else").title is None
    assert pdf_date("D:2021") == date(2021, 1, 1) and pdf_date("yesterday") is None


def test_a_cited_pdf_gets_its_title_and_date_through_the_resolver():
    with FaultServer() as srv:
        srv.route("/report.pdf", respond(200, make_pdf(), content_type="application/pdf"))
        (res,) = resolve([f"{srv.base()}/report.pdf"]).values()
    assert res.meta.title == "Annual Report on Sanctions"
    assert res.meta.published == date(2021, 12, 15)
