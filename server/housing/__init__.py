"""Housing stock: addresses and registered parties, the stock import, geocoding of addresses."""
