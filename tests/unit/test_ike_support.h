// Shared pieces of the IKE tests: sample messages for every exchange and a
// way to ask /usr/bin/python3 (Debian's `cryptography`) for reference values.
#pragma once

#include <array>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "bytes.h"
#include "ike_message.h"
#include "run_command.h"

namespace ipsecsim::ike {
// For Boost.Test messages.
inline std::ostream& operator<<(std::ostream& os, ExchangeType t) { return os << int(t); }
inline std::ostream& operator<<(std::ostream& os, PayloadType t) { return os << int(t); }
inline std::ostream& operator<<(std::ostream& os, TransformType t) { return os << int(t); }
}  // namespace ipsecsim::ike

namespace iketest {

using namespace ipsecsim;
using namespace ipsecsim::ike;

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline void WriteBytes(const std::string& path, const Bytes& b) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
}

// Runs `script` with python3 and the given arguments; returns its stdout
// without the trailing newline, or "ERROR..." with its stderr.
inline std::string Python(const std::string& script, const std::vector<std::string>& args) {
  const std::string dir = test::MakeTempDir("ike-py");
  WriteFile(dir + "/oracle.py", script);
  std::string cmd = "/usr/bin/python3 " + dir + "/oracle.py";
  for (const auto& a : args) cmd += " '" + a + "'";
  auto r = test::RunCommand(cmd + " 2>&1");
  std::string out = r.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (r.exitCode != 0) return "ERROR " + out;
  return out;
}

inline Bytes Filled(size_t n, uint8_t start) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = uint8_t(start + i);
  return b;
}

inline Transform KeyLengthTransform(TransformType type, uint16_t id, uint16_t bits) {
  Transform t{type, id, {}};
  t.attributes.push_back(TransformAttribute{kAttributeKeyLength, true, bits, {}});
  return t;
}

// ike=aes_gcm256-sha2_256 with MODP-2048, as in IKE_SA_INIT.
inline SaPayload IkeProposal() {
  Proposal p;
  p.protocol = ProtocolId::kIke;
  p.transforms = {KeyLengthTransform(TransformType::kEncr, transform_id::kEncrAesGcm16, 256),
                  Transform{TransformType::kPrf, transform_id::kPrfHmacSha256, {}},
                  Transform{TransformType::kDh, transform_id::kDhModp2048, {}}};
  return SaPayload{{p}};
}

// esp=aes_gcm256 without ESN, as in IKE_AUTH and CREATE_CHILD_SA.
inline SaPayload EspProposal(uint32_t spi) {
  Proposal p;
  p.protocol = ProtocolId::kEsp;
  p.spi = Bytes(4);
  PutU32(p.spi.data(), spi);
  p.transforms = {KeyLengthTransform(TransformType::kEncr, transform_id::kEncrAesGcm16, 256),
                  Transform{TransformType::kEsn, transform_id::kEsnNone, {}}};
  return SaPayload{{p}};
}

inline IkeHeader Header(ExchangeType exchange, uint32_t messageId, bool response) {
  IkeHeader h;
  h.spiI = 0x0102030405060708ULL;
  h.spiR = response || exchange != ExchangeType::kIkeSaInit ? 0x1112131415161718ULL : 0;
  h.exchange = exchange;
  h.flags = response ? header_flags::kResponse : header_flags::kInitiator;
  h.messageId = messageId;
  return h;
}

inline IkeMessage SaInitRequest() {
  IkeMessage m;
  m.header = Header(ExchangeType::kIkeSaInit, 0, false);
  m.payloads.push_back(Payload{PayloadType::kSa, false, IkeProposal()});
  m.payloads.push_back(Payload{PayloadType::kKe, false, KePayload{14, Filled(256, 7)}});
  m.payloads.push_back(Payload{PayloadType::kNonce, false, NoncePayload{Filled(32, 0x40)}});
  m.payloads.push_back(MakeNotify(NotifyType::kNatDetectionSourceIp, Filled(20, 0x90)));
  m.payloads.push_back(MakeNotify(NotifyType::kNatDetectionDestinationIp, Filled(20, 0xa0)));
  return m;
}

// The inner payloads of an IKE_AUTH request.
inline std::vector<Payload> AuthRequestInner() {
  std::vector<Payload> p;
  p.push_back(MakeFqdnId(PayloadType::kIdi, "@node-a-system-id"));
  p.push_back(Payload{PayloadType::kCert, false, CertPayload{4, Filled(700, 0x30)}});
  p.push_back(Payload{PayloadType::kAuth, false, AuthPayload{1, Filled(256, 0x11)}});
  p.push_back(MakeFqdnId(PayloadType::kIdr, "@node-b-system-id"));
  p.push_back(MakeNotify(NotifyType::kUseTransportMode));
  p.push_back(Payload{PayloadType::kSa, false, EspProposal(0xc0ffee01)});
  TrafficSelector a{17, 0, 65535, IpAddress::V4(0x0a000001), IpAddress::V4(0x0a000001)};
  TrafficSelector b{17, 6081, 6081, IpAddress::V4(0x0a000002), IpAddress::V4(0x0a000002)};
  p.push_back(Payload{PayloadType::kTsi, false, TsPayload{{a}}});
  p.push_back(Payload{PayloadType::kTsr, false, TsPayload{{b}}});
  return p;
}

// fd00:10::<last>: the IPv6 node IPs of an ip_family: ipv6 cluster.
inline IpAddress Ipv6Node(uint8_t last) {
  std::array<uint8_t, 16> bytes{0xfd, 0x00, 0x00, 0x10};
  bytes[15] = last;
  return IpAddress::V6(bytes);
}

// AuthRequestInner() between IPv6 hosts: TS_IPV6_ADDR_RANGE selectors.
inline std::vector<Payload> AuthRequestInner6() {
  std::vector<Payload> p = AuthRequestInner();
  const TrafficSelector a{17, 0, 65535, Ipv6Node(0x0a), Ipv6Node(0x0a)};
  const TrafficSelector b{17, 6081, 6081, Ipv6Node(0x0b), Ipv6Node(0x0b)};
  p[p.size() - 2] = Payload{PayloadType::kTsi, false, TsPayload{{a}}};
  p[p.size() - 1] = Payload{PayloadType::kTsr, false, TsPayload{{b}}};
  return p;
}

inline std::vector<Payload> CreateChildInner() {
  std::vector<Payload> p;
  p.push_back(MakeNotify(NotifyType::kUseTransportMode));
  p.push_back(Payload{PayloadType::kSa, false, EspProposal(0xc0ffee02)});
  p.push_back(Payload{PayloadType::kNonce, false, NoncePayload{Filled(32, 0x50)}});
  TrafficSelector a{17, 0, 65535, IpAddress::V4(0x0a000001), IpAddress::V4(0x0a000001)};
  p.push_back(Payload{PayloadType::kTsi, false, TsPayload{{a}}});
  p.push_back(Payload{PayloadType::kTsr, false, TsPayload{{a}}});
  return p;
}

inline std::vector<Payload> DeleteInner() {
  DeletePayload d;
  d.protocol = ProtocolId::kEsp;
  d.spiSize = 4;
  d.spis = {Bytes{0xc0, 0xff, 0xee, 0x01}, Bytes{0xc0, 0xff, 0xee, 0x02}};
  return {Payload{PayloadType::kDelete, false, d}};
}

}  // namespace iketest
