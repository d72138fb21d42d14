#!/usr/bin/env python3
"""Check, build and serve the Social Value register site. Run `python build.py --help`."""

from socialvalue.cli import run

if __name__ == "__main__":
    run()
