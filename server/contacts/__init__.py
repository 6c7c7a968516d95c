"""Contacts (klantcontacten), the meldkamer's unit of work: recording calls and e-mails taken in
a client's name, call events from the telephony platform, result codes, transfer numbers and
recognising a caller (docs/contacts.md)."""
