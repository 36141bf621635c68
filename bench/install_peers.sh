#!/usr/bin/env bash
# Install the peer tools the `peers` tests run against, each in its own venv outside the
# project (never a dependency of Byline): doccano 1.8.4 and Label Studio 1.23.2.
# Cached under ${BYLINE_PEERS_CACHE:-$HOME/.cache/byline-peers}; a venv is reused once its
# stamp file exists, so a second run is instant. Pins: doccano needs "marshmallow<4" (its
# `init` fails on marshmallow 4) and "numpy<2" (its pandas 1.5 fails on numpy 2).
set -euo pipefail

CACHE="${BYLINE_PEERS_CACHE:-$HOME/.cache/byline-peers}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
DOCCANO_VENV="$CACHE/doccano-1.8.4"
LABEL_STUDIO_VENV="$CACHE/label-studio-1.23.2"

install_venv() {
  local venv="$1"
  shift
  if [[ -f "$venv/.installed" ]]; then
    return 0
  fi
  echo "installing $* into $venv"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
  touch "$venv/.installed"
}

mkdir -p "$CACHE"
what="${1:-all}"
if [[ "$what" == all || "$what" == doccano ]]; then
  install_venv "$DOCCANO_VENV" "doccano==1.8.4" "marshmallow<4" "numpy<2"
fi
if [[ "$what" == all || "$what" == label-studio ]]; then
  install_venv "$LABEL_STUDIO_VENV" "label-studio==1.23.2"
fi
