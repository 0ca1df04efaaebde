#include "message_window.h"

namespace ipsecsim::ike {

void MessageWindow::RequestSent(Bytes datagram) {
  request_ = std::move(datagram);
  outstanding_ = true;
}

void MessageWindow::ResponseReceived() {
  outstanding_ = false;
  // clear() would keep the buffer: an IKE_AUTH request with its certificate
  // would stay allocated for the whole life of the IKE SA.
  Bytes().swap(request_);
  ++nextRequestId_;
}

MessageWindow::RequestKind MessageWindow::Classify(uint32_t requestId) const {
  if (requestId == expectedPeerId_) return RequestKind::kNew;
  if (answeredAny_ && requestId + 1 == expectedPeerId_) return RequestKind::kRetransmission;
  return RequestKind::kOutOfWindow;
}

void MessageWindow::ResponseSent(uint32_t requestId, Bytes datagram) {
  response_ = std::move(datagram);
  expectedPeerId_ = requestId + 1;
  answeredAny_ = true;
}

}  // namespace ipsecsim::ike
