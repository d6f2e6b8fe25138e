"""Streaming a response built by a synchronous iterator (rows read from the
database as they are written out) under ASGI.

Django's ``StreamingHttpResponse`` serves a sync iterator under ASGI by
reading it *whole* into a list first (it warns about it), so a large export
is held in memory, the client waits for the last row before it sees the
first, and a database that goes away half-way is only noticed after the
whole read. ``SyncStreamingHttpResponse`` instead pulls the iterator in
batches of about 64 KiB through ``sync_to_async`` (on the request's own
thread, where its database connection lives), so bytes flow as rows are
read and memory stays flat.

If the iterator fails after the response has started (the database went
away mid-stream), no error page can follow headers already sent. The
response is closed (so Django's ``request_finished`` handlers release the
broken database connection) and the exception propagates; the server then
aborts the connection *without* the final chunk, so the client sees an
incomplete transfer rather than a truncated file that looks whole
(``core.daphne_fixes`` makes daphne do that promptly).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse

logger = logging.getLogger(__name__)

BATCH_BYTES = 64 * 1024


def _next_batch(iterator: Iterator[bytes], limit: int = BATCH_BYTES) -> bytes | None:
    """Up to ``limit`` bytes (at least one part) from ``iterator``, or None
    when it is exhausted. Batching keeps the thread hops per byte low."""
    parts: list[bytes] = []
    size = 0
    for part in iterator:
        parts.append(part)
        size += len(part)
        if size >= limit:
            break
    if not parts:
        return None
    return b"".join(parts)


class SyncStreamingHttpResponse(StreamingHttpResponse):
    """A streaming response whose sync iterator is consumed batch by batch
    under ASGI (and as usual under WSGI and the test client)."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.is_async:
            async for part in super().__aiter__():
                yield part
            return
        iterator = iter(self.streaming_content)
        read = sync_to_async(_next_batch, thread_sensitive=True)
        while True:
            try:
                batch = await read(iterator)
            except Exception:
                logger.exception("Streamed response failed after it started")
                await sync_to_async(self.close, thread_sensitive=True)()
                raise
            if batch is None:
                return
            yield batch
