// The path-MTU hop on an IPv6 underlay: two ns-3 IPv6 nodes on 1500-byte
// CSMA links to one switch whose ports carry a 1400-byte hop. What is
// asserted comes from the wire (taps on the NICs, decoded with ns-3's own
// headers, and tshark on the NICs' pcaps) and from what the sockets get:
// the hop drops an oversized packet and answers with Packet Too Big, ns-3's
// PMTU cache takes it (the source's next datagrams leave as fragments that
// fit), and packets that fit are never touched.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ns3/bridge-module.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "path_mtu_hop.h"
#include "run_command.h"
#include "tshark_run.h"

using namespace ns3;
using namespace ipsecsim::natt;

namespace {

constexpr uint16_t kPort = 9000;
constexpr uint32_t kHopMtu = 1400;
constexpr uint32_t kIpv6UdpHeaders = 48;
constexpr uint32_t kOversized = 1450;  // fits the 1500-byte links, not the hop
constexpr uint8_t kNextHeaderUdp = 17;
constexpr uint8_t kNextHeaderFragment = 44;
constexpr uint8_t kNextHeaderIcmpv6 = 58;

Ipv6Address AddressA() { return Ipv6Address("fd00:1::a"); }
Ipv6Address AddressB() { return Ipv6Address("fd00:1::b"); }

PathMtuHopConfig HopConfig() {
  PathMtuHopConfig config;
  config.mtu = kHopMtu;
  return config;
}

// An IPv6 packet seen on a device.
struct SeenIpv6 {
  Mac48Address from;
  Mac48Address to;
  Ipv6Header header;
  std::vector<uint8_t> bytes;  // the whole IPv6 packet, header included

  size_t Length() const { return bytes.size(); }
  bool IsFragment() const { return header.GetNextHeader() == kNextHeaderFragment; }
  bool IsPacketTooBig() const {
    return header.GetNextHeader() == kNextHeaderIcmpv6 && bytes.size() >= 48 && bytes[40] == 2;
  }
  uint32_t PtbMtu() const {
    return uint32_t(bytes[44]) << 24 | uint32_t(bytes[45]) << 16 | bytes[46] << 8 | bytes[47];
  }
  bool IsToB() const { return header.GetDestination() == AddressB(); }
};

// Records the IPv6 frames of one trace source of a CSMA device ("PhyTxBegin":
// sent; "MacRx": accepted for this host; "PhyRxEnd": arrived).
class Ipv6Tap {
 public:
  Ipv6Tap(Ptr<NetDevice> device, const std::string& traceSource) {
    device->TraceConnectWithoutContext(
        traceSource,
        Callback<void, Ptr<const Packet>>([this](Ptr<const Packet> frame) { Record(frame); }));
  }
  Ipv6Tap(const Ipv6Tap&) = delete;
  Ipv6Tap& operator=(const Ipv6Tap&) = delete;

  std::vector<SeenIpv6> Select(const std::function<bool(const SeenIpv6&)>& match) const {
    std::vector<SeenIpv6> out;
    std::copy_if(packets.begin(), packets.end(), std::back_inserter(out), match);
    return out;
  }

  std::vector<SeenIpv6> packets;

 private:
  void Record(Ptr<const Packet> frame) {
    Ptr<Packet> copy = frame->Copy();
    EthernetHeader ethernet(false);
    copy->RemoveHeader(ethernet);
    if (ethernet.GetLengthType() != 0x86dd) return;
    SeenIpv6 seen;
    seen.from = ethernet.GetSource();
    seen.to = ethernet.GetDestination();
    copy->PeekHeader(seen.header);
    seen.bytes.resize(std::min<uint32_t>(copy->GetSize(), 40 + seen.header.GetPayloadLength()));
    copy->CopyData(seen.bytes.data(), uint32_t(seen.bytes.size()));
    packets.push_back(std::move(seen));
  }
};

struct IcmpSeen {
  Ipv6Address source;
  uint8_t type;
  uint8_t code;
  uint32_t info;
};

// A UDP socket on node A that sends to B and records the ICMPv6 errors ns-3's
// stack forwards to it (Icmpv6L4Protocol::Forward, after HandlePacketTooBig
// has set the PMTU).
class Sender {
 public:
  explicit Sender(Ptr<Node> node) {
    socket_ = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    socket_->SetAttribute("IcmpCallback6", CallbackValue(MakeCallback(&Sender::OnIcmp, this)));
    socket_->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), 0));
  }

  // One datagram whose IPv6 packet is `ipLength` bytes, at `seconds`.
  void SendAt(double seconds, uint32_t ipLength) {
    Simulator::Schedule(Seconds(seconds), [this, ipLength]() {
      std::vector<uint8_t> payload(ipLength - kIpv6UdpHeaders);
      for (size_t i = 0; i < payload.size(); ++i) payload[i] = uint8_t(i * 7 + ipLength);
      socket_->SendTo(Create<Packet>(payload.data(), uint32_t(payload.size())), 0,
                      Inet6SocketAddress(AddressB(), kPort));
    });
  }

  std::vector<IcmpSeen> icmp;

 private:
  void OnIcmp(Ipv6Address source, uint8_t, uint8_t type, uint8_t code, uint32_t info) {
    icmp.push_back({source, type, code, info});
  }
  Ptr<Socket> socket_;
};

// A UDP socket on node B that records the sizes of the datagrams it gets.
class Receiver {
 public:
  explicit Receiver(Ptr<Node> node) {
    socket_ = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
    socket_->Bind(Inet6SocketAddress(Ipv6Address::GetAny(), kPort));
    socket_->SetRecvCallback(MakeCallback(&Receiver::Read, this));
  }
  std::vector<uint32_t> sizes;

 private:
  void Read(Ptr<Socket> socket) {
    while (Ptr<Packet> datagram = socket->Recv()) sizes.push_back(datagram->GetSize());
  }
  Ptr<Socket> socket_;
};

void AddIpv6Address(Ptr<NetDevice> nic, Ipv6Address address) {
  Ptr<Node> node = nic->GetNode();
  node->GetObject<Icmpv6L4Protocol>()->SetAttribute("DAD", BooleanValue(false));
  Ptr<Ipv6> ipv6 = node->GetObject<Ipv6>();
  const uint32_t interface = ipv6->AddInterface(nic);
  ipv6->AddAddress(interface, Ipv6InterfaceAddress(address, Ipv6Prefix(64)));
  ipv6->SetUp(interface);
}

// Nodes A (fd00:1::a) and B (fd00:1::b), each on a 1500-byte CSMA link to a
// port of one learning switch; a 1400-byte hop on each port.
struct Underlay {
  explicit Underlay(const std::string& pcapDir) {
    nodes.Create(2);
    Ptr<Node> switchNode = CreateObject<Node>();
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("1Gbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MicroSeconds(50)));
    csma.SetDeviceAttribute("Mtu", UintegerValue(1500));
    for (uint32_t i = 0; i < 2; ++i) {
      NetDeviceContainer link = csma.Install(NodeContainer(nodes.Get(i), switchNode));
      nics.Add(link.Get(0));
      ports.Add(link.Get(1));
    }
    BridgeHelper().Install(switchNode, ports);
    InternetStackHelper stack;
    stack.SetIpv4StackInstall(false);
    stack.Install(nodes);
    AddIpv6Address(nics.Get(0), AddressA());
    AddIpv6Address(nics.Get(1), AddressB());
    hopA = InstallPathMtuHop(ports.Get(0), HopConfig());
    hopB = InstallPathMtuHop(ports.Get(1), HopConfig());
    if (!pcapDir.empty()) {
      csma.EnablePcap(pcapDir + "/a.pcap", nics.Get(0), false, true);
      csma.EnablePcap(pcapDir + "/b.pcap", nics.Get(1), false, true);
    }
  }
  ~Underlay() { Simulator::Destroy(); }

  void RunUntil(double seconds) {
    Simulator::Stop(Seconds(seconds));
    Simulator::Run();
  }

  NodeContainer nodes;
  NetDeviceContainer nics;
  NetDeviceContainer ports;
  Ptr<PathMtuHop> hopA;  // judges what A sends into the underlay
  Ptr<PathMtuHop> hopB;
};

// The underlay with what the tests watch: taps on the NICs, a sender on A and
// a receiver on B.
struct HopWorld : Underlay {
  explicit HopWorld(const std::string& pcapDir = "") : Underlay(pcapDir) {}
  Ipv6Tap sentByA{nics.Get(0), "PhyTxBegin"};
  Ipv6Tap receivedByA{nics.Get(0), "MacRx"};
  Ipv6Tap receivedByB{nics.Get(1), "MacRx"};
  Sender sender{nodes.Get(0)};
  Receiver receiver{nodes.Get(1)};
};

// The datagrams of the main scenario: a small one resolves B's MAC first,
// then five oversized ones 100 ms apart.
void SendWarmUpThenOversized(Sender& sender) {
  sender.SendAt(0.5, 100);
  for (int k = 0; k < 5; ++k) sender.SendAt(1.0 + 0.1 * k, kOversized);
}

// A hop on one end of a CSMA link, fed hand-made frames; what it sends
// reaches the other end.
struct HopOnALink {
  HopOnALink() {
    NodeContainer ends;
    ends.Create(2);
    NetDeviceContainer link = CsmaHelper().Install(ends);
    port = link.Get(0);
    peer = link.Get(1);
    hop = CreateObject<PathMtuHop>(port, HopConfig());
    answers = std::make_unique<Ipv6Tap>(peer, "PhyRxEnd");
  }
  ~HopOnALink() { Simulator::Destroy(); }

  struct Verdict {
    bool dropped;
    bool answered;
  };
  Verdict Judge(Ptr<Packet> frame) {
    const size_t before = answers->packets.size();
    const bool dropped = hop->IsCorrupt(frame);
    Simulator::Run();
    return {dropped, answers->packets.size() > before};
  }

  // An Ethernet II frame (or 802.3 with LLC/SNAP) carrying an IPv6 packet of
  // `ipLength` bytes whose payload starts with `start`, from ns-3's headers.
  Ptr<Packet> Ipv6Frame(uint32_t ipLength, Ipv6Address source, uint8_t nextHeader,
                        std::vector<uint8_t> start = {}, bool llcSnap = false) const {
    std::vector<uint8_t> payload(ipLength - 40, 0x5a);
    std::copy(start.begin(), start.end(), payload.begin());
    Ptr<Packet> frame = Create<Packet>(payload.data(), uint32_t(payload.size()));
    Ipv6Header ip;
    ip.SetSource(source);
    ip.SetDestination(AddressB());
    ip.SetNextHeader(nextHeader);
    ip.SetPayloadLength(uint16_t(payload.size()));
    ip.SetHopLimit(64);
    frame->AddHeader(ip);
    return Framed(frame, 0x86dd, llcSnap);
  }

  Ptr<Packet> Framed(Ptr<Packet> packet, uint16_t etherType, bool llcSnap = false) const {
    EthernetHeader ethernet(false);
    if (llcSnap) {
      LlcSnapHeader llc;
      llc.SetType(etherType);
      packet->AddHeader(llc);
      ethernet.SetLengthType(uint16_t(packet->GetSize()));
    } else {
      ethernet.SetLengthType(etherType);
    }
    ethernet.SetSource(Mac48Address::ConvertFrom(peer->GetAddress()));
    ethernet.SetDestination(Mac48Address::ConvertFrom(port->GetAddress()));
    packet->AddHeader(ethernet);
    packet->AddTrailer(EthernetTrailer());
    return packet;
  }

  Ptr<NetDevice> port;
  Ptr<NetDevice> peer;
  Ptr<PathMtuHop> hop;
  std::unique_ptr<Ipv6Tap> answers;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(path_mtu_hop)

BOOST_AUTO_TEST_CASE(the_first_oversized_datagram_draws_a_packet_too_big_and_later_ones_fit) {
  HopWorld w;
  SendWarmUpThenOversized(w.sender);
  w.RunUntil(2.0);

  // The first oversized datagram is lost; the four later ones arrive whole.
  const uint32_t payload = kOversized - kIpv6UdpHeaders;
  BOOST_TEST(w.receiver.sizes == (std::vector<uint32_t>{52, payload, payload, payload, payload}),
             boost::test_tools::per_element());
  BOOST_TEST(w.hopA->Counters().tooBig == 1u);
  BOOST_TEST(w.hopA->Counters().ptbSent == 1u);
  BOOST_TEST(w.hopB->Counters().tooBig == 0u);
  BOOST_TEST(w.hopA->Report() == "path-mtu hop 1400: 1 packets too big, 1 Packet Too Big sent");

  // A left the first whole, and each later one as fragments that fit the hop.
  const auto toB =
      w.sentByA.Select([](const SeenIpv6& p) { return p.IsToB() && p.Length() > 100; });
  BOOST_REQUIRE(toB.size() == 9u);  // 1 whole + 4 x 2 fragments
  BOOST_TEST(toB[0].header.GetNextHeader() == kNextHeaderUdp);
  BOOST_TEST(toB[0].Length() == kOversized);
  for (size_t i = 1; i < toB.size(); ++i) {
    BOOST_TEST_CONTEXT("packet " << i) {
      BOOST_TEST(toB[i].IsFragment());
      BOOST_TEST(toB[i].Length() <= kHopMtu);
    }
  }
  const auto fragmentsAtB = w.receivedByB.Select([](const SeenIpv6& p) { return p.IsFragment(); });
  BOOST_TEST(fragmentsAtB.size() == 8u);

  // The one Packet Too Big, as A received it (RFC 4443 §3.2).
  const auto ptb = w.receivedByA.Select([](const SeenIpv6& p) { return p.IsPacketTooBig(); });
  BOOST_REQUIRE(ptb.size() == 1u);
  BOOST_TEST(ptb[0].from == HopConfig().mac);
  BOOST_TEST(ptb[0].to == Mac48Address::ConvertFrom(w.nics.Get(0)->GetAddress()));
  BOOST_TEST(ptb[0].header.GetSource() == HopConfig().address);
  BOOST_TEST(ptb[0].header.GetDestination() == AddressA());
  BOOST_TEST(ptb[0].header.GetHopLimit() == 64);
  BOOST_TEST(ptb[0].Length() == 1280u);  // as much of the invoking packet as fits 1280
  BOOST_TEST(ptb[0].bytes[41] == 0);     // code
  BOOST_TEST(ptb[0].PtbMtu() == kHopMtu);
  const std::vector<uint8_t> quoted(ptb[0].bytes.begin() + 48, ptb[0].bytes.end());
  const std::vector<uint8_t> invoking(toB[0].bytes.begin(), toB[0].bytes.begin() + 1232);
  BOOST_TEST(quoted == invoking, boost::test_tools::per_element());

  // ns-3's stack took it: HandlePacketTooBig forwarded it to the socket.
  BOOST_REQUIRE(w.sender.icmp.size() == 1u);
  BOOST_TEST(w.sender.icmp[0].source == HopConfig().address);
  BOOST_TEST(w.sender.icmp[0].type == 2);
  BOOST_TEST(w.sender.icmp[0].code == 0);
  BOOST_TEST(w.sender.icmp[0].info == kHopMtu);
}

BOOST_AUTO_TEST_CASE(packets_that_fit_the_hop_pass_untouched) {
  HopWorld w;
  w.sender.SendAt(1.0, 1300);
  w.sender.SendAt(1.1, kHopMtu);  // exactly the hop's MTU
  w.RunUntil(2.0);

  BOOST_TEST(w.receiver.sizes ==
                 (std::vector<uint32_t>{1300 - kIpv6UdpHeaders, kHopMtu - kIpv6UdpHeaders}),
             boost::test_tools::per_element());
  BOOST_TEST(w.hopA->Counters().tooBig == 0u);
  BOOST_TEST(w.hopA->Counters().ptbSent == 0u);
  BOOST_TEST(w.receivedByA.Select([](const SeenIpv6& p) { return p.IsPacketTooBig(); }).empty());
  BOOST_TEST(w.sentByA.Select([](const SeenIpv6& p) { return p.IsFragment(); }).empty());
  const auto atB = w.receivedByB.Select([](const SeenIpv6& p) { return p.Length() >= 1300; });
  BOOST_REQUIRE(atB.size() == 2u);
  BOOST_TEST(atB[0].Length() == 1300u);
  BOOST_TEST(atB[1].Length() == kHopMtu);
  BOOST_TEST(w.sender.icmp.empty());
}

// Packets already sent before the first answer arrives are all too big: the
// source learns the PMTU only when a Packet Too Big reaches it, and the hop
// answers each of them (no rate limit), so the counts stay equal.
BOOST_AUTO_TEST_CASE(a_burst_sent_before_the_answer_draws_one_answer_per_packet) {
  HopWorld w;
  w.sender.SendAt(0.5, 100);
  for (int k = 0; k < 3; ++k) w.sender.SendAt(1.0, kOversized);
  w.sender.SendAt(1.5, kOversized);
  w.RunUntil(2.0);

  BOOST_TEST(w.hopA->Counters().tooBig == 3u);
  BOOST_TEST(w.hopA->Counters().ptbSent == 3u);
  BOOST_TEST(w.receivedByA.Select([](const SeenIpv6& p) { return p.IsPacketTooBig(); }).size() ==
             3u);
  BOOST_TEST(w.sender.icmp.size() == 3u);
  BOOST_TEST(w.receiver.sizes == (std::vector<uint32_t>{52, kOversized - kIpv6UdpHeaders}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tshark_sees_a_valid_packet_too_big_and_reassembles_the_fragments) {
  const std::string dir = ipsecsim::test::MakeTempDir("path-mtu");
  {
    HopWorld w(dir);
    SendWarmUpThenOversized(w.sender);
    w.RunUntil(2.0);
  }  // the pcaps are complete once the world is gone

  const auto ptb = ipsecsim::test::TsharkLines(
      dir, dir + "/a.pcap",
      "-Y 'icmpv6.type == 2' -T fields -e icmpv6.code -e icmpv6.mtu -e icmpv6.checksum.status "
      "-e ipv6.src -e ipv6.dst -E occurrence=f");  // the outer header, not the quoted one
  BOOST_REQUIRE(ptb.size() == 1u);
  BOOST_TEST(ipsecsim::test::TsharkFields(ptb[0]) ==
                 (std::vector<std::string>{"0", "1400", "1", "fd00:1::1", "fd00:1::a"}),
             boost::test_tools::per_element());

  // Both ends show the four later datagrams as two fragments each, reassembled.
  for (const char* pcap : {"/a.pcap", "/b.pcap"}) {
    BOOST_TEST_CONTEXT(pcap) {
      const auto fragments =
          ipsecsim::test::TsharkLines(dir, dir + pcap, "-Y 'ipv6.fraghdr' -T fields -e ipv6.plen");
      BOOST_TEST(fragments.size() == 8u);
      for (const std::string& plen : fragments) BOOST_TEST(40 + std::stoul(plen) <= kHopMtu);
      const auto reassembled =
          ipsecsim::test::TsharkLines(dir, dir + pcap,
                                      "-Y 'udp.dstport == 9000 && ipv6.fragment' -T fields "
                                      "-e ipv6.fragment.count -e udp.length");
      BOOST_REQUIRE(reassembled.size() == 4u);
      for (const std::string& line : reassembled) {
        BOOST_TEST(ipsecsim::test::TsharkFields(line) == (std::vector<std::string>{"2", "1410"}),
                   boost::test_tools::per_element());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_and_sources_of_no_one_node_are_dropped_but_not_answered) {
  HopOnALink h;
  const Ipv6Address a = AddressA();
  // Controls: an oversized UDP packet, or ICMPv6 informational, is answered.
  auto v = h.Judge(h.Ipv6Frame(kOversized, a, kNextHeaderUdp));
  BOOST_TEST((v.dropped && v.answered));
  v = h.Judge(h.Ipv6Frame(kHopMtu + 1, a, kNextHeaderIcmpv6, {128, 0}));  // echo request
  BOOST_TEST((v.dropped && v.answered));
  v = h.Judge(h.Ipv6Frame(kOversized, a, kNextHeaderUdp, {}, true));  // 802.3 + LLC/SNAP
  BOOST_TEST((v.dropped && v.answered));
  // RFC 4443 §2.4 e.1: no error for an error, even behind a fragment header.
  v = h.Judge(h.Ipv6Frame(kOversized, a, kNextHeaderIcmpv6, {1, 4}));  // destination unreachable
  BOOST_TEST((v.dropped && !v.answered));
  v = h.Judge(h.Ipv6Frame(kOversized, a, kNextHeaderFragment, {58, 0, 0, 1, 0, 0, 0, 7, 2, 0}));
  BOOST_TEST((v.dropped && !v.answered));
  // §2.4 e.6: the source must name one node.
  v = h.Judge(h.Ipv6Frame(kOversized, Ipv6Address("ff02::1"), kNextHeaderUdp));
  BOOST_TEST((v.dropped && !v.answered));
  v = h.Judge(h.Ipv6Frame(kOversized, Ipv6Address::GetAny(), kNextHeaderUdp));
  BOOST_TEST((v.dropped && !v.answered));
  BOOST_TEST(h.hop->Counters().tooBig == 7u);
  BOOST_TEST(h.hop->Counters().ptbSent == 3u);
  h.hop->Reset();
  BOOST_TEST(h.hop->Counters().tooBig == 0u);
}

BOOST_AUTO_TEST_CASE(ipv4_and_malformed_frames_pass_untouched) {
  HopOnALink h;
  // An IPv6 header that promises more than the frame holds.
  Ptr<Packet> shortPacket = Create<Packet>(20);
  Ipv6Header ip;
  ip.SetSource(AddressA());
  ip.SetDestination(AddressB());
  ip.SetNextHeader(kNextHeaderUdp);
  ip.SetPayloadLength(uint16_t(kOversized - 40));
  shortPacket->AddHeader(ip);
  Ptr<Packet> truncated = h.Framed(shortPacket, 0x86dd);
  // IPv4 of the same size: its MTU is modelled at br-ex, not here.
  Ptr<Packet> ipv4Packet = Create<Packet>(kOversized - 20);
  Ipv4Header ipv4;
  ipv4.SetPayloadSize(kOversized - 20);
  ipv4.SetProtocol(kNextHeaderUdp);
  ipv4Packet->AddHeader(ipv4);
  for (Ptr<Packet> frame : {truncated, h.Framed(ipv4Packet, 0x0800), Create<Packet>(10),
                            h.Framed(Create<Packet>(8), 0x86dd)}) {
    BOOST_TEST_CONTEXT("frame of " << frame->GetSize() << " bytes") {
      std::vector<uint8_t> before(frame->GetSize());
      frame->CopyData(before.data(), uint32_t(before.size()));
      const auto v = h.Judge(frame);
      BOOST_TEST((!v.dropped && !v.answered));
      std::vector<uint8_t> after(frame->GetSize());
      frame->CopyData(after.data(), uint32_t(after.size()));
      BOOST_TEST(before == after);
    }
  }
  BOOST_TEST(h.hop->Counters().tooBig == 0u);
}

BOOST_AUTO_TEST_CASE(a_hop_needs_an_ipv6_mtu_and_a_port_that_can_answer) {
  HopOnALink h;
  PathMtuHopConfig tiny = HopConfig();
  tiny.mtu = 1279;
  BOOST_CHECK_THROW(CreateObject<PathMtuHop>(h.port, tiny), std::invalid_argument);
  BOOST_CHECK_THROW(InstallPathMtuHop(CreateObject<PointToPointNetDevice>(), HopConfig()),
                    std::invalid_argument);
  BOOST_CHECK_THROW(InstallPathMtuHop(CreateObject<BridgeNetDevice>(), HopConfig()),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
