// CREATE_CHILD_SA rekeying a Child SA (RFC 7296 §1.3.3, §2.17): REKEY_SA
// names the SA being replaced by the SPI its initiator receives on; new
// SPIs, new nonces and, with PFS, a new D-H exchange feed the KEYMAT.
#include <algorithm>

#include "ike_proposals.h"
#include "ike_tasks.h"

namespace ipsecsim::ike {
namespace {

Bytes SpiBytes(uint32_t spi) {
  Bytes b(4);
  PutU32(b.data(), spi);
  return b;
}

Proposal WithModp2048(Proposal p) {
  p.transforms.push_back(Transform{TransformType::kDh, transform_id::kDhModp2048, {}});
  return p;
}

class ChildRekeyTask : public IkeTask {
 public:
  // Initiator: replaces `old`. Responder: default-constructed.
  explicit ChildRekeyTask(std::optional<ChildSaResult> old = std::nullopt) : old_(std::move(old)) {}
  const char* Name() const override { return "child-rekey"; }
  bool Essential() const override { return false; }

  void BuildRequest(IkeSaContext& sa, std::vector<Payload>& out) override {
    const ConnectionConfig& c = *old_->connection;
    tunnel_ = c.tunnel;
    spiIn_ = sa.env->AllocateChildSpi();
    pfs_ = sa.env->RekeyWithPfs();
    offered_ = pfs_ ? WithModp2048(c.espProposal) : c.espProposal;
    offered_.spi = SpiBytes(spiIn_);
    nonceI_ = NewNonce(sa);
    tsi_ = HostSelector(sa.local.address, c.protocol, c.localPorts);
    tsr_ = HostSelector(sa.remote.address, c.protocol, c.remotePorts);
    NotifyPayload rekey{
        ProtocolId::kEsp, uint16_t(NotifyType::kRekeySa), SpiBytes(old_->spiIn), {}};
    out.push_back({PayloadType::kNotify, false, rekey});
    AppendPayloads(sa, nonceI_, out);
  }

  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>& in) override {
    if (const NotifyPayload* error = FindErrorNotify(in))
      return FailTask(sa, NotifyType(error->type), "peer refused the Child SA rekey");
    const auto* answer = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    const auto* nonce = BodyOf<NoncePayload>(FindPayload(in, PayloadType::kNonce));
    if (!answer || answer->proposals.size() != 1 || answer->proposals[0].spi.size() != 4 ||
        !IsValidChoice(answer->proposals[0], SaPayload{{offered_}}) || !nonce)
      return FailTask(sa, NotifyType::kNoProposalChosen, "peer chose no offered ESP proposal");
    if (!IsExactly(BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsi)), tsi_) ||
        !IsExactly(BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsr)), tsr_))
      return FailTask(sa, NotifyType::kTsUnacceptable, "peer changed the traffic selectors");
    Bytes secret;
    if (pfs_ && !SharedSecret(sa, in, &secret)) return TaskResult::kFailed;
    const ChildSaKeymat k = DeriveChildSaKeymat(sa.keys->skD, secret, nonceI_, nonce->nonce);
    ChildSaResult child{old_->connection, spiIn_, GetU32(answer->proposals[0].spi.data()),
                        k.responderToInitiator, k.initiatorToResponder};
    child.rekeyOf = old_->spiIn;
    child.lowestNonce = std::min(nonceI_, nonce->nonce);
    child.initiatedHere = true;
    sa.events.children.push_back(child);
    return TaskResult::kDone;
  }

  TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) override {
    const NotifyPayload* rekey = FindNotify(in, NotifyType::kRekeySa);
    if (!rekey || rekey->spi.size() != 4)
      return FailTask(sa, NotifyType::kNoProposalChosen, "CREATE_CHILD_SA without REKEY_SA");
    const ChildSaResult* old = sa.env->ChildByOutboundSpi(GetU32(rekey->spi.data()));
    if (!old) return FailTask(sa, NotifyType::kChildSaNotFound, "no Child SA to rekey");
    const ConnectionConfig& c = *old->connection;
    tunnel_ = c.tunnel;
    tsi_ = HostSelector(sa.remote.address, c.protocol, c.remotePorts);
    tsr_ = HostSelector(sa.local.address, c.protocol, c.localPorts);
    if (!IsExactly(BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsi)), tsi_) ||
        !IsExactly(BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsr)), tsr_))
      return FailTask(sa, NotifyType::kTsUnacceptable, "rekey with other traffic selectors");
    pfs_ = FindPayload(in, PayloadType::kKe) != nullptr;
    const auto* offered = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    std::optional<Proposal> chosen;
    if (offered)
      chosen = SelectProposal(*offered, pfs_ ? WithModp2048(c.espProposal) : c.espProposal);
    const auto* nonce = BodyOf<NoncePayload>(FindPayload(in, PayloadType::kNonce));
    if (!chosen || chosen->spi.size() != 4 || !nonce)
      return FailTask(sa, NotifyType::kNoProposalChosen, "no acceptable ESP proposal");
    Bytes secret;
    if (pfs_ && !SharedSecret(sa, in, &secret)) return TaskResult::kFailed;
    nonceR_ = NewNonce(sa);
    spiIn_ = sa.env->AllocateChildSpi();
    offered_ = *chosen;
    offered_.spi = SpiBytes(spiIn_);
    const ChildSaKeymat k = DeriveChildSaKeymat(sa.keys->skD, secret, nonce->nonce, nonceR_);
    ChildSaResult child{old->connection, spiIn_, GetU32(chosen->spi.data()), k.initiatorToResponder,
                        k.responderToInitiator};
    child.rekeyOf = old->spiIn;
    child.lowestNonce = std::min(nonce->nonce, nonceR_);
    sa.events.children.push_back(child);
    return TaskResult::kDone;
  }

  void BuildResponse(IkeSaContext& sa, std::vector<Payload>& out) override {
    AppendPayloads(sa, nonceR_, out);
  }

 private:
  bool SharedSecret(IkeSaContext& sa, const std::vector<Payload>& in, Bytes* secret) {
    return RekeySharedSecret(sa, in, dh_, "rekey without a MODP-2048 KE", secret);
  }

  void AppendPayloads(IkeSaContext& sa, const Bytes& nonce, std::vector<Payload>& out) {
    // A rekey keeps the mode of the Child SA it replaces (RFC 7296 §1.3.3).
    if (!tunnel_) out.push_back(MakeNotify(NotifyType::kUseTransportMode));
    out.push_back({PayloadType::kSa, false, SaPayload{{offered_}}});
    out.push_back({PayloadType::kNonce, false, NoncePayload{nonce}});
    if (pfs_) {
      if (!dh_) dh_ = NewDhKeyPair(*sa.env);
      out.push_back({PayloadType::kKe, false, KePayload{kModp2048Group, dh_->PublicValue()}});
    }
    out.push_back({PayloadType::kTsi, false, TsPayload{{tsi_}}});
    out.push_back({PayloadType::kTsr, false, TsPayload{{tsr_}}});
  }

  std::optional<ChildSaResult> old_;
  bool tunnel_ = false;  // the mode of the Child SA it replaces
  bool pfs_ = false;
  uint32_t spiIn_ = 0;
  Proposal offered_;
  Bytes nonceI_;
  Bytes nonceR_;
  std::optional<Modp2048KeyPair> dh_;
  TrafficSelector tsi_;
  TrafficSelector tsr_;
};

}  // namespace

std::unique_ptr<IkeTask> MakeChildRekeyTask(const ChildSaResult& old) {
  return std::make_unique<ChildRekeyTask>(old);
}

std::unique_ptr<IkeTask> MakeChildRekeyResponderTask() {
  return std::make_unique<ChildRekeyTask>();
}

}  // namespace ipsecsim::ike
