// Shared pieces of the natt tests: small CSMA worlds, senders for UDP and for
// any IP protocol, and taps that decode frames on the wire with ns-3's own
// headers (independently of the parser under test).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ns3/bridge-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

namespace natt_test {

struct SeenFrame {
  ns3::Time time;
  uint16_t etherType = 0;
  ns3::Ipv4Address source;
  ns3::Ipv4Address destination;
  uint8_t protocol = 0;
  uint16_t ipLength = 0;
  uint16_t sourcePort = 0;  // UDP and TCP
  uint16_t destinationPort = 0;
  std::vector<uint8_t> l4;  // bytes after the IPv4 header

  bool IsUdpTo(uint16_t port) const { return protocol == 17 && destinationPort == port; }
  bool IsUdpFrom(uint16_t port) const { return protocol == 17 && sourcePort == port; }
  bool IsEsp() const { return protocol == 50; }
};

// Records the frames of one trace source of a CSMA device:
//   "PhyTxBegin": put on the wire by the device;
//   "PhyRxEnd": arrived from the wire, before any receive filter;
//   "MacRx": accepted by the device (after its receive filter) for this host.
class WireTap {
 public:
  WireTap(ns3::Ptr<ns3::NetDevice> device, const std::string& traceSource) {
    device->TraceConnectWithoutContext(
        traceSource, ns3::Callback<void, ns3::Ptr<const ns3::Packet>>(
                         [this](ns3::Ptr<const ns3::Packet> frame) { Record(frame); }));
  }
  WireTap(const WireTap&) = delete;
  WireTap& operator=(const WireTap&) = delete;

  size_t Count(const std::function<bool(const SeenFrame&)>& match) const {
    size_t n = 0;
    for (const SeenFrame& f : frames) n += match(f) ? 1 : 0;
    return n;
  }
  size_t Ipv4Count() const {
    return Count([](const SeenFrame& f) { return f.etherType == 0x0800; });
  }

  std::vector<SeenFrame> frames;

 private:
  void Record(ns3::Ptr<const ns3::Packet> frame) {
    ns3::Ptr<ns3::Packet> copy = frame->Copy();
    SeenFrame seen;
    seen.time = ns3::Simulator::Now();
    ns3::EthernetHeader ethernet(false);
    copy->RemoveHeader(ethernet);
    seen.etherType = ethernet.GetLengthType();
    if (seen.etherType == 0x0800 && copy->GetSize() >= 20) {
      ns3::Ipv4Header ip;
      copy->RemoveHeader(ip);
      seen.source = ip.GetSource();
      seen.destination = ip.GetDestination();
      seen.protocol = ip.GetProtocol();
      seen.ipLength = ip.GetPayloadSize() + ip.GetSerializedSize();
      seen.l4.resize(std::min<uint32_t>(copy->GetSize(), ip.GetPayloadSize()));
      copy->CopyData(seen.l4.data(), uint32_t(seen.l4.size()));
      if ((seen.protocol == 17 || seen.protocol == 6) && seen.l4.size() >= 4) {
        seen.sourcePort = uint16_t(seen.l4[0] << 8 | seen.l4[1]);
        seen.destinationPort = uint16_t(seen.l4[2] << 8 | seen.l4[3]);
      }
    }
    frames.push_back(std::move(seen));
  }
};

inline ns3::Ptr<ns3::Socket> UdpSocket(ns3::Ptr<ns3::Node> node, uint16_t port) {
  auto socket = ns3::Socket::CreateSocket(node, ns3::UdpSocketFactory::GetTypeId());
  socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
  return socket;
}

// Schedules one UDP datagram of `size` bytes of `fill`.
inline void SendUdpAt(double seconds, ns3::Ptr<ns3::Socket> socket, ns3::Ipv4Address to,
                      uint16_t port, uint32_t size = 100, uint8_t fill = 0x42) {
  ns3::Simulator::Schedule(ns3::Seconds(seconds), [=]() {
    std::vector<uint8_t> bytes(size, fill);
    socket->SendTo(ns3::Create<ns3::Packet>(bytes.data(), size), 0,
                   ns3::InetSocketAddress(to, port));
  });
}

// Schedules one IPv4 packet of `protocol` whose payload is `l4` (an ESP
// header, a fake TCP segment...), sent through a raw socket.
inline void SendRawAt(double seconds, ns3::Ptr<ns3::Node> node, ns3::Ipv4Address to,
                      uint8_t protocol, std::vector<uint8_t> l4) {
  ns3::Simulator::Schedule(ns3::Seconds(seconds), [=]() {
    auto socket = ns3::Socket::CreateSocket(node, ns3::Ipv4RawSocketFactory::GetTypeId());
    socket->SetAttribute("Protocol", ns3::UintegerValue(protocol));
    socket->SendTo(ns3::Create<ns3::Packet>(l4.data(), uint32_t(l4.size())), 0,
                   ns3::InetSocketAddress(to, 0));
    socket->Close();
  });
}

// An ESP header (SPI, sequence number) followed by opaque bytes.
inline std::vector<uint8_t> FakeEsp(uint32_t spi, uint32_t seq, size_t size = 80) {
  std::vector<uint8_t> bytes(size, 0xa5);
  for (int i = 0; i < 4; ++i) {
    bytes[i] = uint8_t(spi >> (24 - 8 * i));
    bytes[4 + i] = uint8_t(seq >> (24 - 8 * i));
  }
  return bytes;
}

// A 20-byte TCP header to `port` (no connection behind it: enough for a
// firewall, which only reads the ports).
inline std::vector<uint8_t> FakeTcpSyn(uint16_t sourcePort, uint16_t port) {
  std::vector<uint8_t> bytes(20, 0);
  bytes[0] = uint8_t(sourcePort >> 8);
  bytes[1] = uint8_t(sourcePort);
  bytes[2] = uint8_t(port >> 8);
  bytes[3] = uint8_t(port);
  bytes[12] = 5 << 4;
  bytes[13] = 0x02;
  return bytes;
}

// Hosts 10.0.0.11, .12, ... each cabled by its own CSMA link to a port of one
// learning switch, like the cluster's underlay.
struct SwitchedHosts {
  explicit SwitchedHosts(uint32_t count) {
    hosts.Create(count);
    switchNode = ns3::CreateObject<ns3::Node>();
    ns3::CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", ns3::StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", ns3::TimeValue(ns3::MicroSeconds(50)));
    for (uint32_t i = 0; i < count; ++i) {
      ns3::NetDeviceContainer link = csma.Install(ns3::NodeContainer(hosts.Get(i), switchNode));
      nics.Add(link.Get(0));
      switchPorts.Add(link.Get(1));
    }
    ns3::BridgeHelper().Install(switchNode, switchPorts);
    ns3::InternetStackHelper().Install(hosts);
    ns3::Ipv4AddressHelper addresses("10.0.0.0", "255.255.255.0", "0.0.0.11");
    addresses.Assign(nics);
  }
  ~SwitchedHosts() { ns3::Simulator::Destroy(); }

  ns3::Ipv4Address Ip(uint32_t i) const { return ns3::Ipv4Address(0x0a00000b + i); }

  ns3::NodeContainer hosts;
  ns3::Ptr<ns3::Node> switchNode;
  ns3::NetDeviceContainer nics;
  ns3::NetDeviceContainer switchPorts;
};

}  // namespace natt_test
