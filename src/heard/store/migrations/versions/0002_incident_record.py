"""Incidents carry the whole record (fault, de-escalation, steps, remedy, satisfaction); imported
conversations carry the archive's id so a re-run of ``heard import`` adds nothing twice.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fault", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("peak_level", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("final_level", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("deescalated", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("messages_to_deescalate", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("minutes_to_deescalate", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("steps_done", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("remedy", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("satisfaction", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("root_cause_edited_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("external_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=10), nullable=True))
        batch_op.create_index("ux_conversations_team_external", ["team_id", "external_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ux_conversations_team_external")
        batch_op.drop_column("source")
        batch_op.drop_column("external_id")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for name in (
            "updated_at", "root_cause_edited_by", "satisfaction", "remedy", "steps_done",
            "minutes_to_deescalate", "messages_to_deescalate", "deescalated", "final_level",
            "peak_level", "fault",
        ):  # fmt: skip
            batch_op.drop_column(name)
