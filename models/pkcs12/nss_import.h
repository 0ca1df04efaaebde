// The nicknames an NSS database ends up with when certutil and pk12util
// import into it, as NSS decides them:
//   pk12util -i (lib/pkcs12/p12d.c sec_pkcs12_validate_cert_nickname):
//     1. a certificate with the same subject is already in the database:
//        its nickname is reused, whatever the bundle says;
//     2. else the bundle's friendlyName, when no certificate has it yet;
//     3. else pk12util's P12U_NicknameCollisionCallback (cmd/pk12util/pk12util.c)
//        takes CERT_MakeCANickname (lib/certdb/certdb.c): "<CN> - <issuer O>",
//        issuer DC when there is no O, the CN alone when there is neither,
//        with " #2", " #3", ... until unused; a name equal to the bundle's
//        refused one fails the import.
//   certutil -A -n NAME: the certificate under NAME.
//   certutil -M -n NAME: fails with `could not find certificate named "NAME"`
//     unless a certificate has that nickname (cmd/certutil/certutil.c).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bundle_identity.h"

namespace ipsecsim::pkcs12 {

struct NssEntry {
  std::string nickname;
  Bytes subject;  // DER
  bool hasKey = false;
};

class NssDatabase {
 public:
  const NssEntry* ByNickname(const std::string& nickname) const;
  const NssEntry* BySubject(const Bytes& subject) const;
  void Add(NssEntry entry) { entries_.push_back(std::move(entry)); }
  const std::vector<NssEntry>& Entries() const { return entries_; }

 private:
  std::vector<NssEntry> entries_;
};

struct NicknameChoice {
  enum class Rule { kExistingSubject, kFriendlyName, kGenerated, kFailed };
  Rule rule = Rule::kFailed;
  std::string nickname;
  std::string output;  // what pk12util prints about it
};

// CERT_MakeCANickname for a certificate with these names, against `db`.
std::string MakeCaNickname(const NssDatabase& db, const NameAttributes& subject,
                           const NameAttributes& issuer);

NicknameChoice ChooseImportNickname(const NssDatabase& db, const BundleIdentity& bundle);

// `pk12util -i`: the leaf (with its key) and the bundle's other certificates.
NicknameChoice ImportBundle(NssDatabase& db, const BundleIdentity& bundle);

// `certutil -M -n NAME`; the error certutil prints, or nullopt on success.
std::optional<std::string> ModifyTrust(const NssDatabase& db, const std::string& nickname);

const char* RuleName(NicknameChoice::Rule rule);

}  // namespace ipsecsim::pkcs12
