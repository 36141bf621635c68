"""The static files storage for serving: hashed, compressed names (WhiteNoise's)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hash and compress static files, and rewrite ES module imports to the hashed names.

    Without the rewrite, `annotator.<hash>.js` would import `./store.js` by its plain name:
    the page would fetch both names of each module (it preloads the hashed ones) and could
    mix modules of two releases, since plain names are not cached forever.
    """

    support_js_module_import_aggregation = True
