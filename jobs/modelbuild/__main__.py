"""``python -m jobs.modelbuild [OUT_DIR] [--source PATH] [--force]`` (run by ``make model``)."""

import sys

from jobs.modelbuild.build import main

sys.exit(main())
