"""Field work: the technician app's jobs, sync store and mutators, photos, chat, push to
technicians."""
