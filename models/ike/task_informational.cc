// INFORMATIONAL exchanges (RFC 7296 §1.4, §1.5): Delete of Child SAs (each
// side names the SPIs it receives on) or of the IKE SA itself, and the empty
// request that checks the peer is alive.
#include "ike_tasks.h"

namespace ipsecsim::ike {
namespace {

Bytes SpiBytes(uint32_t spi) {
  Bytes b(4);
  PutU32(b.data(), spi);
  return b;
}

std::vector<const DeletePayload*> Deletes(const std::vector<Payload>& in) {
  std::vector<const DeletePayload*> found;
  for (const Payload& p : in)
    if (const auto* d = std::get_if<DeletePayload>(&p.body)) found.push_back(d);
  return found;
}

// Initiator: deletes our Child SAs (by their inbound SPIs) or the IKE SA.
class DeleteTask : public IkeTask {
 public:
  explicit DeleteTask(std::vector<uint32_t> inboundSpis) : spis_(std::move(inboundSpis)) {}
  const char* Name() const override { return spis_.empty() ? "ike-delete" : "child-delete"; }
  bool Essential() const override { return false; }

  void BuildRequest(IkeSaContext&, std::vector<Payload>& out) override {
    DeletePayload d;
    if (spis_.empty()) {
      d.protocol = ProtocolId::kIke;
      d.spiSize = 0;
    } else {
      for (uint32_t spi : spis_) d.spis.push_back(SpiBytes(spi));
    }
    out.push_back({PayloadType::kDelete, false, d});
  }
  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>&) override {
    if (spis_.empty())
      sa.events.ikeSaDeleteConfirmed = true;
    else
      for (uint32_t spi : spis_) sa.events.deleteConfirmed.push_back(spi);
    return TaskResult::kDone;
  }
  TaskResult ProcessRequest(IkeSaContext&, const std::vector<Payload>&) override {
    return TaskResult::kDone;
  }
  void BuildResponse(IkeSaContext&, std::vector<Payload>&) override {}

 private:
  std::vector<uint32_t> spis_;
};

class LivenessTask : public IkeTask {
 public:
  const char* Name() const override { return "liveness"; }
  bool Essential() const override { return false; }
  void BuildRequest(IkeSaContext&, std::vector<Payload>&) override {}
  TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>&) override {
    sa.events.livenessAnswered = true;
    return TaskResult::kDone;
  }
  TaskResult ProcessRequest(IkeSaContext&, const std::vector<Payload>&) override {
    return TaskResult::kDone;
  }
  void BuildResponse(IkeSaContext&, std::vector<Payload>&) override {}
};

// Responder to any INFORMATIONAL request: deletes what it names and answers
// with the SPIs of the inbound twins; an empty request is a liveness check.
class InformationalResponderTask : public IkeTask {
 public:
  const char* Name() const override { return "informational"; }
  bool Essential() const override { return false; }
  void BuildRequest(IkeSaContext&, std::vector<Payload>&) override {}
  TaskResult ProcessResponse(IkeSaContext&, const std::vector<Payload>&) override {
    return TaskResult::kDone;
  }

  TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) override {
    for (const DeletePayload* d : Deletes(in)) {
      if (d->protocol == ProtocolId::kIke) {
        sa.events.ikeSaDeletedByPeer = true;
        continue;
      }
      if (d->protocol != ProtocolId::kEsp) continue;
      for (const Bytes& spi : d->spis) {
        if (spi.size() != 4) continue;
        const uint32_t spiOut = GetU32(spi.data());
        if (const ChildSaResult* child = sa.env->ChildByOutboundSpi(spiOut)) {
          sa.events.deletedByPeer.push_back(spiOut);
          twins_.push_back(child->spiIn);
        }
      }
    }
    return TaskResult::kDone;
  }

  void BuildResponse(IkeSaContext& sa, std::vector<Payload>& out) override {
    if (sa.events.ikeSaDeletedByPeer || twins_.empty()) return;
    DeletePayload d;
    for (uint32_t spi : twins_) d.spis.push_back(SpiBytes(spi));
    out.push_back({PayloadType::kDelete, false, d});
  }

 private:
  std::vector<uint32_t> twins_;
};

}  // namespace

std::unique_ptr<IkeTask> MakeChildDeleteTask(std::vector<uint32_t> inboundSpis) {
  return std::make_unique<DeleteTask>(std::move(inboundSpis));
}
std::unique_ptr<IkeTask> MakeIkeDeleteTask() {
  return std::make_unique<DeleteTask>(std::vector<uint32_t>{});
}
std::unique_ptr<IkeTask> MakeLivenessTask() { return std::make_unique<LivenessTask>(); }
std::unique_ptr<IkeTask> MakeInformationalResponderTask() {
  return std::make_unique<InformationalResponderTask>();
}

}  // namespace ipsecsim::ike
