"""The invoice PDF as a Factur-X (ZUGFeRD) invoice: a PDF/A-3 carrying its CII XML as
the embedded file factur-x.xml, profile EN 16931, so a person reads the PDF and the
buyer's software reads the same invoice from the XML."""

from facturx import generate_from_binary

LEVEL = "en16931"


def facturx_pdf(pdf_bytes: bytes, cii_xml: bytes, *, lang: str = "en-GB") -> bytes:
    """`pdf_bytes` with `cii_xml` (from documents.cii) embedded. The XML is checked
    against the Factur-X schema first: a document that would not be read is an error
    here, not at the buyer's."""
    return generate_from_binary(pdf_bytes, cii_xml, flavor="factur-x", level=LEVEL, check_xsd=True, lang=lang)
