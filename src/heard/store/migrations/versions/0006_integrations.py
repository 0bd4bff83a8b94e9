"""Helpdesk integrations: each team's connection (secrets encrypted), the map from a helpdesk's
conversations to heard's, and the outbox of private notes the worker posts back. Also widens the
complaint category columns to 40 characters: "credit_reporting_and_debt_collection" (36) did
not fit on PostgreSQL, so such a message could not be stored there.

Revision ID: 0006_integrations
Revises: 0005_readings
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_integrations"
down_revision = "0005_readings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("conversations", "incidents"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "category", type_=sa.String(40), existing_type=sa.String(30), existing_nullable=True
            )
    op.create_table(
        "integrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("helpdesk", sa.String(20), nullable=False),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("base_url", sa.String(500), nullable=False),
        sa.Column("account", sa.String(100)),
        sa.Column("api_token", sa.LargeBinary()),
        sa.Column("webhook_secret", sa.LargeBinary()),
        sa.Column("note_threshold", sa.String(10), nullable=False),
        sa.Column("notes_on_calm", sa.Boolean(), nullable=False),
        sa.Column("frame_origins", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("team_id", "helpdesk"),
    )
    op.create_index("ix_integrations_team_id", "integrations", ["team_id"])
    op.create_table(
        "external_conversations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "integration_id",
            sa.Integer(),
            sa.ForeignKey("integrations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(200), nullable=False),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("integration_id", "external_id"),
    )
    op.create_index("ix_external_conversations_team_id", "external_conversations", ["team_id"])
    op.create_index(
        "ix_external_conversations_conversation_id", "external_conversations", ["conversation_id"]
    )
    op.create_table(
        "integration_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "integration_id",
            sa.Integer(),
            sa.ForeignKey("integrations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("external_conversation", sa.String(200), nullable=False),
        sa.Column("burst", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(500)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conversation_id", "burst"),
    )
    op.create_index("ix_integration_notes_team_id", "integration_notes", ["team_id"])
    op.create_index("ix_integration_notes_due", "integration_notes", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("integration_notes")
    op.drop_table("external_conversations")
    op.drop_table("integrations")
    for table in ("conversations", "incidents"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "category", type_=sa.String(30), existing_type=sa.String(40), existing_nullable=True
            )
