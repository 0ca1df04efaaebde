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
  # xmllint --schema: junit.xml against the Jenkins xunit and Ant schemas.
  libxml2-utils
  # Oracles for `ipsecsim check`: Libreswan's own ipsec.conf reader
  # (readwriteconf, addconn) and NSS's certutil/pk12util.
  libreswan libnss3-tools
  # `ipsecsim sweep`: its tables (pandas) and its runs on a Dask cluster.
  python3-pandas python3-distributed
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
  # libreswan's postinst enables and starts ipsec.service (pluto) on a
  # systemd host. Only its configuration reader is wanted here, so the install
  # runs under a policy-rc.d that forbids starting services (deb-systemd-invoke
  # honours it), and the unit is disabled afterwards.
  policy=/usr/sbin/policy-rc.d
  own_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    own_policy=yes
    trap '$SUDO rm -f "$policy"' EXIT
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ -d /run/systemd/system ] && systemctl list-unit-files ipsec.service >/dev/null 2>&1; then
    $SUDO systemctl disable --now ipsec.service >/dev/null 2>&1 || true
  fi
fi
