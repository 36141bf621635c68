"""Import and export: read a file (a format), validate its records, write them; export.

The import path is `read` -> `validate` -> `write`, each once per chunk of a file, driven
by `imports`; `export` streams documents out through a format's writer. Modules here
import from `corpus` and the rest of `annotations`, never from `teams`.
"""
