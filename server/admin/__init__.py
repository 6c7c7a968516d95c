"""Administration on screens: users and their invitations, passwords and two-factor login,
technicians, clients' calendars and branding, the housing stock import, and the record of
every change made there."""
