#include "nss_import.h"

namespace ipsecsim::pkcs12 {

const NssEntry* NssDatabase::ByNickname(const std::string& nickname) const {
  for (const NssEntry& e : entries_)
    if (e.nickname == nickname) return &e;
  return nullptr;
}

const NssEntry* NssDatabase::BySubject(const Bytes& subject) const {
  for (const NssEntry& e : entries_)
    if (e.subject == subject) return &e;
  return nullptr;
}

std::string MakeCaNickname(const NssDatabase& db, const NameAttributes& subject,
                           const NameAttributes& issuer) {
  std::string first = !subject.commonName.empty() ? subject.commonName : subject.organizationalUnit;
  std::string org = !issuer.organization.empty() ? issuer.organization : issuer.domainComponent;
  if (org.empty()) {
    org = first.empty() ? "Unknown CA" : first;
    first.clear();
  }
  for (int count = 1;; ++count) {
    std::string nick = first.empty() ? org : first + " - " + org;
    if (count > 1) nick += " #" + std::to_string(count);
    if (!db.ByNickname(nick)) return nick;
  }
}

NicknameChoice ChooseImportNickname(const NssDatabase& db, const BundleIdentity& bundle) {
  NicknameChoice choice;
  if (const NssEntry* same = db.BySubject(bundle.leaf.subjectName)) {
    choice.rule = NicknameChoice::Rule::kExistingSubject;
    choice.nickname = same->nickname;
    return choice;
  }
  if (bundle.friendlyName && !bundle.friendlyName->empty() &&
      !db.ByNickname(*bundle.friendlyName)) {
    choice.rule = NicknameChoice::Rule::kFriendlyName;
    choice.nickname = *bundle.friendlyName;
    return choice;
  }
  if (!bundle.friendlyName) choice.output = "pk12util: no nickname for cert in PKCS12 file.\n";
  const std::string generated = MakeCaNickname(db, bundle.subject, bundle.issuer);
  if (bundle.friendlyName && generated == *bundle.friendlyName) {
    choice.rule = NicknameChoice::Rule::kFailed;
    choice.output += "pk12util: PKCS12 decode validate bags failed: SEC_ERROR_IO\n";
    return choice;
  }
  choice.rule = NicknameChoice::Rule::kGenerated;
  choice.nickname = generated;
  choice.output += "pk12util: using nickname: " + generated + "\n";
  return choice;
}

NicknameChoice ImportBundle(NssDatabase& db, const BundleIdentity& bundle) {
  NicknameChoice choice = ChooseImportNickname(db, bundle);
  if (choice.rule == NicknameChoice::Rule::kFailed) return choice;
  if (!db.BySubject(bundle.leaf.subjectName))
    db.Add({choice.nickname, bundle.leaf.subjectName, bundle.hasKey});
  for (const pki::Certificate& other : bundle.others) {
    if (db.BySubject(other.subjectName)) continue;
    // CA certificates without a friendlyName get CERT_MakeCANickname too.
    db.Add({MakeCaNickname(db, ReadNameAttributes(other.subjectName),
                           ReadNameAttributes(other.issuerName)),
            other.subjectName, false});
  }
  choice.output += "pk12util: PKCS12 IMPORT SUCCESSFUL\n";
  return choice;
}

std::optional<std::string> ModifyTrust(const NssDatabase& db, const std::string& nickname) {
  if (db.ByNickname(nickname)) return std::nullopt;
  return "certutil: could not find certificate named \"" + nickname +
         "\": SEC_ERROR_INVALID_ARGS: security library: invalid arguments.";
}

const char* RuleName(NicknameChoice::Rule rule) {
  switch (rule) {
    case NicknameChoice::Rule::kExistingSubject:
      return "the nickname of a certificate with the same subject already in the database";
    case NicknameChoice::Rule::kFriendlyName:
      return "the bundle's friendlyName";
    case NicknameChoice::Rule::kGenerated:
      return "\"<CN> - <issuer O>\" (CERT_MakeCANickname)";
    case NicknameChoice::Rule::kFailed:
      return "none: the import fails";
  }
  return "";
}

}  // namespace ipsecsim::pkcs12
