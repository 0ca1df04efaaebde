#include "peer_identity.h"

#include <algorithm>
#include <cctype>

namespace ipsecsim::ike {
namespace {

constexpr const char* kDnPrefix = "DN:";

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool IsDn(const std::string& peerId) { return peerId.rfind(kDnPrefix, 0) == 0; }

}  // namespace

Payload MakeOwnId(PayloadType idiOrIdr, const IkeIdentity& me) {
  if (me.idFromCert)
    return Payload{idiOrIdr, false, IdPayload{IdType::kDerAsn1Dn, me.certificate.subjectName}};
  return MakeFqdnId(idiOrIdr, me.id);
}

std::string PeerIdString(const IdPayload& id) {
  switch (id.idType) {
    case IdType::kFqdn:
      return "@" + IdDataString(id);
    case IdType::kDerAsn1Dn:
      return kDnPrefix + ToHex(id.data);
    case IdType::kIpv4Addr:
      if (id.data.size() == 4)
        return std::to_string(id.data[0]) + "." + std::to_string(id.data[1]) + "." +
               std::to_string(id.data[2]) + "." + std::to_string(id.data[3]);
      break;
    default:
      break;
  }
  return "ID" + std::to_string(int(id.idType)) + ":" + ToHex(id.data);
}

bool AcceptsPeerId(const std::string& wanted, const std::string& peerId) {
  if (wanted == "%fromcert" || wanted == "%any") return true;
  return Lower(wanted) == Lower(peerId);
}

std::string ExpectedCertificateName(const std::string& peerId) {
  if (IsDn(peerId) || peerId.find(':') != std::string::npos) return "";
  return peerId;
}

bool DnIdMatches(const std::string& peerId, const pki::Certificate& leaf) {
  return !IsDn(peerId) || peerId.substr(3) == ToHex(leaf.subjectName);
}

}  // namespace ipsecsim::ike
