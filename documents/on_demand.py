"""The document makers, imported at their first use. Their libraries (fpdf2 with
fontTools, pypdf, factur-x, lxml) add about 40 MB to every worker process, and
most requests never draw a document; the first one that does pays the import."""

import importlib
from collections.abc import Callable


def _on_first_use(module: str, name: str) -> Callable:
    def call(*args, **kwargs):
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported when first called."
    return call


invoice_pdf = _on_first_use("documents.pdf", "invoice_pdf")
facturx_pdf = _on_first_use("documents.facturx", "facturx_pdf")
invoice_cii = _on_first_use("documents.cii", "invoice_cii")
credit_note_cii = _on_first_use("documents.cii", "credit_note_cii")
invoice_ubl = _on_first_use("documents.ubl", "invoice_ubl")
credit_note_ubl = _on_first_use("documents.ubl", "credit_note_ubl")
