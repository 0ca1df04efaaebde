// What several exchanges share: nonces, failing, and the D-H step of the
// CREATE_CHILD_SA rekeys (Child SA with PFS, IKE SA).
#include "ike_tasks.h"

namespace ipsecsim::ike {

Bytes NewNonce(IkeSaContext& sa) {
  constexpr size_t kNonceLen = 32;
  Bytes nonce(kNonceLen);
  sa.env->Rng().GenerateBlock(nonce.data(), nonce.size());
  return nonce;
}

Bytes PeerNonce(const std::vector<Payload>& in) {
  const auto* nonce = BodyOf<NoncePayload>(FindPayload(in, PayloadType::kNonce));
  return nonce ? nonce->nonce : Bytes{};
}

TaskResult FailTask(IkeSaContext& sa, NotifyType notify, std::string why) {
  sa.Fail(notify, std::move(why));
  return TaskResult::kFailed;
}

bool RekeySharedSecret(IkeSaContext& sa, const std::vector<Payload>& in,
                       std::optional<Modp2048KeyPair>& dh, const char* what, Bytes* secret) {
  const auto* ke = BodyOf<KePayload>(FindPayload(in, PayloadType::kKe));
  if (!ke || ke->dhGroup != kModp2048Group) {
    sa.Fail(NotifyType::kInvalidKePayload, what);
    return false;
  }
  if (!dh) dh = NewDhKeyPair(*sa.env);
  auto shared = dh->SharedSecret(ke->keyData);
  if (!shared) {
    sa.Fail(NotifyType::kInvalidSyntax, "peer's D-H public value is invalid");
    return false;
  }
  *secret = std::move(*shared);
  return true;
}

}  // namespace ipsecsim::ike
