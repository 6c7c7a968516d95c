"""Communication: what tenants and clients are told and when, the outbox, sending, tracking links,
surveys."""
