// One step of an exchange, in strongSwan's task style: the initiator builds
// its part of a request and processes the response; the responder processes
// the request and builds its part of the response. An exchange is a list of
// tasks run in order over one message pair.
#pragma once

#include <vector>

#include "ike_sa_context.h"
#include "payloads.h"

namespace ipsecsim::ike {

enum class TaskResult { kDone, kFailed };

class IkeTask {
 public:
  virtual ~IkeTask() = default;
  virtual const char* Name() const = 0;
  // A non-essential task's failure leaves the IKE SA up (a Child SA that
  // could not be made); an essential one's fails the IKE SA.
  virtual bool Essential() const { return true; }
  // initiator
  virtual void BuildRequest(IkeSaContext& sa, std::vector<Payload>& out) = 0;
  virtual TaskResult ProcessResponse(IkeSaContext& sa, const std::vector<Payload>& in) = 0;
  // responder; on kFailed the task has called sa.Fail with the notify to send
  virtual TaskResult ProcessRequest(IkeSaContext& sa, const std::vector<Payload>& in) = 0;
  virtual void BuildResponse(IkeSaContext& sa, std::vector<Payload>& out) = 0;
};

}  // namespace ipsecsim::ike
