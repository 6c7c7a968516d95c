"""Where things are: geocoding Dutch addresses, distances and travel times, nearest-point search.

Plain Python on plain data: this package never imports `server`. Storage (a geocoding cache,
the housing stock) comes in as callables supplied by the caller.
"""
