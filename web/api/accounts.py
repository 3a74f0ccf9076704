"""The caller's own account: who the API token acts as."""

from __future__ import annotations

from web.api.common import ERRORS, Caller, Json, api_router

router = api_router()


@router.get("/me", responses=ERRORS)
async def me(caller: Caller) -> Json:
    p = caller.person
    return {"id": p.id, "name": p.name, "email": p.email, "role": str(p.role), "agency_id": p.agency_id}
