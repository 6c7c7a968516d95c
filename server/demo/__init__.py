"""Demo data that looks like the real thing: `meldkamer demo`.

Three clients in the Utrecht region with about 400 addresses, contractors and a dozen
technicians, the meldkamer's own people, and a year of dossiers played through the real
services. Every demo user logs in with the password in `PASSWORD`.
"""

from server.demo.loader import load_demo, remove_demo
from server.demo.staff import PASSWORD

__all__ = ["PASSWORD", "load_demo", "remove_demo"]
