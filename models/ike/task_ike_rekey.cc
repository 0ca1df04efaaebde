// CREATE_CHILD_SA rekeying the IKE SA itself (RFC 7296 §1.3.2, §2.18):
// request SK {SA (IKE proposal, SPI = the initiator's new IKE SPI), Ni, KEi},
// response SK {SA (SPI = the responder's new IKE SPI), Nr, KEr}. The new
// IKE SA's initiator is the initiator of this exchange; its keys come from
// SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). The result goes to the
// context's events (ikeRekey); the daemon moves the Child SAs over and the
// initiator deletes the old IKE SA.
#include "ike_proposals.h"
#include "ike_tasks.h"

namespace ipsecsim::ike {
namespace {

constexpr size_t kIkeSpiLen = 8;

Bytes SpiBytes(uint64_t spi) {
  Bytes b(kIkeSpiLen);
  PutU64(b.data(), spi);
  return b;
}

class IkeRekeyTask : public IkeTask {
 public:
  const char* Name() const override { return "ike-rekey"; }
  bool Essential() const override { return false; }  // a refused rekey leaves the old SA up

  void BuildRequest(IkeSaContext& sa, std::vector<Payload>& out) override {
    newSpi_ = sa.env->AllocateIkeSpi();
    nonce_ = NewNonce(sa);
    offered_ = IkeProposalAesGcm256Sha256Modp2048();
    offered_.spi = SpiBytes(newSpi_);
    AppendPayloads(sa, offered_, out);
  }

  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>& in) override {
    if (const NotifyPayload* error = FindErrorNotify(in))
      return FailTask(sa, NotifyType(error->type), "peer refused the IKE SA rekey");
    const auto* answer = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    if (!answer || answer->proposals.size() != 1 || answer->proposals[0].spi.size() != kIkeSpiLen ||
        !IsValidChoice(answer->proposals[0], SaPayload{{offered_}}))
      return FailTask(sa, NotifyType::kNoProposalChosen, "peer chose no offered IKE proposal");
    const Bytes peerNonce = PeerNonce(in);
    Bytes secret;
    if (peerNonce.empty() || !SharedSecret(sa, in, &secret)) return TaskResult::kFailed;
    Finish(sa, newSpi_, GetU64(answer->proposals[0].spi.data()), nonce_, peerNonce, secret, true);
    return TaskResult::kDone;
  }

  TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) override {
    const auto* offered = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    std::optional<Proposal> chosen;
    if (offered) chosen = SelectProposal(*offered, IkeProposalAesGcm256Sha256Modp2048());
    if (!chosen || chosen->spi.size() != kIkeSpiLen)
      return FailTask(sa, NotifyType::kNoProposalChosen,
                      "no acceptable IKE proposal for the rekey");
    const Bytes peerNonce = PeerNonce(in);
    if (peerNonce.empty())
      return FailTask(sa, NotifyType::kInvalidSyntax, "IKE SA rekey without Ni");
    Bytes secret;
    if (!SharedSecret(sa, in, &secret)) return TaskResult::kFailed;
    newSpi_ = sa.env->AllocateIkeSpi();
    nonce_ = NewNonce(sa);
    const uint64_t peerSpi = GetU64(chosen->spi.data());
    offered_ = *chosen;
    offered_.spi = SpiBytes(newSpi_);
    Finish(sa, peerSpi, newSpi_, peerNonce, nonce_, secret, false);
    return TaskResult::kDone;
  }

  void BuildResponse(IkeSaContext& sa, std::vector<Payload>& out) override {
    AppendPayloads(sa, offered_, out);
  }

 private:
  bool SharedSecret(IkeSaContext& sa, const std::vector<Payload>& in, Bytes* secret) {
    return RekeySharedSecret(sa, in, dh_, "IKE SA rekey without a MODP-2048 KE", secret);
  }

  void AppendPayloads(IkeSaContext& sa, const Proposal& proposal, std::vector<Payload>& out) {
    if (!dh_) dh_ = NewDhKeyPair(*sa.env);
    out.push_back({PayloadType::kSa, false, SaPayload{{proposal}}});
    out.push_back({PayloadType::kNonce, false, NoncePayload{nonce_}});
    out.push_back({PayloadType::kKe, false, KePayload{kModp2048Group, dh_->PublicValue()}});
  }

  // RFC 7296 §2.18: SKEYSEED from the old SK_d; the SPIs and nonces of this
  // exchange, the initiator's first.
  static void Finish(IkeSaContext& sa, uint64_t spiI, uint64_t spiR, const Bytes& nonceI,
                     const Bytes& nonceR, const Bytes& secret, bool initiatedHere) {
    IkeSaEvents::IkeRekey rekey;
    rekey.spiI = spiI;
    rekey.spiR = spiR;
    rekey.keys = DeriveRekeyedIkeSaKeys(sa.keys->skD, nonceI, nonceR, secret, spiI, spiR);
    rekey.nonceI = nonceI;
    rekey.nonceR = nonceR;
    rekey.initiatedHere = initiatedHere;
    sa.env->AnnounceIkeSaKeys({spiI, spiR, rekey.keys.skEi, rekey.keys.skEr});
    sa.events.ikeRekey = std::make_unique<IkeSaEvents::IkeRekey>(std::move(rekey));
  }

  uint64_t newSpi_ = 0;
  Bytes nonce_;
  Proposal offered_;
  std::optional<Modp2048KeyPair> dh_;
};

}  // namespace

std::unique_ptr<IkeTask> MakeIkeRekeyTask() { return std::make_unique<IkeRekeyTask>(); }

bool RekeysIkeSa(const std::vector<Payload>& request) {
  const auto* sa = BodyOf<SaPayload>(FindPayload(request, PayloadType::kSa));
  return sa && !sa->proposals.empty() && sa->proposals[0].protocol == ProtocolId::kIke;
}

}  // namespace ipsecsim::ike
