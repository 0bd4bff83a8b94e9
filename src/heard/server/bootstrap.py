"""First start: a demo team a newcomer can use at once.

When the database has no team yet (and ``HEARD_DEMO_TEAM`` is not false), ``heard serve``
creates team ``demo`` with an admin user, heard's example policy catalogue and redaction on,
and writes the admin's API key to ``<data_dir>/demo-api-key`` (readable by the owner only),
since heard keeps only the key's hash.
"""

from __future__ import annotations

import os
from pathlib import Path

from heard.respond import dump_catalogue, example_catalogue
from heard.store import Database, repo


def create_team_with_admin(db: Database, name: str, *, admin: str = "admin", policies: bool = True) -> str:
    """Create a team with an admin user (and the example catalogue); returns the admin's API key."""
    with db.write() as session:
        team = repo.create_team(session=session, name=name)
        user = repo.create_user(session=session, team_id=team.id, name=admin, role="admin")
        if policies:
            repo.put_policy(session=session, team_id=team.id, catalogue=dump_catalogue(example_catalogue()))
        return repo.issue_key(session=session, user=user)


def ensure_demo_team(db: Database, data_dir: Path) -> str | None:
    """Create the demo team on an empty database; returns its key, or None if teams exist."""
    with db.read() as session:
        if repo.count_teams(session=session):
            return None
    key = create_team_with_admin(db, "demo")
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "demo-api-key"
    path.write_text(key + "\n", "utf-8")
    os.chmod(path, 0o600)
    return key
