// What one flow cost on the wire, counted where its packets entered the
// underlay (the sending node's NIC), so every packet counts once however many
// links it then crosses. The wire oracle adds it up; the report carries it.
#pragma once

#include <cstdint>

namespace ipsecsim::harness {

struct FlowWireCost {
  uint64_t datagrams = 0;              // IP datagrams that carried the flow's payload
  uint64_t packets = 0;                // IP packets on the wire (a fragment is a packet)
  uint64_t fragments = 0;              // of those, IP fragments
  uint64_t bytes = 0;                  // their IP total lengths, summed
  uint64_t maxFragmentsPerPacket = 0;  // most pieces one datagram was cut into (1: none)
  uint64_t largestPacket = 0;          // largest IP total length seen
};

}  // namespace ipsecsim::harness
