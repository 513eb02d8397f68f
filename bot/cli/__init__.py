"""The `briefbot` command line: parser, dispatch and one module per group of commands.

Start-up stays light (`briefbot --help` and `briefbot stories` in well under half a second): these
modules import only the standard library, the settings and the page builders at the top; the
store, ingest, the command layer and everything that pulls in NLTK, numpy, sumy, trafilatura or
telegram are imported inside the commands that need them (tests/test_imports.py checks this).
"""
