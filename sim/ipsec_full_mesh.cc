#include "ipsec_full_mesh.h"

#include <cryptopp/sha.h>

#include <set>
#include <stdexcept>
#include <string>

#include "geneve_header.h"
#include "xfrm_helper.h"

namespace ipsecsim::sim {

using namespace ns3;
using xfrm::Direction;
using xfrm::IpPrefix;
using xfrm::PortRange;

namespace {

// Deterministic key material for one ESP SA: SHA-256 over the seed and the
// SA's name gives the AES-256 key, a second hash the salt and the SPI.
struct DerivedSa {
  uint32_t spi;
  Bytes keymat;
};

Bytes Sha256(const std::string& text) {
  Bytes digest(CryptoPP::SHA256::DIGESTSIZE);
  CryptoPP::SHA256().CalculateDigest(digest.data(), reinterpret_cast<const uint8_t*>(text.data()),
                                     text.size());
  return digest;
}

DerivedSa DeriveSa(uint64_t seed, const std::string& name, std::set<uint32_t>* used) {
  const std::string base = "ipsecsim static sa|" + std::to_string(seed) + "|" + name;
  DerivedSa sa;
  sa.keymat = Sha256(base + "|key");
  const Bytes extra = Sha256(base + "|salt+spi");
  sa.keymat.insert(sa.keymat.end(), extra.begin(), extra.begin() + 4);
  sa.spi = GetU32(extra.data() + 4);
  // SPIs 0-255 are reserved (RFC 4303); keep every SPI of the run unique.
  while (sa.spi < 256 || !used->insert(sa.spi).second) sa.spi = sa.spi * 2654435761u + 1;
  return sa;
}

xfrm::Policy GenevePolicy(const Address& src, PortRange srcPorts, const Address& dst,
                          PortRange dstPorts, Direction dir, const Address& peer, uint32_t reqid,
                          const std::string& name) {
  xfrm::Policy p;
  p.selector.src = IpPrefix::Host(src);
  p.selector.dst = IpPrefix::Host(dst);
  p.selector.protocol = xfrm::kProtoUdp;
  p.selector.srcPorts = srcPorts;
  p.selector.dstPorts = dstPorts;
  p.direction = dir;
  p.action = xfrm::PolicyAction::kProtect;
  p.tmpl.peer = peer;
  p.tmpl.reqid = reqid;
  p.name = name;
  return p;
}

void AddState(xfrm::XfrmStack& stack, const Address& src, const Address& dst, uint32_t reqid,
              const DerivedSa& sa, bool encap) {
  xfrm::StateConfig s;
  s.src = src;
  s.dst = dst;
  s.spi = sa.spi;
  s.reqid = reqid;
  s.keymat = sa.keymat;
  if (encap) s.encap = xfrm::UdpEncap{};
  std::string error;
  if (!stack.AddState(s, &error)) throw std::logic_error("static SA rejected: " + error);
}

}  // namespace

std::vector<Ptr<xfrm::XfrmStack>> InstallFullMesh(ClusterWorld& world,
                                                  const FullMeshOptions& options) {
  NodeContainer hosts;
  for (uint32_t i = 0; i < world.NodeCount(); ++i) hosts.Add(world.Host(i));
  auto stacks = xfrm::XfrmHelper().Install(hosts);
  const PortRange any = PortRange::Any();
  const PortRange geneve = PortRange::Single(geneve::kUdpPort);
  std::set<uint32_t> usedSpis;
  uint32_t nextReqid = 1;

  // One Child SA per (initiator, responder) "out" connection: it covers
  // initiator:any -> responder:6081 and, in reverse, responder:6081 -> initiator:any.
  for (uint32_t a = 0; a < world.NodeCount(); ++a) {
    for (uint32_t b = 0; b < world.NodeCount(); ++b) {
      if (a == b) continue;
      const Address ipA = world.UnderlayIp(a), ipB = world.UnderlayIp(b);
      const std::string conn = world.NodeName(a) + "-out-" + world.NodeName(b);
      const uint32_t reqid = nextReqid++;
      const DerivedSa forward = DeriveSa(options.seed, conn + "|fwd", &usedSpis);
      const DerivedSa reverse = DeriveSa(options.seed, conn + "|rev", &usedSpis);
      xfrm::XfrmStack& sa = *stacks[a];
      xfrm::XfrmStack& sb = *stacks[b];
      // Node a: its "out" connection to b.
      sa.AddPolicy(GenevePolicy(ipA, any, ipB, geneve, Direction::kOut, ipB, reqid, conn));
      sa.AddPolicy(GenevePolicy(ipB, geneve, ipA, any, Direction::kIn, ipB, reqid, conn));
      // Node b: the same Child SA is its "in" connection from a.
      const std::string connB = world.NodeName(b) + "-in-" + world.NodeName(a);
      sb.AddPolicy(GenevePolicy(ipB, geneve, ipA, any, Direction::kOut, ipA, reqid, connB));
      sb.AddPolicy(GenevePolicy(ipA, any, ipB, geneve, Direction::kIn, ipA, reqid, connB));
      for (xfrm::XfrmStack* s : {&sa, &sb}) {
        AddState(*s, ipA, ipB, reqid, forward, options.udpEncapsulation);
        AddState(*s, ipB, ipA, reqid, reverse, options.udpEncapsulation);
      }
    }
  }
  return stacks;
}

}  // namespace ipsecsim::sim
