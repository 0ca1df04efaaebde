#!/usr/bin/env bash
# Installs every Debian package ipsecsim needs to build, test and run.
# Idempotent and non-interactive; does nothing when all are present.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  ns3 libns3-dev libgsl-dev
  libcrypto++-dev
  libboost-test-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  pybind11-dev python3-dev python3-pytest python3-numpy python3-matplotlib
  tshark openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "ipsecsim: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; the answer does not matter here.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
