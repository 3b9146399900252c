"""Evidence downloads: a milestone's or a savings deposit's file, streamed from private storage.

The files are never under MEDIA_URL; this is the only way to them. Who may fetch one is decided by
people.access (can_see_milestone_evidence, can_see_savings_evidence); anyone else gets the same 404 as
for a record that does not exist, so ids reveal nothing. Every download is written to the audit log.
"""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from wagtail.log_actions import log

from . import selectors

DOWNLOAD_ACTION = "incentives.evidence.download"


def _stream(request, record, kind):
    try:
        handle = record.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = record.evidence_name or record.evidence.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    log(record, DOWNLOAD_ACTION, user=request.user, data={"kind": kind, "learner": record.learner_id, "file": name})
    return response


@require_GET
@login_required
def achievement_evidence(request, pk):
    achievement = selectors.achievement_evidence(request.user, pk)
    if achievement is None:
        raise Http404
    return _stream(request, achievement, "milestone")


@require_GET
@login_required
def savings_evidence(request, pk):
    deposit = selectors.deposit_evidence(request.user, pk)
    if deposit is None:
        raise Http404
    return _stream(request, deposit, "savings")
