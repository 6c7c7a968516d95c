"""Online reporting by tenants (`/melden/<client>`, no account): the home, a confirmed number or
address, the client's protocol in tenant wording, photos, a slot or a call back; the dossier it
makes is the same as the desk's (docs/selfservice.md)."""
