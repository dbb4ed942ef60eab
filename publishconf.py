"""Production settings: pelicanconf plus absolute URLs for the portal."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

# The portal's public address; override with the SITEURL environment variable when staging.
SITEURL = os.environ.get("SITEURL", "https://vinhyen.vinhphuc.gov.vn/tin-tuc")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = False
