#!/usr/bin/env bash
# Installs, builds, and runs the main job, writing results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# Until the cluster world lands, the main job demonstrates the ESP codec on
# the RFC 4106 test vector of draft-mcgrew-gcm-test-01 case 3.
keymat=abbccddef00112233445566778899aababbccddef00112233445566778899aab11223344
payload=4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000
payload+=7002400020bf0000020405b40101040201020201
payload=${payload:0:96}
packet=$(build/ipsecsim esp encrypt --spi 0x4a2cbfe3 --keymat $keymat --seq 2 \
  --iv 0102030405060708 --next-header 1 --payload "$payload")
echo "ESP packet: $packet"
build/ipsecsim esp decrypt --spi 0x4a2cbfe3 --keymat $keymat --packet "$packet"
