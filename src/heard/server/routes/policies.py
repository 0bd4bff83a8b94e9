"""The team's policy catalogue: read (JSON or YAML), replace (YAML or JSON), validate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from heard.errors import RecordNotFound, TooLarge
from heard.respond import Catalogue, dump_catalogue, load_catalogue
from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.limits import read_bounded
from heard.server.schemas import PolicyCheck
from heard.store import repo

router = APIRouter(prefix="/policies", tags=["policies"])
# The body is read raw: a catalogue is YAML (or JSON, which is YAML too), whatever Content-Type says.
YAML_BODY = {
    "requestBody": {
        "required": True,
        "description": "The catalogue as YAML (JSON is YAML too); docs/policies.md.",
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}


def _text(body: bytes) -> str:
    from heard.errors import InvalidPolicy

    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidPolicy(f"the catalogue is not UTF-8 (byte {e.start}); save it as UTF-8") from None


async def _catalogue_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) once past ``limit``: a catalogue is a few KB, and YAML costs far
    more to parse than its size suggests (HEARD_MAX_POLICY_BYTES)."""
    too_large = TooLarge(
        f"the catalogue is over {limit:,} bytes (HEARD_MAX_POLICY_BYTES); a catalogue lists remedies, "
        "not data: trim it"
    )
    return await read_bounded(request, limit, too_large)


def _parsed(body: bytes) -> Catalogue:
    return load_catalogue(_text(body))


@router.get("", response_model=Catalogue, responses={200: {"content": {"application/yaml": {}}}})
def get_policies(caller: CallerDep, db: DatabaseDep, accept: Annotated[str | None, Header()] = None):
    """The catalogue; ``Accept: application/yaml`` gives it as YAML."""
    with db.read() as session:
        text = repo.get_policy(session=session, team_id=caller.team_id)
    if text is None:
        raise RecordNotFound(
            "this team has no policy catalogue yet; PUT /v1/policies with one (docs/policies.md)"
        )
    catalogue = load_catalogue(text)
    if accept and "yaml" in accept:
        return Response(dump_catalogue(catalogue), media_type="application/yaml")
    return catalogue


@router.put("", response_model=Catalogue, openapi_extra=YAML_BODY)
async def put_policies(
    caller: CallerDep, db: DatabaseDep, settings: SettingsDep, request: Request
) -> Catalogue:
    """Replace the catalogue (a lead's or admin's key). An invalid one changes nothing."""
    caller.require("lead")
    body = await _catalogue_body(request, settings.max_policy_bytes)
    # Parsing YAML is CPU work: off the event loop, so other requests go on meanwhile.
    catalogue = await run_in_threadpool(_parsed, body)
    await run_in_threadpool(_store, db, caller.team_id, catalogue)
    return catalogue


def _store(db, team_id: int, catalogue: Catalogue) -> None:
    text = dump_catalogue(catalogue)
    with db.write() as session:
        repo.put_policy(session=session, team_id=team_id, catalogue=text)


@router.post("/validate", response_model=PolicyCheck, openapi_extra=YAML_BODY)
async def validate_policies(_caller: CallerDep, settings: SettingsDep, request: Request) -> PolicyCheck:
    """Check a catalogue without storing it; an invalid one answers 422 naming the field."""
    catalogue = await run_in_threadpool(_parsed, await _catalogue_body(request, settings.max_policy_bytes))
    return PolicyCheck(valid=True, remedies=len(catalogue.remedies), currency=catalogue.currency)
