"""Documents rendered from handler data: the invoice PDF."""
