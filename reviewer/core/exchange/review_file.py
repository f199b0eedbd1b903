"""The review file (``.review.json``): a W3C Web Annotation ``AnnotationCollection``.

Written deterministically (same content, same bytes), so that merges can be compared byte for
byte and kept in git (``review_file_writer``). Read defensively (``review_file_reader``): size,
nesting, string length and item count are limited and every field is checked before anything
is returned; a refusal is one ``ReviewerError`` naming the file and the problem. The names both
sides share are in ``review_file_format``. See docs/format.md.
"""

from __future__ import annotations

from reviewer.core.exchange.review_file_format import (  # noqa: F401
    ANNO_CONTEXT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_ITEMS,
    NAMESPACE,
    ReviewFileError,
    clean_version_text,
)
from reviewer.core.exchange.review_file_reader import (  # noqa: F401
    from_json,
    loads,
    looks_like_review_file,
    read,
)
from reviewer.core.exchange.review_file_writer import (  # noqa: F401
    annotation_json,
    author_id_of,
    author_iri,
    collection_id,
    dumps,
    reply_json,
    to_json,
    write,
)

__all__ = [
    "ANNO_CONTEXT",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "NAMESPACE",
    "ReviewFileError",
    "annotation_json",
    "author_id_of",
    "author_iri",
    "clean_version_text",
    "collection_id",
    "dumps",
    "from_json",
    "loads",
    "looks_like_review_file",
    "read",
    "reply_json",
    "to_json",
    "write",
]
