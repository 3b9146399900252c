"""Signatories and the logo move from the certificate template to the partner organization.

One template served every partner, so its signatories signed for organizations they do not work for
(Unidos's certificates signed "Director, Northside Refugee Center"). Which partner a template's people
belong to cannot be told from the data, so they are dropped rather than guessed, except where there is
only one partner organization: then they can only be its own, and that partner gets the signatories and
logo of the first template in the default language (unless it already has its own). Everywhere else a
program manager enters each partner's signatories under Settings → Partner organizations; until then
its certificates print the organization's name and no signature line.
"""

from django.db import migrations

MAX_SIGNATORIES = 3  # people.models.MAX_SIGNATORIES when this was written


def _blocks(stream):
    raw = getattr(stream, "raw_data", stream) or []
    for item in raw:
        value = item.get("value") if hasattr(item, "get") else None
        if item.get("type") == "signatory" and value:
            yield value


def move_to_the_only_partner(apps, schema_editor):
    Partner = apps.get_model("people", "Partner")
    PartnerSignatory = apps.get_model("people", "PartnerSignatory")
    CertificateTemplate = apps.get_model("credentials", "CertificateTemplate")
    Image = apps.get_model("wagtailimages", "Image")
    partners = list(Partner.objects.all()[:2])
    if len(partners) != 1:
        return
    partner = partners[0]
    template = CertificateTemplate.objects.order_by("locale_id", "name", "pk").first()
    if template is None:
        return
    if partner.logo_id is None and template.logo_id is not None:
        partner.logo_id = template.logo_id
        partner.save(update_fields=["logo"])
    if PartnerSignatory.objects.filter(partner=partner).exists():
        return
    for order, value in enumerate(list(_blocks(template.signatories))[:MAX_SIGNATORIES]):
        signature = value.get("signature")
        PartnerSignatory.objects.create(
            partner=partner,
            sort_order=order,
            name=str(value.get("name") or "")[:120],
            role=str(value.get("role") or "")[:120],
            signature_id=signature if Image.objects.filter(pk=signature).exists() else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0004_credential_status_list_index"),
        ("people", "0004_partner_signatories_and_logo"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(move_to_the_only_partner, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="certificatetemplate",
            name="logo",
        ),
        migrations.RemoveField(
            model_name="certificatetemplate",
            name="signatories",
        ),
    ]
