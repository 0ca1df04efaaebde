// ID, CERT and AUTH payloads (RFC 7296 §3.5, 3.6, 3.8).
#include "payload_codec.h"

namespace ipsecsim::ike {

void EncodeBody(const IdPayload& id, WireWriter& w) {
  w.U8(uint8_t(id.idType));
  w.Zeros(3);
  w.Append(id.data);
}

Bytes EncodeIdBody(const IdPayload& id) {
  WireWriter w;
  EncodeBody(id, w);
  return w.Buffer();
}

bool ParseBody(WireReader& r, IdPayload* out, ParseError* error) {
  uint8_t type = 0;
  Bytes reserved;
  if (!r.U8("ID type", &type, error) || !r.Take("ID reserved", 3, &reserved, error)) return false;
  out->idType = IdType(type);
  if (r.AtEnd()) {
    *error = r.ErrorHere("identification data", "empty");
    return false;
  }
  return r.Take("identification data", r.Remaining(), &out->data, error);
}

void EncodeBody(const CertPayload& cert, WireWriter& w) {
  w.U8(cert.encoding);
  w.Append(cert.data);
}

bool ParseBody(WireReader& r, CertPayload* out, ParseError* error) {
  if (!r.U8("certificate encoding", &out->encoding, error)) return false;
  if (r.AtEnd()) {
    *error = r.ErrorHere("certificate data", "empty");
    return false;
  }
  return r.Take("certificate data", r.Remaining(), &out->data, error);
}

void EncodeBody(const AuthPayload& auth, WireWriter& w) {
  w.U8(auth.method);
  w.Zeros(3);
  w.Append(auth.data);
}

bool ParseBody(WireReader& r, AuthPayload* out, ParseError* error) {
  Bytes reserved;
  if (!r.U8("auth method", &out->method, error) || !r.Take("AUTH reserved", 3, &reserved, error))
    return false;
  if (r.AtEnd()) {
    *error = r.ErrorHere("authentication data", "empty");
    return false;
  }
  return r.Take("authentication data", r.Remaining(), &out->data, error);
}

}  // namespace ipsecsim::ike
