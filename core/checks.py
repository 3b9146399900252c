"""Checks of core's settings, run by `manage.py check` and at every start."""

import phonenumbers
from django.conf import settings
from django.core import checks


@checks.register()
def phone_region_is_known(app_configs, **kwargs):
    region = getattr(settings, "PATHWAYS_PHONE_REGION", "US")
    if phonenumbers.country_code_for_region(region):
        return []
    return [
        checks.Error(
            f"PATHWAYS_PHONE_REGION={region!r} is not a region libphonenumber knows.",
            hint='Use a two-letter ISO 3166 code such as "US", "SO", "AF" or "HT".',
            id="core.E001",
        )
    ]
