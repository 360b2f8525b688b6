"""The pure core: table specs, text and number parsing, codes, amounts, the typed model, findings, profiles,
the grid type every reader produces, A1 addresses, and the parsing of indicator and 自评 values.

Nothing here imports another part of gongkai or any I/O library (tests/test_layers.py).
"""
