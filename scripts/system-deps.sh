#!/usr/bin/env bash
# Installs the system packages the tests need (PostgreSQL server, Qt's runtime libraries,
# venv support for the Python that makes .venv and the tests' throwaway venvs, Chromium and its
# driver for HQ's web pages, Unicode's data files for the bidi conformance test, Xvfb for real
# windows in screenshots, zbar's zbarimg to decode the printed cards' QR codes), when running
# as root on Debian and they are missing. Fails loudly when they cannot be had.
set -euo pipefail
need=()
"${PYTHON:-python3}" -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1; do
  ldconfig -p | grep -q "$lib" || { need+=(libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libgl1); break; }
done
for lib in libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-cursor.so.0; do
  ldconfig -p | grep -q "$lib" || { need+=(libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-shape0); break; }
done
command -v chromium >/dev/null && command -v chromedriver >/dev/null || need+=(chromium chromium-driver)
[ -f /usr/share/unicode/BidiCharacterTest.txt ] || need+=(unicode-data)
command -v Xvfb >/dev/null || need+=(xvfb xauth)
command -v zbarimg >/dev/null || need+=(zbar-tools)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing system packages: ${need[*]} (install them, or run as root on Debian)" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
