"""Background jobs: arq on Redis when REDIS_URL is set, in-process otherwise."""
