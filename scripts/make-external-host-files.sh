#!/usr/bin/env bash
# Writes the certificates of scenarios/external-host/ with openssl, as an
# engineer following the documented procedure would make them:
#   ca.pem              the CA both sides trust ("Example External CA")
#   left_server.p12     the cluster's endpoint certificate (friendlyName left_server)
#   endpoint.p12        the same kind of bundle, friendlyName "endpoint"
#   right_server.p12    the external host's certificate, from the same CA
#   other-ca.pem, right_untrusted.p12   a CA the cluster does not trust, and
#                       an external host certificate it issued
#   ovs-ca.pem, left_ovs_cn.p12, right_ovs_cn.p12   a CA of their own, an
#                       endpoint certificate whose CN begins with ovs_ (the
#                       documentation forbids it; friendlyName left_server),
#                       and the external host's certificate from that CA
# The bundles use openssl's default PBES2 (PBKDF2, AES-256-CBC) and the
# empty password of the documented `pk12util -W ""`. Validity runs from
# 2025-12-01 to 2035-12-01, around ipsecsim's install time (2026-01-01).
# The CA keys live only in a temporary directory.
#   scripts/make-external-host-files.sh [DIR]   (default scenarios/external-host)
#   ONLY=ovs-cn scripts/make-external-host-files.sh [DIR]   the ovs_ set alone
set -euo pipefail
out=$(realpath "${1:-$(dirname "$0")/../scenarios/external-host}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

make_ca() {  # NAME CN
  mkdir -p "$1/newcerts" && : >"$1/index.txt" && echo 01 >"$1/serial"
  cat >"$1/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
dir = $work/$1
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
organizationName = supplied
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_ext]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1/key.pem" -subj "/O=Example Org/CN=$2" \
    -out "$1/req.pem" 2>/dev/null
  openssl ca -batch -config "$1/ca.cnf" -selfsign -keyfile "$1/key.pem" -in "$1/req.pem" \
    -startdate 20251201000000Z -enddate 20351201000000Z -extensions ca_ext -notext \
    -out "$1/ca.pem" 2>/dev/null
}

make_leaf() {  # CA CN FRIENDLYNAME OUTFILE
  openssl req -new -newkey rsa:2048 -nodes -keyout "$2.key" -subj "/O=Example Org/CN=$2" \
    -out "$2.req" 2>/dev/null
  openssl ca -batch -config "$1/ca.cnf" -cert "$1/ca.pem" -keyfile "$1/key.pem" -in "$2.req" \
    -startdate 20251201000000Z -enddate 20351201000000Z -extensions leaf_ext -notext \
    -out "$2.pem" 2>/dev/null
  openssl pkcs12 -export -in "$2.pem" -inkey "$2.key" -certfile "$1/ca.pem" -name "$3" \
    -passout pass: -out "$4"
}

make_ca ovs "Example ovs_ CN CA"
make_leaf ovs ovs_endpoint left_server "$out/left_ovs_cn.p12"
make_leaf ovs right_server right_server "$out/right_ovs_cn.p12"
cp ovs/ca.pem "$out/ovs-ca.pem"
if [ "${ONLY:-}" != ovs-cn ]; then
  make_ca main "Example External CA"
  make_ca other "Other CA"
  make_leaf main left_server left_server "$out/left_server.p12"
  make_leaf main endpoint-cert endpoint "$out/endpoint.p12"
  make_leaf main right_server right_server "$out/right_server.p12"
  make_leaf other right_untrusted right_server "$out/right_untrusted.p12"
  cp main/ca.pem "$out/ca.pem"
  cp other/ca.pem "$out/other-ca.pem"
fi
echo "wrote $(ls "$out" | tr '\n' ' ')"
