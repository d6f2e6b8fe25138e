"""Reads of the notifications app: which activity a person may see (feeds
and digests share it), digests, deliveries."""
