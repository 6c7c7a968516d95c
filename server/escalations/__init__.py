"""Escalation cases (seed 003, docs/escalations.md): a tenant's complaint about a referred
party, from the triage outcome "escaleren" to the client's projectleider closing it."""
