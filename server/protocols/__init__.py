"""Protocols: each client's triage protocol (versions, files, publishing) and triage of a report by
it."""
