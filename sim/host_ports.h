// The pieces of a simulated Linux host's IPv4 stack that more than one kind
// of host builds: ports that never ARP, addresses on them, and the Linux
// output path with its checksum offload.
#pragma once

#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/virtual-net-device-module.h>

#include "linux_ip_output.h"

namespace ipsecsim::sim {

// A virtual port of `node` with its own MAC that never ARPs: its sender
// resolves the next hop itself.
ns3::Ptr<ns3::VirtualNetDevice> MakePort(ns3::Ptr<ns3::Node> node, ns3::Mac48Address mac, int mtu);

// Adds `dev` as an IPv4 interface holding ip/mask, up; returns its index.
uint32_t AddInterface(ns3::Ptr<ns3::Node> node, ns3::Ptr<ns3::NetDevice> dev, ns3::Ipv4Address ip,
                      ns3::Ipv4Mask mask);

// A stack's Linux IPv4 output, and with checksums its ChecksumOffload.
ns3::Ptr<LinuxIpv4Output> InstallLinuxOutput(ns3::Ptr<ns3::Node> node, bool checksums);

}  // namespace ipsecsim::sim
