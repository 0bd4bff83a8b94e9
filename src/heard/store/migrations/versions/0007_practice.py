"""Practice sessions with simulated customers (heard.simulate) and the scenarios a team adds.

A session keeps what ``Practice.replay`` needs to rebuild it (scenario, difficulty, seed, the
trainee's replies with their times; a team scenario's YAML as it was when the session began),
plus the summary figures a lead's view reads without replaying it (outcome, score, steps missed).

Revision ID: 0007_practice
Revises: 0005_readings
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_practice"
down_revision = "0006_integrations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_scenarios",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("scenario_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("domain", sa.String(length=100), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "scenario_id"),
    )
    op.create_index("ix_practice_scenarios_team_id", "practice_scenarios", ["team_id"])
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("scenario_id", sa.String(length=100), nullable=False),
        sa.Column("scenario_title", sa.String(length=300), nullable=False),
        sa.Column("scenario_source", sa.Text(), nullable=True),
        sa.Column("difficulty", sa.String(length=10), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("mood", sa.JSON(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("missed", sa.JSON(), nullable=True),
        sa.Column("produced_by", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_practice_sessions_team_user", "practice_sessions", ["team_id", "user_id", "started_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_practice_sessions_team_user", table_name="practice_sessions")
    op.drop_table("practice_sessions")
    op.drop_index("ix_practice_scenarios_team_id", table_name="practice_scenarios")
    op.drop_table("practice_scenarios")
