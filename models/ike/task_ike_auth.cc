// IKE_AUTH authentication (RFC 7296 §2.15): ID_FQDN identities, the node
// certificate, and an RSA signature over the AUTH octets; the peer's
// certificate chain is validated at the environment's (simulated) time.
#include <algorithm>

#include "auth_octets.h"
#include "chain_validation.h"
#include "ike_tasks.h"
#include "modelled_crypto.h"

namespace ipsecsim::ike {
namespace {

bool SameId(std::string a, std::string b) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  return lower(std::move(a)) == lower(std::move(b));
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
    sa.peerId = "@" + IdDataString(*idi);
    sa.peerInitialContact = FindNotify(in, NotifyType::kInitialContact) != nullptr;
    sa.candidates = sa.env->ConnectionsFor(sa.remote.address, sa.peerId);
    if (sa.candidates.empty()) return Fail(sa, "no connection for peer ID " + sa.peerId);
    return VerifyPeer(sa, in, *idi, sa.initRequest, sa.nonceR, sa.keys->skPi);
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
    sa.peerId = "@" + IdDataString(*idr);
    if (!SameId(sa.peerId, sa.connection->remoteId))
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
    const IkeIdentity& me = sa.env->Identity();
    Payload id = MakeFqdnId(idType, me.id);
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
    const pki::ChainResult chain = pki::ValidateChain(*leaf, {}, sa.env->Identity().trustAnchors,
                                                      sa.env->UnixNow(), sa.peerId);
    if (!chain.Ok())
      return Fail(sa, std::string("peer certificate: ") + pki::ChainErrorName(chain.error) +
                          (chain.detail.empty() ? "" : " (" + chain.detail + ")"));
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
