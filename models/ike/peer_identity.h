// IKE identities (RFC 7296 §3.5) as Libreswan configures them: leftid=@name
// is ID_FQDN; leftid=%fromcert is ID_DER_ASN1_DN, the subject of leftcert
// (libreswan ipsec.conf(5), leftid). rightid=%fromcert or %any accepts the
// ID the peer proves with its certificate.
#pragma once

#include <string>

#include "certificate.h"
#include "ike_connection.h"
#include "payloads.h"

namespace ipsecsim::ike {

// IDi or IDr for `me`.
Payload MakeOwnId(PayloadType idiOrIdr, const IkeIdentity& me);

// How a peer's ID is held and compared: "@name" for ID_FQDN, "DN:<hex of the
// DER>" for ID_DER_ASN1_DN, the address for ID_IPV4_ADDR, else "ID<type>:<hex>".
std::string PeerIdString(const IdPayload& id);

// Whether a connection whose rightid is `wanted` is for a peer that sent `peerId`.
bool AcceptsPeerId(const std::string& wanted, const std::string& peerId);

// What to hand chain validation as the expected name: the FQDN, or "" when
// the ID is a DN, which must instead equal the certificate's subject.
std::string ExpectedCertificateName(const std::string& peerId);
bool DnIdMatches(const std::string& peerId, const pki::Certificate& leaf);

}  // namespace ipsecsim::ike
