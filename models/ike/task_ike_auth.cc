// IKE_AUTH authentication (RFC 7296 §2.15): ID_FQDN or ID_DER_ASN1_DN
// identities, the connection's certificate, and an RSA signature over the
// AUTH octets; the peer's certificate chain is validated at the
// environment's (simulated) time.
#include "auth_octets.h"
#include "chain_validation.h"
#include "ike_tasks.h"
#include "modelled_crypto.h"
#include "peer_identity.h"

namespace ipsecsim::ike {
namespace {

// The connection's own leftcert when it has one (the initiator's connection,
// or the responder's candidates, which all accepted the same peer ID), else
// the daemon's.
const IkeIdentity& OwnIdentity(const IkeSaContext& sa) {
  if (sa.connection && sa.connection->identity) return *sa.connection->identity;
  if (!sa.candidates.empty() && sa.candidates.front()->identity)
    return *sa.candidates.front()->identity;
  return sa.env->Identity();
}

class IkeAuthTask : public IkeTask {
 public:
  const char* Name() const override { return "ike-auth"; }

  void BuildRequest(IkeSaContext& sa, std::vector<Payload>& out) override {
    AppendOwnAuth(sa, PayloadType::kIdi, sa.initRequest, sa.nonceR, sa.keys->skPi, out);
    if (sa.env->SendsInitialContact(sa.spiI))
      out.push_back(MakeNotify(NotifyType::kInitialContact));
  }

  TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) override {
    const auto* idi = BodyOf<IdPayload>(FindPayload(in, PayloadType::kIdi));
    if (!idi) return Fail(sa, "IKE_AUTH request without IDi");
    sa.peerId = PeerIdString(*idi);
    sa.peerInitialContact = FindNotify(in, NotifyType::kInitialContact) != nullptr;
    sa.candidates = sa.env->ConnectionsFor(sa.remote.address, sa.peerId);
    if (sa.candidates.empty()) return Fail(sa, "no connection for peer ID " + sa.peerId);
    const TaskResult verified = VerifyPeer(sa, in, *idi, sa.initRequest, sa.nonceR, sa.keys->skPi);
    if (verified == TaskResult::kDone)
      sa.candidates = sa.env->Instantiate(sa.candidates, sa.remote.address);
    return verified;
  }

  void BuildResponse(IkeSaContext& sa, std::vector<Payload>& out) override {
    AppendOwnAuth(sa, PayloadType::kIdr, sa.initResponse, sa.nonceI, sa.keys->skPr, out);
  }

  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>& in) override {
    const auto* idr = BodyOf<IdPayload>(FindPayload(in, PayloadType::kIdr));
    if (!idr) {
      const NotifyPayload* error = FindErrorNotify(in);
      sa.Fail(error ? NotifyType(error->type) : NotifyType::kAuthenticationFailed,
              "peer refused IKE_AUTH");
      return TaskResult::kFailed;
    }
    sa.peerId = PeerIdString(*idr);
    if (!AcceptsPeerId(sa.connection->remoteId, sa.peerId))
      return Fail(sa, "peer ID " + sa.peerId + " is not " + sa.connection->remoteId);
    return VerifyPeer(sa, in, *idr, sa.initResponse, sa.nonceI, sa.keys->skPr);
  }

 private:
  static TaskResult Fail(IkeSaContext& sa, std::string why) {
    sa.Fail(NotifyType::kAuthenticationFailed, std::move(why));
    return TaskResult::kFailed;
  }

  static void AppendOwnAuth(IkeSaContext& sa, PayloadType idType, const Bytes& ownInitMessage,
                            const Bytes& peerNonce, const Bytes& skP, std::vector<Payload>& out) {
    const IkeIdentity& me = OwnIdentity(sa);
    Payload id = MakeOwnId(idType, me);
    const Bytes octets =
        AuthSignedOctets(ownInitMessage, peerNonce, skP, std::get<IdPayload>(id.body));
    out.push_back(std::move(id));
    out.push_back(
        {PayloadType::kCert, false, CertPayload{kCertEncodingX509Signature, me.certificate.der}});
    const bool modelled = sa.env->ModelledCrypto();
    out.push_back({PayloadType::kAuth, false,
                   modelled ? modelled::SignAuth(me.key, octets) : SignAuth(me.key, octets)});
  }

  // The certificate must chain to our CA bundle now and name the peer's ID;
  // the AUTH signature must verify with its key.
  static TaskResult VerifyPeer(IkeSaContext& sa, const std::vector<Payload>& in,
                               const IdPayload& peerId, const Bytes& peerInitMessage,
                               const Bytes& ownNonce, const Bytes& peerSkP) {
    const auto* cert = BodyOf<CertPayload>(FindPayload(in, PayloadType::kCert));
    const auto* auth = BodyOf<AuthPayload>(FindPayload(in, PayloadType::kAuth));
    if (!cert || !auth) return Fail(sa, "IKE_AUTH without CERT or AUTH");
    pki::ParseError parseError;
    const auto leaf = pki::ParseCertificate(cert->data, &parseError);
    if (!leaf) return Fail(sa, "peer certificate does not parse");
    if (!DnIdMatches(sa.peerId, *leaf)) return Fail(sa, "peer ID is not the certificate's subject");
    const pki::ChainResult chain =
        pki::ValidateChain(*leaf, {}, OwnIdentity(sa).trustAnchors, sa.env->UnixNow(),
                           ExpectedCertificateName(sa.peerId));
    if (!chain.Ok()) {
      sa.env->NoteCertificateRefused();
      return Fail(sa, std::string("peer certificate: ") + pki::ChainErrorName(chain.error) +
                          (chain.detail.empty() ? "" : " (" + chain.detail + ")"));
    }
    const Bytes octets = AuthSignedOctets(peerInitMessage, ownNonce, peerSkP, peerId);
    const bool valid = sa.env->ModelledCrypto()
                           ? modelled::VerifyAuth(leaf->publicKey, octets, *auth)
                           : VerifyAuth(leaf->publicKey, octets, *auth);
    if (!valid) return Fail(sa, "AUTH signature invalid");
    return TaskResult::kDone;
  }
};

}  // namespace

std::unique_ptr<IkeTask> MakeIkeAuthTask() { return std::make_unique<IkeAuthTask>(); }

}  // namespace ipsecsim::ike
