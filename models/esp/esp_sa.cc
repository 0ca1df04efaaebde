#include "esp_sa.h"

#include <algorithm>
#include <limits>

namespace ipsecsim::esp {

namespace {
uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
}  // namespace

uint64_t SeqivSalt(uint64_t seed, uint32_t spi, uint64_t destination) {
  return SplitMix64(SplitMix64(SplitMix64(seed) ^ spi) ^ destination);
}

std::unique_ptr<OutboundSa> OutboundSa::Create(const SaConfig& config, std::string* error) {
  auto key = GcmKey::FromKeymat(config.keymat, error);
  if (!key) return nullptr;
  std::unique_ptr<OutboundSa> sa(new OutboundSa());
  sa->config_ = config;
  sa->key_ = std::move(key);
  return sa;
}

bool OutboundSa::Exhausted() const {
  if (config_.esn) return nextSeq_ == 0;  // wrapped past 2^64 - 1
  return nextSeq_ > std::numeric_limits<uint32_t>::max();
}

std::optional<Bytes> OutboundSa::Protect(uint8_t nextHeader, const uint8_t* payload, size_t len) {
  if (Exhausted()) return std::nullopt;
  Bytes out(SealedLength(len));
  if (len) std::copy(payload, payload + len, out.data() + kPayloadOffset);
  ProtectInPlace(nextHeader, out.data(), len);
  return out;
}

std::optional<size_t> OutboundSa::ProtectInPlace(uint8_t nextHeader, uint8_t* packet, size_t len) {
  if (Exhausted()) return std::nullopt;
  const uint64_t seq = nextSeq_++;
  const size_t sealed = key_->SealInPlace(config_.spi, seq, config_.esn, seq ^ config_.ivSalt,
                                          nextHeader, packet, len);
  ++packets_;
  bytes_ += len;
  return sealed;
}

std::unique_ptr<InboundSa> InboundSa::Create(const SaConfig& config, std::string* error) {
  auto key = GcmKey::FromKeymat(config.keymat, error);
  if (!key) return nullptr;
  std::unique_ptr<InboundSa> sa(new InboundSa(config));
  sa->key_ = std::move(key);
  return sa;
}

InboundSa::InPlaceResult InboundSa::Drop(XfrmStat why, XfrmCounters* nodeCounters) {
  counters_.Increment(why);
  if (nodeCounters) nodeCounters->Increment(why);
  InPlaceResult r;
  r.drop = why;
  return r;
}

InboundSa::Result InboundSa::Process(const uint8_t* packet, size_t len,
                                     XfrmCounters* nodeCounters) {
  Result r;
  r.payload.assign(packet, packet + len);
  const InPlaceResult v = ProcessInPlace(r.payload.data(), len, nodeCounters);
  r.ok = v.ok;
  r.drop = v.drop;
  r.nextHeader = v.nextHeader;
  r.seq = v.seq;
  if (v.ok) {
    r.payload.erase(r.payload.begin(), r.payload.begin() + kPayloadOffset);
    r.payload.resize(v.payloadLen);
  } else {
    r.payload.clear();
  }
  return r;
}

InboundSa::InPlaceResult InboundSa::ProcessInPlace(uint8_t* packet, size_t len,
                                                   XfrmCounters* nodeCounters) {
  if (len < kMinPacketLen) return Drop(XfrmStat::kInHdrError, nodeCounters);
  EspHeaderView hdr;
  PeekHeader(packet, len, &hdr);
  if (hdr.spi != config_.spi) return Drop(XfrmStat::kInNoStates, nodeCounters);
  const uint64_t seq = window_.InferSequence(hdr.seqLow, config_.esn);
  if (!window_.Check(seq)) return Drop(XfrmStat::kInStateSeqError, nodeCounters);

  InPlaceResult r;
  auto status = key_->OpenInPlace(packet, len, config_.esn, uint32_t(seq >> 32), &r.payloadLen,
                                  &r.nextHeader);
  if (status != GcmKey::OpenResult::kOk) return Drop(XfrmStat::kInStateProtoError, nodeCounters);
  window_.Accept(seq);
  ++packets_;
  bytes_ += r.payloadLen;
  r.ok = true;
  r.seq = seq;
  return r;
}

}  // namespace ipsecsim::esp
