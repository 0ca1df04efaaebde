#include "ike_sa.h"

#include "ike_tasks.h"

namespace ipsecsim::ike {

const char* IkeSaStateName(IkeSaState state) {
  switch (state) {
    case IkeSaState::kConnecting:
      return "connecting";
    case IkeSaState::kEstablished:
      return "established";
    case IkeSaState::kFailed:
      return "failed";
  }
  return "?";
}

IkeSa::IkeSa(IkeSaEnvironment* env, bool initiator, uint64_t spiI, uint64_t spiR, Endpoint local,
             Endpoint remote) {
  ctx_.env = env;
  ctx_.initiator = initiator;
  ctx_.spiI = spiI;
  ctx_.spiR = spiR;
  ctx_.local = local;
  ctx_.remote = remote;
}

std::unique_ptr<IkeSa> IkeSa::NewInitiator(IkeSaEnvironment* env,
                                           const ConnectionConfig* connection, uint64_t spiI,
                                           Endpoint local, Endpoint remote) {
  std::unique_ptr<IkeSa> sa(new IkeSa(env, true, spiI, 0, local, remote));
  sa->ctx_.connection = connection;
  return sa;
}

std::unique_ptr<IkeSa> IkeSa::NewResponder(IkeSaEnvironment* env, uint64_t spiI, uint64_t spiR,
                                           Endpoint local, Endpoint remote) {
  return std::unique_ptr<IkeSa>(new IkeSa(env, false, spiI, spiR, local, remote));
}

std::unique_ptr<IkeSa> IkeSa::FromRekey(const IkeSa& old, const IkeSaEvents::IkeRekey& rekey) {
  const IkeSaContext& o = old.ctx_;
  std::unique_ptr<IkeSa> sa(
      new IkeSa(o.env, rekey.initiatedHere, rekey.spiI, rekey.spiR, o.local, o.remote));
  IkeSaContext& c = sa->ctx_;
  c.connection = o.connection;
  c.candidates = o.candidates;
  c.peerId = o.peerId;
  c.natDetectedLocal = o.natDetectedLocal;
  c.natDetectedRemote = o.natDetectedRemote;
  c.nonceI = rekey.nonceI;
  c.nonceR = rekey.nonceR;
  c.keys = rekey.keys;
  sa->state_ = IkeSaState::kEstablished;
  return sa;
}

void IkeSa::MoveQueueTo(IkeSa& successor) {
  for (Exchange& exchange : queued_) successor.queued_.push_back(std::move(exchange));
  queued_.clear();
}

void IkeSa::QueueInitialExchanges() {
  Exchange init{ExchangeType::kIkeSaInit, {}};
  init.tasks.push_back(MakeIkeInitTask());
  queued_.push_back(std::move(init));
  Exchange auth{ExchangeType::kIkeAuth, {}};
  auth.tasks.push_back(MakeIkeAuthTask());
  auth.tasks.push_back(MakeChildCreateTask());
  queued_.push_back(std::move(auth));
}

void IkeSa::Queue(ExchangeType type, std::vector<std::unique_ptr<IkeTask>> tasks) {
  queued_.push_back(Exchange{type, std::move(tasks)});
}

IkeSa::Exchange IkeSa::ResponderExchange(ExchangeType type, const std::vector<Payload>& request) {
  Exchange exchange{type, {}};
  switch (type) {
    case ExchangeType::kIkeSaInit:
      exchange.tasks.push_back(MakeIkeInitTask());
      break;
    case ExchangeType::kIkeAuth:
      exchange.tasks.push_back(MakeIkeAuthTask());
      exchange.tasks.push_back(MakeChildCreateTask());
      break;
    case ExchangeType::kCreateChildSa:
      exchange.tasks.push_back(RekeysIkeSa(request) ? MakeIkeRekeyTask()
                                                    : MakeChildRekeyResponderTask());
      break;
    case ExchangeType::kInformational:
      exchange.tasks.push_back(MakeInformationalResponderTask());
      break;
  }
  return exchange;
}

// Whether a new request of this type may arrive now: IKE_SA_INIT and IKE_AUTH
// only from the original initiator while connecting, the others once the SA
// is established.
bool IkeSa::AcceptsRequest(const IkeHeader& h) const {
  switch (h.exchange) {
    case ExchangeType::kIkeSaInit:
      return !ctx_.initiator && h.messageId == 0 && state_ == IkeSaState::kConnecting;
    case ExchangeType::kIkeAuth:
      return !ctx_.initiator && h.messageId == 1 && state_ == IkeSaState::kConnecting;
    default:
      return state_ == IkeSaState::kEstablished;
  }
}

bool IkeSa::LaterExchange(ExchangeType type) {
  return type == ExchangeType::kCreateChildSa || type == ExchangeType::kInformational;
}

std::optional<ExchangeType> IkeSa::OutstandingExchange() const {
  if (!active_) return std::nullopt;
  return active_->type;
}

std::optional<Bytes> IkeSa::NextRequest() {
  if (state_ == IkeSaState::kFailed || window_.RequestOutstanding() || queued_.empty())
    return std::nullopt;
  active_ = std::move(queued_.front());
  queued_.erase(queued_.begin());
  if (queued_.empty()) queued_.shrink_to_fit();
  std::vector<Payload> payloads;
  for (auto& task : active_->tasks) task->BuildRequest(ctx_, payloads);
  IkeHeader header;
  header.spiI = ctx_.spiI;
  header.spiR = ctx_.spiR;
  header.exchange = active_->type;
  header.flags = ctx_.initiator ? header_flags::kInitiator : 0;
  header.messageId = window_.NextRequestId();
  Bytes datagram = Encode(header, payloads);
  if (active_->type == ExchangeType::kIkeSaInit) ctx_.initRequest = datagram;
  window_.RequestSent(datagram);
  return datagram;
}

IkeSa::Reception IkeSa::Receive(const Bytes& datagram, const IkeMessage& message) {
  return message.header.IsResponse() ? ReceiveResponse(datagram, message)
                                     : ReceiveRequest(datagram, message);
}

IkeSa::Reception IkeSa::ReceiveResponse(const Bytes& datagram, const IkeMessage& message) {
  Reception r;
  const IkeHeader& h = message.header;
  if (!window_.MatchesOutstanding(h.messageId) || !active_ || active_->type != h.exchange) {
    r.dropReason = "response to no outstanding request";
    return r;
  }
  if (h.exchange == ExchangeType::kIkeSaInit) ctx_.spiR = h.spiR;
  auto payloads = Payloads(datagram, message, &r.dropReason);
  if (!payloads) return r;
  if (h.exchange == ExchangeType::kIkeSaInit) ctx_.initResponse = datagram;
  r.accepted = true;
  window_.ResponseReceived();
  Exchange exchange = std::move(*active_);
  active_.reset();
  if (LaterExchange(h.exchange)) ResetError();
  for (auto& task : exchange.tasks) {
    const TaskResult result = task->ProcessResponse(ctx_, *payloads);
    TaskFinished(*task, result);
    if (result == TaskResult::kFailed) break;
  }
  if (state_ == IkeSaState::kFailed) queued_.clear();
  ForgetNegotiation();
  return r;
}

IkeSa::Reception IkeSa::ReceiveRequest(const Bytes& datagram, const IkeMessage& message) {
  Reception r;
  const IkeHeader& h = message.header;
  switch (window_.Classify(h.messageId)) {
    case MessageWindow::RequestKind::kRetransmission:
      r.accepted = true;
      r.replayedResponse = true;
      r.reply = window_.LastResponse();
      return r;
    case MessageWindow::RequestKind::kOutOfWindow:
      r.dropReason = "request outside the window";
      return r;
    case MessageWindow::RequestKind::kNew:
      break;
  }
  const bool first = h.exchange == ExchangeType::kIkeSaInit;
  if (!AcceptsRequest(h)) {
    r.dropReason = "request not expected in this state";
    return r;
  }
  auto payloads = Payloads(datagram, message, &r.dropReason);
  if (!payloads) return r;
  Exchange exchange = ResponderExchange(h.exchange, *payloads);
  if (exchange.tasks.empty()) {
    r.dropReason = "exchange type not supported";
    return r;
  }
  if (first) ctx_.initRequest = datagram;
  r.accepted = true;
  if (LaterExchange(h.exchange)) ResetError();

  size_t succeeded = 0;
  for (auto& task : exchange.tasks) {
    const TaskResult result = task->ProcessRequest(ctx_, *payloads);
    TaskFinished(*task, result);
    if (result == TaskResult::kFailed) break;
    ++succeeded;
  }
  std::vector<Payload> out;
  for (size_t i = 0; i < succeeded; ++i) exchange.tasks[i]->BuildResponse(ctx_, out);
  if (succeeded < exchange.tasks.size()) out.push_back(MakeNotify(*ctx_.errorNotify));

  IkeHeader header;
  header.spiI = ctx_.spiI;
  // A refused IKE_SA_INIT creates no state on the responder: SPIr stays 0.
  header.spiR = (first && state_ == IkeSaState::kFailed) ? 0 : ctx_.spiR;
  header.exchange = h.exchange;
  header.flags = header_flags::kResponse | (ctx_.initiator ? header_flags::kInitiator : 0);
  header.messageId = h.messageId;
  Bytes reply = Encode(header, out);
  if (first) ctx_.initResponse = reply;
  window_.ResponseSent(h.messageId, reply);
  r.reply = std::move(reply);
  ForgetNegotiation();
  return r;
}

void IkeSa::ForgetNegotiation() {
  if (state_ != IkeSaState::kEstablished) return;
  // A retransmitted IKE_AUTH is answered from the window, so nothing signs
  // or checks the AUTH octets again, and the keys derive from SK_d onwards.
  IkeSaContext& c = ctx_;
  c.offeredIkeSa = SaPayload{};
  c.dh.reset();
  Bytes().swap(c.initRequest);
  Bytes().swap(c.initResponse);
  if (!c.keys) return;
  // Later exchanges derive from SK_d alone; SK_p signed AUTH, and SK_e
  // keyed the ciphers, once they exist.
  Bytes().swap(c.keys->skeyseed);
  Bytes().swap(c.keys->skPi);
  Bytes().swap(c.keys->skPr);
  if (!sealer_ || !opener_) return;
  Bytes().swap(c.keys->skEi);
  Bytes().swap(c.keys->skEr);
}

void IkeSa::TaskFinished(const IkeTask& task, TaskResult result) {
  if (result == TaskResult::kFailed) {
    if (task.Essential()) state_ = IkeSaState::kFailed;
    return;
  }
  if (std::string(task.Name()) == "ike-auth") state_ = IkeSaState::kEstablished;
}

std::optional<std::vector<Payload>> IkeSa::Payloads(const Bytes& datagram,
                                                    const IkeMessage& message, std::string* error) {
  if (message.header.exchange == ExchangeType::kIkeSaInit) return message.payloads;
  if (!MakeCiphers()) {
    *error = "encrypted message before the keys exist";
    return std::nullopt;
  }
  const auto* sk = message.payloads.empty()
                       ? nullptr
                       : std::get_if<EncryptedPayload>(&message.payloads.back().body);
  if (!sk) {
    *error = "no SK payload";
    return std::nullopt;
  }
  auto opened = opener_->Open(datagram, *sk);
  if (!opened.Ok()) {
    *error = "SK payload: " + opened.Error().ToString();
    return std::nullopt;
  }
  return std::move(opened.Value());
}

Bytes IkeSa::Encode(IkeHeader header, const std::vector<Payload>& payloads) {
  if (header.exchange == ExchangeType::kIkeSaInit) return EncodeMessage({header, payloads});
  MakeCiphers();
  return sealer_->Seal(header, {}, payloads, ivCounter_++);
}

bool IkeSa::MakeCiphers() {
  if (sealer_) return true;
  if (!ctx_.keys) return false;
  std::string error;
  const Bytes& own = ctx_.initiator ? ctx_.keys->skEi : ctx_.keys->skEr;
  const Bytes& peer = ctx_.initiator ? ctx_.keys->skEr : ctx_.keys->skEi;
  sealer_ = SkCipher::FromKeymat(own, &error);
  opener_ = SkCipher::FromKeymat(peer, &error);
  return sealer_ && opener_;
}

void IkeSa::ResetError() {
  ctx_.errorNotify.reset();
  ctx_.failure.clear();
}

IkeSaEvents IkeSa::TakeEvents() {
  IkeSaEvents events = std::move(ctx_.events);
  ctx_.events = IkeSaEvents{};
  return events;
}

std::optional<ChildSaResult> IkeSa::TakeNewChild() {
  if (!ctx_.child || childHandedOut_) return std::nullopt;
  childHandedOut_ = true;
  return ctx_.child;
}

}  // namespace ipsecsim::ike
