// NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP data
// (RFC 7296 §2.23): SHA-1(SPIi | SPIr | IP address | port), with SPIr zero
// in the IKE_SA_INIT request.
#pragma once

#include <cstdint>

#include "bytes.h"
#include "ip_address.h"

namespace ipsecsim::ike {

constexpr size_t kNatDetectionHashLen = 20;

// The address goes in as its 4 or 16 wire bytes, the port big-endian.
Bytes NatDetectionHash(uint64_t spiI, uint64_t spiR, const IpAddress& ip, uint16_t port);

}  // namespace ipsecsim::ike
