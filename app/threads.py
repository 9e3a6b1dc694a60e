"""Where the event loop sends work that blocks (a write and its fsync, a PostgreSQL
round trip, drawing a page): one pool of threads per process.

A plain executor rather than anyio's worker threads (Starlette's run_in_threadpool):
here a hop costs 93 us of CPU instead of 183 us with sixteen requests in flight.
On PostgreSQL a read makes one, for its key and its handler together (see
app.auth.KeyToCheck). The caller's context variables go along, as with anyio."""

import asyncio
import contextvars
import functools
from concurrent.futures import ThreadPoolExecutor

# As many as anyio allows by default; requests beyond them wait for a thread.
THREADS = 40

_pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="blocking")


async def run_blocking(function, *args, **kwargs):
    """`function(*args, **kwargs)` on a pool thread, awaited."""
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_pool, call)


def in_background(function, *args) -> None:
    """`function(*args)` on a pool thread, from any thread, awaited by nobody."""
    _pool.submit(contextvars.copy_context().run, function, *args)
