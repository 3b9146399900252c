"""Safe PDF rendering: the one URL fetcher every WeasyPrint document gets (certificates, the funder report).

It allows data: URIs only. Callers inline what a document shows (logos, signatures, QR codes, stylesheets)
before rendering, so nothing is ever fetched: no file:// (a template or a value that slipped a path in cannot
read the server's files into a PDF) and no outside or internal hosts (nothing to probe from the server).
"""

from weasyprint.urls import URLFetcher


class SafeURLFetcher(URLFetcher):
    """Fetches data: URIs and nothing else; a refused URL is left out of the document, not an error."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, fail_on_errors=False)
