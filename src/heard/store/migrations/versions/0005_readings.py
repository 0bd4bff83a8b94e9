"""Each message records who wrote it and, for an agent message, the whole act reading (sentence by
sentence) the scorecard judges; each conversation keeps the suggestions drafted when its
last customer message was read, so a page load reads them instead of running the engine again.

Revision ID: 0005_readings
Revises: 0004_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_readings"
down_revision = "0004_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("act_reading", sa.JSON(), nullable=True))
        batch_op.create_index("ix_messages_team_author", ["team_id", "author"])
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggestions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("suggestions")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_team_author")
        batch_op.drop_column("act_reading")
        batch_op.drop_column("author")
