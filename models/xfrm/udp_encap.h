// RFC 3948 framing: ESP carried in UDP (normally port 4500), sharing the port
// with IKE (recognised by the 4-byte zero non-ESP marker) and NAT keepalives.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bytes.h"
#include "protocol_ports.h"

namespace ipsecsim::xfrm {

constexpr uint16_t kNattPort = ports::kNatt;
constexpr size_t kUdpHeaderLen = 8;

// UDP header (checksum 0, RFC 3948 §3.1.2) followed by the ESP bytes.
Bytes EncapsulateEsp(uint16_t srcPort, uint16_t dstPort, const Bytes& esp);
// Writes that UDP header (kUdpHeaderLen bytes) for espLen bytes of ESP.
void WriteUdpEncapHeader(uint8_t* out, uint16_t srcPort, uint16_t dstPort, size_t espLen);
// Over IPv6 a UDP checksum is mandatory (RFC 8200 §8.1; Linux's
// esp_output_encap_csum computes it for ESP in UDP): fills the checksum of
// the UDP datagram udp[0, len) sent from src to dst (16-byte addresses).
void WriteUdpChecksumIpv6(uint8_t* udp, size_t len, const uint8_t src[16], const uint8_t dst[16]);

enum class UdpEncapKind {
  kEsp,        // starts with a non-zero SPI
  kIke,        // non-ESP marker: IKE on port 4500
  kKeepalive,  // the single byte 0xFF (RFC 3948 §2.3)
  kMalformed,  // too short to be any of these
};
// Classifies a UDP payload received on the NAT-T port.
UdpEncapKind ClassifyUdpEncapPayload(const uint8_t* payload, size_t len);

}  // namespace ipsecsim::xfrm
