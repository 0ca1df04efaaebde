// What a node's IKE daemon is configured with: its identity (certificate,
// key, trusted CAs, @<system-id>) and its connections, the equivalent of a
// Libreswan `conn` section for a transport-mode host-to-host connection.
#pragma once

#include <cryptopp/rsa.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "certificate.h"
#include "ike_proposals.h"

namespace ipsecsim::ike {

struct IkeIdentity {
  std::string id;                // "@<system-id>" (leftid)
  pki::Certificate certificate;  // leftcert
  CryptoPP::RSA::PrivateKey key;
  std::vector<pki::Certificate> trustAnchors;  // the CA bundle (rightca=%same)
  // leftid=%fromcert: the ID is the certificate's subject, as ID_DER_ASN1_DN.
  bool idFromCert = false;
};

enum class AutoMode {
  kAdd,    // loaded only: answers the peer, never initiates
  kRoute,  // trap policies installed; an Acquire starts negotiation
  kStart,  // trap policies installed and negotiation started at once
};

struct PortSpan {
  uint16_t low = 0;
  uint16_t high = 65535;
  static PortSpan Any() { return {}; }
  static PortSpan Single(uint16_t port) { return {port, port}; }
  bool operator==(const PortSpan& o) const { return low == o.low && high == o.high; }
};

// The traffic selector of one host (transport mode): one address, a protocol
// and a port range.
inline TrafficSelector HostSelector(const IpAddress& address, uint8_t protocol, PortSpan ports) {
  TrafficSelector ts;
  ts.ipProtocol = protocol;
  ts.startPort = ports.low;
  ts.endPort = ports.high;
  ts.startAddress = ts.endAddress = address;
  return ts;
}

struct ConnectionConfig {
  std::string name;        // e.g. "ovn-a-to-b-out"
  IpAddress localAddress;  // left
  // right; unspecified for right=%any: a template that only answers, and
  // is instantiated for each peer that authenticates against it.
  IpAddress remoteAddress;
  // rightid: "@<peer system-id>", or %fromcert / %any (whatever ID the
  // peer's certificate proves).
  std::string remoteId;
  // leftcert and the CAs this connection trusts; null: the daemon's own.
  std::shared_ptr<const IkeIdentity> identity;
  // Transport-mode traffic selector (leftprotoport / rightprotoport).
  uint8_t protocol = 0;  // 0 = any
  PortSpan localPorts;
  PortSpan remotePorts;
  AutoMode autoMode = AutoMode::kRoute;
  // What this side offers as initiator; as responder the ESP proposal is
  // also what it accepts. Changing them only makes sense for tests.
  Proposal ikeProposal = IkeProposalAesGcm256Sha256Modp2048();
  Proposal espProposal = EspProposalAesGcm256(0);  // SPI filled per Child SA
  // salifetime and rekeymargin: the ESP states get a hard lifetime of
  // saLifetimeSeconds; the side that made the Child SA rekeys it
  // rekeyMarginSeconds before, the other side at half the margin (so the
  // two rarely collide). 0 = no lifetime.
  double saLifetimeSeconds = 28800;
  double rekeyMarginSeconds = 540;
  // encapsulation=yes: behave as if behind a NAT (IKE floats to UDP 4500,
  // ESP in UDP 4500, keepalives), whatever the NAT detection says.
  bool forceEncapsulation = false;
  // type=tunnel (Libreswan's default): the Child SA is tunnel-mode ESP (RFC
  // 4303 §3.1.2) between the two hosts, and the CREATE_CHILD_SA exchanges
  // carry no USE_TRANSPORT_MODE (RFC 7296 §1.3.1). The selectors stay the
  // two hosts.
  bool tunnel = false;
};

}  // namespace ipsecsim::ike
