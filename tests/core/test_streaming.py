"""Streamed responses under ASGI send rows as they are read (batch by batch
on the request's thread) instead of Django's default of reading a sync
iterator whole into memory first, which it warns about."""

import warnings

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

from core.streaming import BATCH_BYTES, SyncStreamingHttpResponse, _next_batch
from tests.factories import InitiativeFactory


def test_batches_join_parts_up_to_the_limit_and_end_with_none():
    parts = iter([b"a" * 10, b"b" * 10, b"c" * 10])
    assert _next_batch(parts, limit=15) == b"a" * 10 + b"b" * 10
    assert _next_batch(parts, limit=15) == b"c" * 10
    assert _next_batch(parts, limit=15) is None


async def _download(path: str):
    response = await AsyncClient().get(path)
    return response, [part async for part in response]


async def _consume(response):
    return [batch async for batch in response]


@pytest.mark.django_db(transaction=True)
def test_the_csv_streams_under_asgi_without_reading_everything_first():
    InitiativeFactory.create_batch(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's "must consume synchronous iterators"
        response, parts = async_to_sync(_download)("/initiatives.csv")
    assert isinstance(response, SyncStreamingHttpResponse)
    assert response.status_code == 200
    assert len(b"".join(parts).decode().splitlines()) == 4


def test_a_large_iterator_arrives_in_several_batches():
    rows = (b"x" * 1000 for _ in range(200))
    batches = async_to_sync(_consume)(SyncStreamingHttpResponse(rows))
    assert len(batches) == -(-200_000 // BATCH_BYTES)
    assert b"".join(batches) == b"x" * 200_000
