// A capture of one node NIC as tcpdump on a Linux host shows it: Ethernet
// frames (link type EN10MB) without the 4-byte frame check sequence, which a
// NIC strips before the kernel sees a frame. ns-3's CSMA devices hand their
// sniffers frames with the FCS trailer, so CsmaHelper::EnablePcap would write
// it into every frame.
#pragma once

#include <ns3/csma-net-device.h>

#include <string>

namespace ipsecsim::sim {

// Writes every frame the NIC sends or receives for itself to `path`.
void CaptureWithoutFcs(ns3::Ptr<ns3::CsmaNetDevice> nic, const std::string& path);

}  // namespace ipsecsim::sim
