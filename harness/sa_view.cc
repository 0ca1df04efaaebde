#include "sa_view.h"

#include <ns3/ipv4-address.h>
#include <ns3/ipv6-address.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

#include "ike_proposals.h"
#include "sad.h"

namespace ipsecsim::harness {

namespace {

std::string AddressText(const ns3::Address& a) {
  std::ostringstream out;
  if (ns3::Ipv4Address::IsMatchingType(a))
    out << ns3::Ipv4Address::ConvertFrom(a);
  else if (ns3::Ipv6Address::IsMatchingType(a))
    out << ns3::Ipv6Address::ConvertFrom(a);
  else
    out << "?";
  return out.str();
}

std::string Hex64(uint64_t v) {
  char text[20];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

// RFC 4106 key material is the AES key and a 4-byte salt.
std::string EspAlgorithm(size_t keymatBytes) {
  if (keymatBytes < 4) return "?";
  return "AES-GCM-16-" + std::to_string((keymatBytes - 4) * 8);
}

// The IKE proposal's transforms in swanctl's spelling. The daemons offer and
// accept this one proposal (ike_proposals.h), so it is what each IKE SA chose.
std::string IkeAlgorithms() {
  std::string text;
  for (const ike::Transform& t : ike::IkeProposalAesGcm256Sha256Modp2048().transforms) {
    std::string name;
    if (t.type == ike::TransformType::kEncr && t.id == ike::transform_id::kEncrAesGcm16)
      name = "AES_GCM_16_" + std::to_string(t.KeyLength().value_or(0));
    else if (t.type == ike::TransformType::kPrf && t.id == ike::transform_id::kPrfHmacSha256)
      name = "PRF_HMAC_SHA2_256";
    else if (t.type == ike::TransformType::kDh && t.id == ike::transform_id::kDhModp2048)
      name = "MODP_2048";
    else
      name = "TRANSFORM_" + std::to_string(unsigned(t.type)) + "_" + std::to_string(t.id);
    text += (text.empty() ? "" : "/") + name;
  }
  return text;
}

}  // namespace

std::vector<ChildSaView> ReadChildSas(const xfrm::XfrmStack& stack, const ike::IkeDaemon* daemon,
                                      const ns3::Address& local) {
  // SPI -> (connection, direction), from the daemon's own view.
  std::map<uint32_t, std::pair<std::string, std::string>> owner;
  if (daemon) {
    for (const ike::ConnectionStatus& c : daemon->TrafficStatus()) {
      if (c.state != ike::ConnectionState::kUp) continue;
      owner[c.spiIn] = {c.name, "in"};
      owner[c.spiOut] = {c.name, "out"};
    }
  }
  // The protect policies' selectors by (direction, reqid), in evaluation order.
  std::map<std::pair<xfrm::Direction, uint32_t>, std::vector<std::string>> selectors;
  for (const xfrm::PolicyEntry* e : stack.Policies().Entries()) {
    const xfrm::Policy& p = e->policy;
    if (p.action == xfrm::PolicyAction::kProtect && p.tmpl.reqid != 0)
      selectors[{p.direction, p.tmpl.reqid}].push_back(p.selector.ToString());
  }
  std::vector<ChildSaView> out;
  for (const xfrm::State* state : stack.States().All()) {
    const xfrm::StateConfig& c = state->config;
    ChildSaView sa;
    if (auto it = owner.find(c.spi); it != owner.end()) {
      sa.connection = it->second.first;
      sa.direction = it->second.second;
    } else {
      // No connection names it (retiring, or no pluto): its addresses tell.
      sa.direction = c.dst == local ? "in" : "out";
    }
    sa.spi = xfrm::SpiText(c.spi);
    sa.reqid = c.reqid;
    sa.src = AddressText(c.src);
    sa.dst = AddressText(c.dst);
    sa.algorithm = EspAlgorithm(c.keymat.size());
    if (c.encap) sa.encapsulation = "UDP " + std::to_string(c.encap->dstPort);
    const xfrm::Direction direction =
        sa.direction == "in" ? xfrm::Direction::kIn : xfrm::Direction::kOut;
    if (auto it = selectors.find({direction, c.reqid}); it != selectors.end() && c.reqid != 0)
      sa.trafficSelectors = it->second;
    sa.installedSeconds = state->addTime.GetSeconds();
    sa.softLifetimeSeconds = c.lifetime.softTime.GetSeconds();
    sa.hardLifetimeSeconds = c.lifetime.hardTime.GetSeconds();
    sa.bytes = state->bytes;
    sa.packets = state->packets;
    out.push_back(sa);
  }
  // Like swanctl: by connection, then in before out.
  std::stable_sort(out.begin(), out.end(), [](const ChildSaView& a, const ChildSaView& b) {
    return std::tie(a.connection, a.direction) < std::tie(b.connection, b.direction);
  });
  return out;
}

std::vector<IkeSaView> ReadIkeSas(const ike::IkeDaemon& daemon) {
  std::map<std::pair<uint64_t, uint64_t>, IkeSaView> sas;
  for (const ike::ConnectionStatus& c : daemon.TrafficStatus()) {
    if (c.state != ike::ConnectionState::kUp) continue;
    IkeSaView& sa = sas[{c.ikeSpiI, c.ikeSpiR}];
    if (sa.connections.empty()) {
      sa.spiI = Hex64(c.ikeSpiI);
      sa.spiR = Hex64(c.ikeSpiR);
      sa.peerId = c.peerId;
      sa.algorithms = IkeAlgorithms();
      sa.upSinceSeconds = c.upSince.GetSeconds();
    }
    sa.connections.push_back(c.name);
  }
  std::vector<IkeSaView> out;
  for (auto& [spis, sa] : sas) out.push_back(sa);
  std::sort(out.begin(), out.end(),
            [](const IkeSaView& a, const IkeSaView& b) { return a.connections < b.connections; });
  return out;
}

}  // namespace ipsecsim::harness
