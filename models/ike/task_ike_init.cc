// IKE_SA_INIT (RFC 7296 §1.2, §2.23): proposal, D-H, nonces, NAT detection.
#include "ike_proposals.h"
#include "ike_tasks.h"
#include "nat_detection.h"

namespace ipsecsim::ike {
namespace {

class IkeInitTask : public IkeTask {
 public:
  const char* Name() const override { return "ike-init"; }

  void BuildRequest(IkeSaContext& sa, std::vector<Payload>& out) override {
    sa.offeredIkeSa = SaPayload{{sa.connection->ikeProposal}};
    sa.dh = NewDhKeyPair(*sa.env);
    sa.nonceI = NewNonce(sa);
    out.push_back({PayloadType::kSa, false, sa.offeredIkeSa});
    AppendKeNonceNatd(sa, sa.nonceI, out);
  }

  TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) override {
    const auto* offered = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    if (!offered) return FailTask(sa, NotifyType::kInvalidSyntax, "IKE_SA_INIT without SA payload");
    chosen_ = SelectProposal(*offered, IkeProposalAesGcm256Sha256Modp2048());
    if (!chosen_) return FailTask(sa, NotifyType::kNoProposalChosen, "no acceptable IKE proposal");
    sa.nonceI = PeerNonce(in);
    if (!Exchange(sa, in)) return TaskResult::kFailed;
    sa.nonceR = NewNonce(sa);
    CheckNatDetection(sa, in, 0);
    DeriveKeys(sa);
    return TaskResult::kDone;
  }

  void BuildResponse(IkeSaContext& sa, std::vector<Payload>& out) override {
    out.push_back({PayloadType::kSa, false, SaPayload{{*chosen_}}});
    AppendKeNonceNatd(sa, sa.nonceR, out);
  }

  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>& in) override {
    if (const NotifyPayload* error = FindErrorNotify(in))
      return FailTask(sa, NotifyType(error->type), "peer refused IKE_SA_INIT");
    const auto* answer = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    if (!answer || answer->proposals.size() != 1 ||
        !IsValidChoice(answer->proposals[0], sa.offeredIkeSa))
      return FailTask(sa, NotifyType::kNoProposalChosen, "responder chose no offered IKE proposal");
    sa.nonceR = PeerNonce(in);
    if (!Exchange(sa, in)) return TaskResult::kFailed;
    CheckNatDetection(sa, in, sa.spiR);
    DeriveKeys(sa);
    return TaskResult::kDone;
  }

 private:
  // Reads the peer's KE and computes g^ir; generates our D-H pair if needed.
  bool Exchange(IkeSaContext& sa, const std::vector<Payload>& in) {
    const auto* ke = BodyOf<KePayload>(FindPayload(in, PayloadType::kKe));
    if (!ke || (sa.initiator ? sa.nonceR : sa.nonceI).empty()) {
      sa.Fail(NotifyType::kInvalidSyntax, "IKE_SA_INIT without KE or Nonce");
      return false;
    }
    if (ke->dhGroup != kModp2048Group) {
      sa.Fail(NotifyType::kInvalidKePayload, "KE for D-H group " + std::to_string(ke->dhGroup));
      return false;
    }
    if (!sa.dh) sa.dh = NewDhKeyPair(*sa.env);
    sharedSecret_ = sa.dh->SharedSecret(ke->keyData);
    if (!sharedSecret_) {
      sa.Fail(NotifyType::kInvalidSyntax, "peer's D-H public value is invalid");
      return false;
    }
    return true;
  }

  void AppendKeNonceNatd(IkeSaContext& sa, const Bytes& nonce, std::vector<Payload>& out) {
    out.push_back({PayloadType::kKe, false, KePayload{kModp2048Group, sa.dh->PublicValue()}});
    out.push_back({PayloadType::kNonce, false, NoncePayload{nonce}});
    const uint64_t spiR = sa.initiator ? 0 : sa.spiR;
    // Libreswan's encapsulation=yes lies about its source port.
    const uint16_t sourcePort = sa.env->ForcesEncapsulation(sa.remote.address) ? 0 : sa.local.port;
    out.push_back(MakeNotify(NotifyType::kNatDetectionSourceIp,
                             NatDetectionHash(sa.spiI, spiR, sa.local.address, sourcePort)));
    out.push_back(MakeNotify(NotifyType::kNatDetectionDestinationIp,
                             NatDetectionHash(sa.spiI, spiR, sa.remote.address, sa.remote.port)));
  }

  // The peer hashed the addresses it sent from and to; a difference from
  // what we see means a NAT rewrote them (RFC 7296 §2.23).
  static void CheckNatDetection(IkeSaContext& sa, const std::vector<Payload>& in, uint64_t spiR) {
    const NotifyPayload* source = FindNotify(in, NotifyType::kNatDetectionSourceIp);
    const NotifyPayload* destination = FindNotify(in, NotifyType::kNatDetectionDestinationIp);
    if (!source || !destination) return;
    sa.natDetectedRemote =
        source->data != NatDetectionHash(sa.spiI, spiR, sa.remote.address, sa.remote.port);
    sa.natDetectedLocal =
        destination->data != NatDetectionHash(sa.spiI, spiR, sa.local.address, sa.local.port);
  }

  void DeriveKeys(IkeSaContext& sa) {
    sa.keys = DeriveIkeSaKeys(sa.nonceI, sa.nonceR, *sharedSecret_, sa.spiI, sa.spiR);
    sa.env->AnnounceIkeSaKeys({sa.spiI, sa.spiR, sa.keys->skEi, sa.keys->skEr});
  }

  std::optional<Proposal> chosen_;
  std::optional<Bytes> sharedSecret_;
};

}  // namespace

std::unique_ptr<IkeTask> MakeIkeInitTask() { return std::make_unique<IkeInitTask>(); }

const NotifyPayload* FindErrorNotify(const std::vector<Payload>& payloads) {
  for (const Payload& p : payloads) {
    const auto* notify = std::get_if<NotifyPayload>(&p.body);
    if (notify && notify->type < 16384) return notify;
  }
  return nullptr;
}

}  // namespace ipsecsim::ike
