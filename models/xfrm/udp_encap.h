// RFC 3948 framing: ESP carried in UDP (normally port 4500), sharing the port
// with IKE (recognised by the 4-byte zero non-ESP marker) and NAT keepalives.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bytes.h"

namespace ipsecsim::xfrm {

constexpr uint16_t kNattPort = 4500;
constexpr size_t kUdpHeaderLen = 8;

// UDP header (checksum 0, RFC 3948 §3.1.2) followed by the ESP bytes.
Bytes EncapsulateEsp(uint16_t srcPort, uint16_t dstPort, const Bytes& esp);
// Writes that UDP header (kUdpHeaderLen bytes) for espLen bytes of ESP.
void WriteUdpEncapHeader(uint8_t* out, uint16_t srcPort, uint16_t dstPort, size_t espLen);

enum class UdpEncapKind {
  kEsp,        // starts with a non-zero SPI
  kIke,        // non-ESP marker: IKE on port 4500
  kKeepalive,  // the single byte 0xFF (RFC 3948 §2.3)
  kMalformed,  // too short to be any of these
};
// Classifies a UDP payload received on the NAT-T port.
UdpEncapKind ClassifyUdpEncapPayload(const uint8_t* payload, size_t len);

}  // namespace ipsecsim::xfrm
