"""Who is calling: `Authorization: Bearer <key>`, and which roles may use a route.

Every route but `/health` and the documentation declares its roles with
:func:`allow`; the route table test enumerates the app's routes and fails for
one that has no rule. What a role sees within a route (a unit only its own)
is the access policy's, :mod:`inspection.services.access`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inspection.api.deps import SessionDep
from inspection.errors import ForbiddenError, UnauthorizedError
from inspection.services.access import ROLE_NAMES, Actor, Role
from inspection.services.trust import keys

__all__ = ["ActorDep", "FeedActorDep", "allow", "current_actor"]

_bearer = HTTPBearer(auto_error=False, description="API key: `Authorization: Bearer <key>`")


def current_actor(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The key's holder.

    Raises:
        UnauthorizedError: no key, or an unknown, revoked or feed-only key.
    """
    if credentials is None:
        raise UnauthorizedError("缺少 API 密钥（Authorization: Bearer <密钥>）", "Authorization")
    actor = keys.authenticate(session, credentials.credentials)
    if actor is None or actor.role == Role.FEED:
        raise UnauthorizedError("API 密钥无效或已吊销", "Authorization")
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def allow(*roles: Role) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency that lets only these roles through (403 for the others).

    Raises:
        ValueError: a role that does not exist (a misspelling fails when the router
            is defined, that is at start-up, besides failing type checking).
    """
    allowed_roles = tuple(Role(r) for r in roles)

    # async: a check without I/O needs no worker thread (a sync one costs a hand-off)
    async def check(actor: ActorDep) -> Actor:
        if actor.role not in allowed_roles:
            allowed = "、".join(ROLE_NAMES[r] for r in allowed_roles)
            raise ForbiddenError(f"此操作仅限{allowed}", "Authorization")
        return actor

    check.roles = allowed_roles  # type: ignore[attr-defined]  # read by the route table test
    return check


def feed_or_key_actor(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    token: Annotated[
        str | None, Query(max_length=200, description="the unit's calendar feed token")
    ] = None,
) -> Actor:
    """A feed token in the URL (calendar applications send no headers), else a key.

    Raises:
        UnauthorizedError: neither a valid feed token nor a valid key.
    """
    if token is not None:
        actor = keys.authenticate(session, token)
        if actor is None or actor.role != Role.FEED:
            raise UnauthorizedError("日历订阅令牌无效或已吊销", "token")
        return actor
    return current_actor(session, credentials)


FeedActorDep = Annotated[Actor, Depends(feed_or_key_actor)]
