// Body encoders and parsers, one per payload family. A body is the payload
// without its 4-byte generic header; ike_message.cc handles the chaining.
#pragma once

#include "payloads.h"
#include "wire_reader.h"

namespace ipsecsim::ike {

// payload_sa.cc
void EncodeBody(const SaPayload& sa, WireWriter& w);
bool ParseBody(WireReader& r, SaPayload* out, ParseError* error);

// payload_exchange.cc: KE, Nonce, Notify, Delete
void EncodeBody(const KePayload& ke, WireWriter& w);
bool ParseBody(WireReader& r, KePayload* out, ParseError* error);
void EncodeBody(const NoncePayload& nonce, WireWriter& w);
bool ParseBody(WireReader& r, NoncePayload* out, ParseError* error);
void EncodeBody(const NotifyPayload& notify, WireWriter& w);
bool ParseBody(WireReader& r, NotifyPayload* out, ParseError* error);
void EncodeBody(const DeletePayload& del, WireWriter& w);
bool ParseBody(WireReader& r, DeletePayload* out, ParseError* error);

// payload_identity.cc: ID, CERT, AUTH
void EncodeBody(const IdPayload& id, WireWriter& w);
bool ParseBody(WireReader& r, IdPayload* out, ParseError* error);
void EncodeBody(const CertPayload& cert, WireWriter& w);
bool ParseBody(WireReader& r, CertPayload* out, ParseError* error);
void EncodeBody(const AuthPayload& auth, WireWriter& w);
bool ParseBody(WireReader& r, AuthPayload* out, ParseError* error);

// payload_ts.cc
void EncodeBody(const TsPayload& ts, WireWriter& w);
bool ParseBody(WireReader& r, TsPayload* out, ParseError* error);

// encrypted_payload.cc (the body as it sits on the wire; no crypto here)
void EncodeBody(const EncryptedPayload& sk, WireWriter& w);
bool ParseBody(WireReader& r, EncryptedPayload* out, ParseError* error);

inline void EncodeBody(const OpaquePayload& opaque, WireWriter& w) { w.Append(opaque.body); }

// The ID payload body after the generic header (IDType, RESERVED, data):
// the "RestOfInitIDPayload" that AUTH covers (RFC 7296 §2.15).
Bytes EncodeIdBody(const IdPayload& id);

}  // namespace ipsecsim::ike
