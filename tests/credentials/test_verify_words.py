"""The public /verify/ page's help text follows the reader's language (it was translated once, at import)."""

import pytest

from tests.builders import page_text

pytestmark = pytest.mark.django_db


def test_the_code_help_is_in_spanish_for_a_spanish_reader(client):
    client.cookies["django_language"] = "es"

    text = page_text(client.get("/verify/"))

    assert "Printed under the QR code" not in text
    assert "7K2M-Q9XD-4HNB-T6PV-W3RC-8JEA-G5F1" in text
    assert "código QR" in text
