"""Enterprise browser policy for the official portals: build it from the allowlist, write it for each
platform's deployment channel, and judge the policies a browser reports in force.

Pure: no Playwright, no Click. Reading ``chrome://policy`` lives in ``preflight/capture/policy.py``.
"""
