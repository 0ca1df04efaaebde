// One IKE SA: the exchanges queued on it, their message flow (message IDs
// through MessageWindow, SK encryption, error responses) and its state. The
// tasks (ike_tasks.h) do the protocol work; the daemon owns sockets, timers,
// retransmission and the kernel (xfrm) side. No ns-3 in here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "encrypted_payload.h"
#include "ike_message.h"
#include "ike_sa_context.h"
#include "ike_task.h"
#include "message_window.h"

namespace ipsecsim::ike {

enum class IkeSaState { kConnecting, kEstablished, kFailed };
const char* IkeSaStateName(IkeSaState state);

class IkeSa {
 public:
  static std::unique_ptr<IkeSa> NewInitiator(IkeSaEnvironment* env,
                                             const ConnectionConfig* connection, uint64_t spiI,
                                             Endpoint local, Endpoint remote);
  static std::unique_ptr<IkeSa> NewResponder(IkeSaEnvironment* env, uint64_t spiI, uint64_t spiR,
                                             Endpoint local, Endpoint remote);
  // The IKE SA that `rekey` made from `old` (RFC 7296 §2.18): established,
  // the same peer, endpoints and identities, new SPIs and keys, message IDs
  // from 0; its initiator is the node that initiated the rekey.
  static std::unique_ptr<IkeSa> FromRekey(const IkeSa& old, const IkeSaEvents::IkeRekey& rekey);

  // Initiator: queues IKE_SA_INIT, then IKE_AUTH with the first Child SA.
  void QueueInitialExchanges();
  // Queues another exchange (CREATE_CHILD_SA, INFORMATIONAL) on an
  // established SA; either end may do so.
  void Queue(ExchangeType type, std::vector<std::unique_ptr<IkeTask>> tasks);
  // Nothing outstanding and nothing queued.
  bool Idle() const { return !window_.RequestOutstanding() && queued_.empty(); }
  // Drops what is queued (the SA is about to go away).
  void ClearQueue() { queued_.clear(); }
  // Hands what is queued to `successor` (after an IKE SA rekey).
  void MoveQueueTo(IkeSa& successor);

  // The next request to send: when an exchange is queued, none is
  // outstanding and the SA has not failed.
  std::optional<Bytes> NextRequest();

  struct Reception {
    bool accepted = false;  // false: dropped, see dropReason
    std::string dropReason;
    std::optional<Bytes> reply;     // a response to send back
    bool replayedResponse = false;  // reply is the stored answer to a retransmitted request
  };
  // A datagram whose SPIs designate this SA, already parsed.
  Reception Receive(const Bytes& datagram, const IkeMessage& message);

  // The Child SA negotiated by the last exchange, handed out once.
  std::optional<ChildSaResult> TakeNewChild();
  // What the last message did that the daemon must act on, handed out once.
  IkeSaEvents TakeEvents();

  IkeSaState State() const { return state_; }
  const IkeSaContext& Context() const { return ctx_; }
  const MessageWindow& Window() const { return window_; }
  std::optional<ExchangeType> OutstandingExchange() const;
  uint64_t LocalSpi() const { return ctx_.initiator ? ctx_.spiI : ctx_.spiR; }
  // NAT traversal: the IKE SA moved to UDP 4500, or the peer's NAT mapping changed.
  void MoveEndpoints(Endpoint local, Endpoint remote) {
    ctx_.local = local;
    ctx_.remote = remote;
  }

 private:
  struct Exchange {
    ExchangeType type;
    std::vector<std::unique_ptr<IkeTask>> tasks;
  };

  IkeSa(IkeSaEnvironment* env, bool initiator, uint64_t spiI, uint64_t spiR, Endpoint local,
        Endpoint remote);
  static Exchange ResponderExchange(ExchangeType type, const std::vector<Payload>& request);
  static bool LaterExchange(ExchangeType type);
  bool AcceptsRequest(const IkeHeader& header) const;
  void ResetError();
  Reception ReceiveRequest(const Bytes& datagram, const IkeMessage& message);
  Reception ReceiveResponse(const Bytes& datagram, const IkeMessage& message);
  // The payloads of a message: clear for IKE_SA_INIT, else the opened SK.
  std::optional<std::vector<Payload>> Payloads(const Bytes& datagram, const IkeMessage& message,
                                               std::string* error);
  Bytes Encode(IkeHeader header, const std::vector<Payload>& payloads);
  bool MakeCiphers();
  void TaskFinished(const IkeTask& task, TaskResult result);
  // Once established: drops what only IKE_SA_INIT and IKE_AUTH needed.
  void ForgetNegotiation();

  IkeSaContext ctx_;
  IkeSaState state_ = IkeSaState::kConnecting;
  MessageWindow window_;
  // Not a std::deque: libstdc++ gives an empty one a 512-byte node and its
  // map, and this queue is empty for most of an IKE SA's life.
  std::vector<Exchange> queued_;
  std::optional<Exchange> active_;
  std::unique_ptr<SkCipher> sealer_;  // our SK_e
  std::unique_ptr<SkCipher> opener_;  // the peer's SK_e
  uint64_t ivCounter_ = 0;
  bool childHandedOut_ = false;
};

}  // namespace ipsecsim::ike
