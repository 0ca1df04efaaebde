// The Child SA negotiated inside IKE_AUTH (RFC 7296 §1.2, §2.9, §2.17):
// transport mode (USE_TRANSPORT_MODE, §1.3.1) or tunnel mode (none),
// esp=aes_gcm256, the connection's traffic selectors, and the KEYMAT for the
// two ESP SAs. A responder answers only with a connection of the mode asked
// for; ipsecsim's own rule where the RFC leaves it to the responder.
#include "ike_proposals.h"
#include "ike_tasks.h"

namespace ipsecsim::ike {
namespace {

class ChildCreateTask : public IkeTask {
 public:
  const char* Name() const override { return "child-create"; }
  bool Essential() const override { return false; }

  void BuildRequest(IkeSaContext& sa, std::vector<Payload>& out) override {
    const ConnectionConfig& c = *sa.connection;
    spiIn_ = sa.env->AllocateChildSpi();
    offered_ = c.espProposal;
    offered_.spi = Bytes(4);
    PutU32(offered_.spi.data(), spiIn_);
    tsi_ = HostSelector(sa.local.address, c.protocol, c.localPorts);
    tsr_ = HostSelector(sa.remote.address, c.protocol, c.remotePorts);
    transport_ = !c.tunnel;
    AppendChildPayloads(offered_, out);
  }

  TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) override {
    transport_ = FindNotify(in, NotifyType::kUseTransportMode) != nullptr;
    const auto* tsi = BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsi));
    const auto* tsr = BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsr));
    // RFC 7296 §2.23.1: an initiator behind a NAT names its inside address
    // in TSi; it is matched as the address the IKE SA sees (and echoed as sent).
    std::optional<TsPayload> tsiSeen;
    if (tsi && sa.natDetectedRemote && tsi->selectors.size() == 1) {
      tsiSeen = *tsi;
      tsiSeen->selectors[0].startAddress = tsiSeen->selectors[0].endAddress = sa.remote.address;
    }
    const ConnectionConfig* connection = nullptr;
    bool otherMode = false;
    for (const ConnectionConfig* c : sa.candidates) {
      if (c->tunnel == transport_) {
        otherMode = true;
        continue;
      }
      if (IsExactly(tsiSeen ? &*tsiSeen : tsi,
                    HostSelector(sa.remote.address, c->protocol, c->remotePorts)) &&
          IsExactly(tsr, HostSelector(sa.local.address, c->protocol, c->localPorts))) {
        connection = c;
        break;
      }
    }
    if (!connection && otherMode)
      return FailTask(sa, NotifyType::kNoProposalChosen,
                      transport_ ? "peer asked for transport mode, the connection is tunnel"
                                 : "peer asked for tunnel mode, the connection is transport");
    if (!connection)
      return FailTask(sa, NotifyType::kTsUnacceptable, "no connection for the traffic selectors");
    const auto* offered = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    std::optional<Proposal> chosen;
    if (offered) chosen = SelectProposal(*offered, connection->espProposal);
    if (!chosen || chosen->spi.size() != 4)
      return FailTask(sa, NotifyType::kNoProposalChosen, "no acceptable ESP proposal");
    sa.connection = connection;
    tsi_ = tsi->selectors[0];
    tsr_ = tsr->selectors[0];
    spiIn_ = sa.env->AllocateChildSpi();
    const uint32_t spiOut = GetU32(chosen->spi.data());
    offered_ = *chosen;
    PutU32(offered_.spi.data(), spiIn_);
    // The responder's inbound SA is the one whose SPI it chose.
    const ChildSaKeymat keymat = DeriveChildSaKeymat(sa.keys->skD, sa.nonceI, sa.nonceR);
    sa.child = ChildSaResult{connection, spiIn_, spiOut, keymat.initiatorToResponder,
                             keymat.responderToInitiator};
    sa.events.children.push_back(*sa.child);
    return TaskResult::kDone;
  }

  void BuildResponse(IkeSaContext&, std::vector<Payload>& out) override {
    AppendChildPayloads(offered_, out);
  }

  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>& in) override {
    if (const NotifyPayload* error = FindErrorNotify(in))
      return FailTask(sa, NotifyType(error->type), "peer refused the Child SA");
    if ((FindNotify(in, NotifyType::kUseTransportMode) != nullptr) != transport_)
      return FailTask(sa, NotifyType::kNoProposalChosen,
                      transport_ ? "peer did not accept transport mode"
                                 : "peer answered tunnel mode with transport mode");
    const auto* answer = BodyOf<SaPayload>(FindPayload(in, PayloadType::kSa));
    if (!answer || answer->proposals.size() != 1 || answer->proposals[0].spi.size() != 4 ||
        !IsValidChoice(answer->proposals[0], SaPayload{{offered_}}))
      return FailTask(sa, NotifyType::kNoProposalChosen, "peer chose no offered ESP proposal");
    if (!IsExactly(BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsi)), tsi_) ||
        !IsExactly(BodyOf<TsPayload>(FindPayload(in, PayloadType::kTsr)), tsr_))
      return FailTask(sa, NotifyType::kTsUnacceptable, "peer changed the traffic selectors");
    const uint32_t spiOut = GetU32(answer->proposals[0].spi.data());
    const ChildSaKeymat keymat = DeriveChildSaKeymat(sa.keys->skD, sa.nonceI, sa.nonceR);
    sa.child = ChildSaResult{sa.connection, spiIn_, spiOut, keymat.responderToInitiator,
                             keymat.initiatorToResponder};
    sa.child->initiatedHere = true;
    sa.events.children.push_back(*sa.child);
    return TaskResult::kDone;
  }

 private:
  void AppendChildPayloads(const Proposal& proposal, std::vector<Payload>& out) const {
    if (transport_) out.push_back(MakeNotify(NotifyType::kUseTransportMode));
    out.push_back({PayloadType::kSa, false, SaPayload{{proposal}}});
    out.push_back({PayloadType::kTsi, false, TsPayload{{tsi_}}});
    out.push_back({PayloadType::kTsr, false, TsPayload{{tsr_}}});
  }

  uint32_t spiIn_ = 0;
  bool transport_ = true;  // the mode asked for
  Proposal offered_;       // initiator: what it offered; responder: what it answers
  TrafficSelector tsi_;
  TrafficSelector tsr_;
};

}  // namespace

std::unique_ptr<IkeTask> MakeChildCreateTask() { return std::make_unique<ChildCreateTask>(); }

}  // namespace ipsecsim::ike
