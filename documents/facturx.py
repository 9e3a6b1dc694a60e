"""The invoice PDF as a Factur-X (ZUGFeRD) invoice: a PDF/A-3 carrying its CII XML as
the embedded file factur-x.xml, profile EN 16931, so a person reads the PDF and the
buyer's software reads the same invoice from the XML."""

from io import BytesIO
from pathlib import Path

import fpdf
from facturx import generate_from_binary
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

LEVEL = "en16931"
# PDF/A wants the colours' meaning pinned down by an output intent; fpdf2 ships the
# sRGB profile (its own licence beside it), and our PDFs draw in plain RGB.
SRGB = Path(fpdf.__file__).resolve().parent / "data" / "color_profiles" / "sRGB2014.icc"


def facturx_pdf(pdf_bytes: bytes, cii_xml: bytes, *, lang: str = "en-GB") -> bytes:
    """`pdf_bytes` with `cii_xml` (from documents.cii) embedded. The XML is checked
    against the Factur-X schema first: a document that would not be read is an error
    here, not at the buyer's."""
    return generate_from_binary(with_output_intent(pdf_bytes), cii_xml, flavor="factur-x", level=LEVEL,
                                check_xsd=True, lang=lang)


def with_output_intent(pdf_bytes: bytes) -> bytes:
    """`pdf_bytes` with an sRGB output intent, unless it has one already."""
    reader = PdfReader(BytesIO(pdf_bytes))
    if "/OutputIntents" in reader.trailer["/Root"]:  # type: ignore[operator]
        return pdf_bytes
    writer = PdfWriter(clone_from=reader)
    profile = StreamObject()
    profile.set_data(SRGB.read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
        NameObject("/DestOutputProfile"): writer._add_object(profile),
    })
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
