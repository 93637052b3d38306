"""The records both layers share: `index/` and `qa/` import these, neither imports the other's.

See `core/types.py`.
"""
