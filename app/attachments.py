"""What an outbox message's attachment spec stands for, drawn when the message
leaves: `{"invoice_id", "version"}` is that invoice's PDF as that version left it."""

from documents.on_demand import invoice_pdf
from handlers import _views
from workflow import Services


def drawer(services: Services):
    """The mailer's `attachments`: spec → (file name, MIME type, bytes)."""

    def draw(spec: dict) -> tuple[str, str, bytes]:
        shown = _views.shared_invoice(*services.invoices.as_sent(spec["invoice_id"], spec["version"]))
        return f"{shown['number']}.pdf", "application/pdf", invoice_pdf(shown)

    return draw
