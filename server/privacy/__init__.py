"""Privacy (AVG): a tenant's access request (everything held about them, as one file) and
erasure on request (removed or anonymised everywhere, with a record that it was done), and
the log of who opened which dossier (docs/privacy.md)."""
