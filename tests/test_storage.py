import io
import json
import re

from django.core.management import call_command

from config.storage import ManifestStaticFilesStorage

MODULE_IMPORT = re.compile(r'^(?:import|export)\b[^;]*?\bfrom\s*"\./([^"]+)";', re.MULTILINE)


def test_hashed_modules_import_the_hashed_modules_they_were_built_with(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, stdout=io.StringIO())
    paths = json.loads((tmp_path / ManifestStaticFilesStorage.manifest_name).read_text())["paths"]
    hashed_names = {path.rpartition("/")[2] for path in paths.values()}
    entry = paths["annotations/annotator.js"]
    assert entry != "annotations/annotator.js"
    checked = 0
    for name, hashed in paths.items():
        if not (name.startswith("annotations/") and name.endswith(".js")):
            continue
        for imported in MODULE_IMPORT.findall((tmp_path / hashed).read_text()):
            assert imported in hashed_names, f"{hashed} imports ./{imported}"
            checked += 1
    assert checked >= 20
