"""`python -m jisr_hq …` is the same as the `jisr-hq` command."""

from __future__ import annotations

import sys

from jisr_hq.cli import main

sys.exit(main())
