"""The invoice as documents: EN 16931 e-invoices (UBL, CII), the PDF (Factur-X
when exportable), the compliance check, and credit notes with their documents.
The recipient's share-link downloads are here too: the same files."""

import hashlib
import json
import threading
from collections import OrderedDict

from billing import compliance
from billing.errors import ServiceBusy
from documents.on_demand import credit_note_cii, credit_note_ubl, facturx_pdf, invoice_cii, invoice_pdf, invoice_ubl
from handlers import _views, blocking

__all__ = [
    "check_invoice_compliance", "get_invoice_ubl", "get_invoice_cii", "get_invoice_pdf",
    "create_credit_note", "list_credit_notes", "get_credit_note",
    "get_credit_note_ubl", "get_credit_note_cii", "get_credit_note_pdf",
    "get_shared_invoice_ubl", "get_shared_invoice_cii", "get_shared_invoice_pdf",
]

XML = "application/xml"
PDF = "application/pdf"
# Drawing a PDF is the costliest thing a request can ask for, and the share link
# asks without a key: a few at a time per process (the rest wait briefly, then a
# 503), and each rendering kept, per invoice version and seller profile, so asking
# again costs nothing.
CONCURRENT_RENDERS = 2
WAIT_FOR_A_TURN_SECONDS = 10
KEPT_RENDERINGS = 64
_renders = threading.BoundedSemaphore(CONCURRENT_RENDERS)
_rendered: OrderedDict[tuple, bytes] = OrderedDict()
_rendered_lock = threading.Lock()


def _kept(key: tuple, render) -> bytes:
    with _rendered_lock:
        if key in _rendered:
            _rendered.move_to_end(key)
            return _rendered[key]
    if not _renders.acquire(timeout=WAIT_FOR_A_TURN_SECONDS):
        raise ServiceBusy("Too many documents are being drawn right now; retry in a moment.", retry_after=2)
    try:
        content = render()
    finally:
        _renders.release()
    with _rendered_lock:
        _rendered[key] = content
        while len(_rendered) > KEPT_RENDERINGS:
            _rendered.popitem(last=False)
    return content


def _fingerprint(seller: dict) -> str:
    return hashlib.sha256(json.dumps(seller, sort_keys=True, default=str).encode()).hexdigest()


def _file(content: bytes, media_type: str, name: str) -> tuple:
    return content, 200, {"Content-Type": media_type, "Content-Disposition": f'attachment; filename="{name}"'}


def _invoice(record, services, public_url) -> tuple[dict, dict]:
    """(the invoice as the API shows it, the seller's profile)."""
    return _views.invoice(record, public_url), _views.seller(services.accounts.get(record["account_id"]))


def _exportable(invoice: dict, seller: dict) -> None:
    compliance.ensure_exportable(compliance.problems(invoice, seller))


def _pdf(record, services, public_url) -> bytes:
    """The PDF people read; a Factur-X PDF/A-3 carrying the CII when the invoice is exportable."""
    invoice, seller = _invoice(record, services, public_url)

    def render() -> bytes:
        account, customer, thread = services.invoices.seen_by_recipient(record)
        printed = invoice_pdf(_views.shared_invoice(record, account, customer, thread))
        if compliance.problems(invoice, seller):
            return printed
        return facturx_pdf(printed, invoice_cii(invoice, seller))

    # The share token names one invoice in every database; the version, its every change.
    return _kept((record["share_token"], record["version"], public_url, _fingerprint(seller)), render)


def check_invoice_compliance(number, user, services, public_url):
    invoice, seller = _invoice(services.invoices.get(user, number.upper()), services, public_url)
    return compliance.report(compliance.problems(invoice, seller))


@blocking  # building and serialising the XML is work best kept off the event loop
def get_invoice_ubl(number, user, services, public_url):
    invoice, seller = _invoice(services.invoices.get(user, number.upper()), services, public_url)
    _exportable(invoice, seller)
    return _file(invoice_ubl(invoice, seller), XML, f"{invoice['id']}.xml")


@blocking
def get_invoice_cii(number, user, services, public_url):
    invoice, seller = _invoice(services.invoices.get(user, number.upper()), services, public_url)
    _exportable(invoice, seller)
    return _file(invoice_cii(invoice, seller), XML, f"{invoice['id']}-cii.xml")


@blocking  # drawing takes tens of milliseconds
def get_invoice_pdf(number, user, services, public_url):
    record = services.invoices.get(user, number.upper())
    return _file(_pdf(record, services, public_url), PDF, f"{record['number']}.pdf")


# ------------------------------------------------------------ credit notes

def create_credit_note(number, body, user, services):
    note = _views.credit_note(services.invoices.credit(user, number.upper(), body))
    return note, 201, {"Location": f"/api/v1/credit-notes/{note['id']}"}


def list_credit_notes(user, services, limit=20, cursor=None):
    return _views.page(services.credit_notes.page(user, limit, cursor), _views.credit_note)


def get_credit_note(number, user, services):
    return _views.credit_note(services.credit_notes.get(user, number.upper()))


def _credit_note(number, user, services, public_url) -> tuple[dict, dict, dict]:
    """(the credit note, the invoice it credits, the seller), exportable or a 422 saying why not."""
    found = services.credit_notes.get(user, number.upper())
    invoice, seller = _invoice(services.credit_notes.invoice_of(found), services, public_url)
    note = _views.credit_note(found)
    compliance.ensure_exportable(compliance.credit_note_problems(note, invoice, seller))
    return note, invoice, seller


@blocking
def get_credit_note_ubl(number, user, services, public_url):
    note, invoice, seller = _credit_note(number, user, services, public_url)
    return _file(credit_note_ubl(note, invoice, seller), XML, f"{note['id']}.xml")


@blocking
def get_credit_note_cii(number, user, services, public_url):
    note, invoice, seller = _credit_note(number, user, services, public_url)
    return _file(credit_note_cii(note, invoice, seller), XML, f"{note['id']}-cii.xml")


@blocking
def get_credit_note_pdf(number, user, services, public_url):
    found = services.credit_notes.get(user, number.upper())
    record = services.credit_notes.invoice_of(found)
    invoice, seller = _invoice(record, services, public_url)
    note = _views.credit_note(found)
    account, customer, _ = services.invoices.seen_by_recipient(record)
    printed = invoice_pdf(_views.credit_note_shown(note, _views.shared_invoice(record, account, customer, [])))
    if not compliance.credit_note_problems(note, invoice, seller):
        printed = facturx_pdf(printed, credit_note_cii(note, invoice, seller))
    return _file(printed, PDF, f"{note['id']}.pdf")


# ------------------------------------------------------------ the recipient's downloads

@blocking
def get_shared_invoice_ubl(token, services, public_url):
    invoice, seller = _invoice(services.invoices.shared(token), services, public_url)
    _exportable(invoice, seller)
    return _file(invoice_ubl(invoice, seller), XML, f"{invoice['id']}.xml")


@blocking
def get_shared_invoice_cii(token, services, public_url):
    invoice, seller = _invoice(services.invoices.shared(token), services, public_url)
    _exportable(invoice, seller)
    return _file(invoice_cii(invoice, seller), XML, f"{invoice['id']}-cii.xml")


@blocking  # drawing takes tens of milliseconds: keep it off the event loop
def get_shared_invoice_pdf(token, services, public_url):
    # Downloading is not viewing: the sender may fetch the PDF to attach it somewhere.
    record = services.invoices.shared(token)
    return _file(_pdf(record, services, public_url), PDF, f"{record['number']}.pdf")
