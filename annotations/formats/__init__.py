"""One module per file format, each with a reader and a writer."""
