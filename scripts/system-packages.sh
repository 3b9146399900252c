#!/usr/bin/env bash
# Installs the Debian packages Pathways needs, only those missing:
# fonts for every script learners write their names in, HarfBuzz's subsetter
# (fast PDF font subsetting in WeasyPrint), poppler-utils (pdftoppm: certificate PDFs as pictures, for
# QR tests and screenshots; pdftotext: the tests read certificates' text as search and screen readers
# do), gettext (compilemessages) and
# Chromium (browser tests, driven by Playwright; never a downloaded browser).
set -euo pipefail
packages=(fonts-noto-core fonts-noto-cjk libharfbuzz-subset0 poppler-utils gettext chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
