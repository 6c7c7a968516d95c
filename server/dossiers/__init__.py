"""Dossiers: intake inside one transaction, phases, the timeline, order numbers, archive and
retention."""
