"""The talks-tui engine: corpus → passages → index → queries, facts and links.

Free of any UI import (guarded by a test); plain frozen dataclasses in and out.
"""
