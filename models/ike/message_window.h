// Message IDs of one IKE SA (RFC 7296 §2.1-2.3) with a window of one: the
// only place that decides whether a message is new, a retransmission or out
// of window, and that keeps the datagrams needed to retransmit or to answer
// a retransmitted request. Rekeying and INFORMATIONAL exchanges will use it
// unchanged.
#pragma once

#include <cstdint>

#include "bytes.h"

namespace ipsecsim::ike {

class MessageWindow {
 public:
  // --- as the requester ---
  uint32_t NextRequestId() const { return nextRequestId_; }
  bool RequestOutstanding() const { return outstanding_; }
  void RequestSent(Bytes datagram);  // uses NextRequestId()
  const Bytes& OutstandingRequest() const { return request_; }
  bool MatchesOutstanding(uint32_t responseId) const {
    return outstanding_ && responseId == nextRequestId_;
  }
  void ResponseReceived();  // frees the window, advances the ID

  // --- as the responder ---
  enum class RequestKind { kNew, kRetransmission, kOutOfWindow };
  RequestKind Classify(uint32_t requestId) const;
  void ResponseSent(uint32_t requestId, Bytes datagram);
  const Bytes& LastResponse() const { return response_; }

 private:
  uint32_t nextRequestId_ = 0;
  bool outstanding_ = false;
  Bytes request_;
  uint32_t expectedPeerId_ = 0;
  bool answeredAny_ = false;
  Bytes response_;
};

}  // namespace ipsecsim::ike
