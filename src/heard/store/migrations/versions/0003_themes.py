"""Themes that are fitted once and read many times: each team's theme model (one row per refit)
and each incident's embedding and theme, so a report reads stored themes and a new incident is
assigned without regrouping.

Revision ID: 0003_themes
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_themes"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("incidents", sa.Integer(), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "version"),
    )
    op.create_index(op.f("ix_theme_models_team_id"), "theme_models", ["team_id"], unique=False)
    op.create_table(
        "incident_themes",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("encoder", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=False),
        sa.Column("theme", sa.Integer(), nullable=True),
        sa.Column("model_version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    op.create_index(op.f("ix_incident_themes_team_id"), "incident_themes", ["team_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_incident_themes_team_id"), table_name="incident_themes")
    op.drop_table("incident_themes")
    op.drop_index(op.f("ix_theme_models_team_id"), table_name="theme_models")
    op.drop_table("theme_models")
