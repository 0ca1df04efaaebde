// SA payload: proposals, transforms and transform attributes (RFC 7296 §3.3).
#include "payload_codec.h"

namespace ipsecsim::ike {

namespace {

constexpr uint8_t kLastSubstructure = 0;
constexpr uint8_t kMoreProposals = 2;
constexpr uint8_t kMoreTransforms = 3;
constexpr uint16_t kAttributeFormatTv = 0x8000;
constexpr size_t kProposalHeaderLen = 8;
constexpr size_t kTransformHeaderLen = 8;

void EncodeAttribute(const TransformAttribute& a, WireWriter& w) {
  if (a.shortForm) {
    w.U16(kAttributeFormatTv | a.type);
    w.U16(a.shortValue);
  } else {
    w.U16(a.type & 0x7fff);
    w.U16(uint16_t(a.longValue.size()));
    w.Append(a.longValue);
  }
}

void EncodeTransform(const Transform& t, bool last, WireWriter& w) {
  const size_t start = w.Size();
  w.U8(last ? kLastSubstructure : kMoreTransforms);
  w.U8(0);
  w.U16(0);  // length, patched below
  w.U8(uint8_t(t.type));
  w.U8(0);
  w.U16(t.id);
  for (const auto& a : t.attributes) EncodeAttribute(a, w);
  w.PatchU16(start + 2, uint16_t(w.Size() - start));
}

void EncodeProposal(const Proposal& p, bool last, WireWriter& w) {
  const size_t start = w.Size();
  w.U8(last ? kLastSubstructure : kMoreProposals);
  w.U8(0);
  w.U16(0);
  w.U8(p.number);
  w.U8(uint8_t(p.protocol));
  w.U8(uint8_t(p.spi.size()));
  w.U8(uint8_t(p.transforms.size()));
  w.Append(p.spi);
  for (size_t i = 0; i < p.transforms.size(); ++i)
    EncodeTransform(p.transforms[i], i + 1 == p.transforms.size(), w);
  w.PatchU16(start + 2, uint16_t(w.Size() - start));
}

bool ParseAttribute(WireReader& r, TransformAttribute* out, ParseError* error) {
  uint16_t typeField = 0;
  if (!r.U16("transform attribute type", &typeField, error)) return false;
  out->type = typeField & 0x7fff;
  out->shortForm = (typeField & kAttributeFormatTv) != 0;
  if (out->shortForm) return r.U16("transform attribute value", &out->shortValue, error);
  uint16_t len = 0;
  if (!r.U16("transform attribute length", &len, error)) return false;
  return r.Take("transform attribute value", len, &out->longValue, error);
}

// Reads the substructure's 4-byte lead-in and returns a reader over the whole
// substructure body after it.
bool ParseSubstructureHeader(WireReader& r, const char* what, size_t minLen, uint8_t moreValue,
                             bool* last, WireReader* body, ParseError* error) {
  const size_t at = r.Offset();
  uint8_t lastOrMore = 0, reserved = 0;
  uint16_t length = 0;
  if (!r.U8((std::string(what) + " last/more").c_str(), &lastOrMore, error) ||
      !r.U8((std::string(what) + " reserved").c_str(), &reserved, error) ||
      !r.U16((std::string(what) + " length").c_str(), &length, error))
    return false;
  if (lastOrMore != kLastSubstructure && lastOrMore != moreValue) {
    *error = ParseError{
        at, std::string(what) + " last/more",
        "value " + std::to_string(lastOrMore) + ", must be 0 or " + std::to_string(moreValue)};
    return false;
  }
  if (length < minLen) {
    *error =
        ParseError{at + 2, std::string(what) + " length",
                   "declares " + std::to_string(length) + ", minimum is " + std::to_string(minLen)};
    return false;
  }
  *last = lastOrMore == kLastSubstructure;
  return r.Sub(what, length - 4, body, error);
}

bool ParseTransform(WireReader& r, bool* last, Transform* out, ParseError* error) {
  WireReader body(nullptr, 0, 0);
  if (!ParseSubstructureHeader(r, "transform", kTransformHeaderLen, kMoreTransforms, last, &body,
                               error))
    return false;
  uint8_t type = 0, reserved = 0;
  if (!body.U8("transform type", &type, error) ||
      !body.U8("transform reserved", &reserved, error) ||
      !body.U16("transform ID", &out->id, error))
    return false;
  out->type = TransformType(type);
  while (!body.AtEnd()) {
    TransformAttribute a;
    if (!ParseAttribute(body, &a, error)) return false;
    out->attributes.push_back(std::move(a));
  }
  return true;
}

bool ParseProposal(WireReader& r, bool* last, Proposal* out, ParseError* error) {
  WireReader body(nullptr, 0, 0);
  if (!ParseSubstructureHeader(r, "proposal", kProposalHeaderLen, kMoreProposals, last, &body,
                               error))
    return false;
  uint8_t protocol = 0, spiSize = 0, transformCount = 0;
  if (!body.U8("proposal number", &out->number, error) ||
      !body.U8("proposal protocol ID", &protocol, error) ||
      !body.U8("proposal SPI size", &spiSize, error) ||
      !body.U8("proposal transform count", &transformCount, error) ||
      !body.Take("proposal SPI", spiSize, &out->spi, error))
    return false;
  out->protocol = ProtocolId(protocol);
  bool lastTransform = transformCount == 0;
  for (unsigned i = 0; i < transformCount; ++i) {
    if (lastTransform) {
      *error = body.ErrorHere("transform", "the previous transform was marked last, " +
                                               std::to_string(transformCount) + " declared");
      return false;
    }
    Transform t;
    if (!ParseTransform(body, &lastTransform, &t, error)) return false;
    out->transforms.push_back(std::move(t));
  }
  if (!lastTransform) {
    *error = body.ErrorHere("end of proposal", "the last transform is marked 'more'");
    return false;
  }
  if (!body.AtEnd()) {
    *error = body.ErrorHere("end of proposal", std::to_string(body.Remaining()) +
                                                   " bytes beyond the declared transforms");
    return false;
  }
  return true;
}

}  // namespace

std::optional<uint16_t> Transform::KeyLength() const {
  for (const auto& a : attributes)
    if (a.type == kAttributeKeyLength && a.shortForm) return a.shortValue;
  return std::nullopt;
}

void EncodeBody(const SaPayload& sa, WireWriter& w) {
  for (size_t i = 0; i < sa.proposals.size(); ++i)
    EncodeProposal(sa.proposals[i], i + 1 == sa.proposals.size(), w);
}

bool ParseBody(WireReader& r, SaPayload* out, ParseError* error) {
  if (r.AtEnd()) {
    *error = r.ErrorHere("proposal", "SA payload has no proposal");
    return false;
  }
  bool last = false;
  while (!last) {
    if (r.AtEnd()) {
      *error = r.ErrorHere("proposal", "the last proposal is marked 'more'");
      return false;
    }
    Proposal p;
    if (!ParseProposal(r, &last, &p, error)) return false;
    out->proposals.push_back(std::move(p));
  }
  if (!r.AtEnd()) {
    *error = r.ErrorHere("end of SA payload",
                         std::to_string(r.Remaining()) + " bytes after the last proposal");
    return false;
  }
  return true;
}

}  // namespace ipsecsim::ike
