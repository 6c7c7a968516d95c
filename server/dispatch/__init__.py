"""Dispatch: who is on duty, absences, ranking suitable technicians, slots, assigning and booking,
the board."""
