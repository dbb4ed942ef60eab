"""precompress: ``X.gz`` beside every text file of the build, for nginx ``gzip_static``."""

from .precompress import register  # noqa: F401
