"""Exit 0 when the PostgreSQL server of the URL answers, 1 otherwise."""

import asyncio
import sys

import asyncpg


async def main(url: str) -> int:
    try:
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return 1
    await conn.close()
    return 0


sys.exit(asyncio.run(main(sys.argv[1])))
