#!/usr/bin/env python3
"""Check, build and serve the Social Value register site. Run `python build.py --help`."""

import sys

from socialvalue.cli import main

if __name__ == "__main__":
    sys.exit(main())
