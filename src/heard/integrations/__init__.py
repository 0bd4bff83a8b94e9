"""Helpdesk integrations (DESIGN.md layer 8): one module per helpdesk (Chatwoot, Zendesk, Zammad,
Freshdesk). Each turns the helpdesk's webhook events into calls of the service layer and sends
heard's notes back through the helpdesk's API; none keeps its own idea of a conversation."""
