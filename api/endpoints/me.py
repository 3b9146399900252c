"""Who the token belongs to: a quick way for a client to check its token and see its role."""

from django.utils.translation import get_language
from ninja import Router

from ..schemas import MeOut, responses

router = Router(tags=["me"])


@router.get("/me", response=responses(MeOut, not_found=False), summary="The token's user")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.get_username(),
        "role": "manager" if user.is_program_manager else user.role,
        "partner": user.partner,
        "language": get_language(),
    }
