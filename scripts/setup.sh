#!/usr/bin/env bash
# Installs what VoxTile needs on a fresh Debian machine of this project's kind (the .NET 10 SDK is on the image):
# cmake and a C compiler for the native kernels, python3 with numpy for the emitted-program checks, libespeak-ng1 for
# the English words MeloTTS's lexicon lacks (tts --text reads them with VoxTile's spelling rules without it).
set -euo pipefail
need=()
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v python3 >/dev/null 2>&1 || need+=(python3)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libespeak-ng\.so\.1' || need+=(libespeak-ng1)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
