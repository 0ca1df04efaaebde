#include "check_bundle.h"

#include "chain_validation.h"
#include "x509_time.h"

namespace ipsecsim::check {

namespace {

std::string Cn(const pki::Certificate& c) { return c.subjectCn.empty() ? "(no CN)" : c.subjectCn; }

void CheckValidity(const pki::Certificate& c, const std::string& what, const std::string& file,
                   const CheckOptions& options, Findings& findings) {
  const std::string at = pki::FormatIso8601(options.date);
  if (options.date < c.notBefore)
    findings.Add(Level::kError, file, 0, "validity",
                 what + " CN=" + Cn(c) + " is not valid before " + pki::FormatIso8601(c.notBefore) +
                     " (checked at " + at + ")");
  else if (options.date > c.notAfter)
    findings.Add(Level::kError, file, 0, "validity",
                 what + " CN=" + Cn(c) + " expired at " + pki::FormatIso8601(c.notAfter) +
                     " (checked at " + at + ")");
  else
    findings.Add(Level::kNote, file, 0, "validity",
                 what + " CN=" + Cn(c) + " is valid from " + pki::FormatIso8601(c.notBefore) +
                     " to " + pki::FormatIso8601(c.notAfter) + " (checked at " + at + ")");
}

void CheckCnRule(const pki::Certificate& c, const std::string& what, const std::string& file,
                 Findings& findings) {
  if (c.subjectCn.rfind("ovs_", 0) == 0)
    findings.Add(
        Level::kError, file, 0, "cn-prefix",
        what + " CN=" + c.subjectCn +
            " begins with ovs_, which the documentation "
            "forbids: NSS nicknames starting ovs_cert_/ovs_certkey_ are ovs-monitor-ipsec's "
            "own, and a bundle without friendlyName is imported under a nickname that "
            "starts with the CN");
  else
    findings.Add(Level::kNote, file, 0, "cn-prefix",
                 what + " CN=" + Cn(c) + " does not begin with ovs_ (the documented rule holds)");
}

bool SelfSigned(const pki::Certificate& c) {
  return c.issuerName == c.subjectName && pki::IsSignedBy(c, c.publicKey);
}

std::vector<pki::Certificate> Anchors(const std::vector<CaArtifact>& cas) {
  std::vector<pki::Certificate> out;
  for (const CaArtifact& ca : cas)
    for (const pki::Certificate& c : ca.certs) out.push_back(c);
  return out;
}

void CheckNicknameCollisions(const pkcs12::NssDatabase& db, const std::string& file,
                             Findings& findings) {
  for (const pkcs12::NssEntry& e : db.Entries()) {
    if (e.nickname == "ovs_cert_cacert" || e.nickname.rfind("ovs_certkey_", 0) == 0) {
      findings.Add(
          Level::kError, file, 0, "nickname",
          "the import stores a certificate as '" + e.nickname +
              "', a nickname "
              "ovs-monitor-ipsec uses and deletes (`certutil -D`/`-F -n`) when it (re)loads "
              "its PKI: the user's certificate, or OVN's, is removed or shadowed");
    } else if (e.nickname.rfind("ovs_cert_", 0) == 0) {
      findings.Add(
          Level::kWarning, file, 0, "nickname",
          "the import stores a certificate as '" + e.nickname +
              "': an "
              "ovs-monitor-ipsec started with IKE-daemon restart sweeps every ovs_cert_* "
              "nickname (OpenShift passes --no-restart-ike-daemon, so it is not swept there)");
    }
  }
}

}  // namespace

void CheckCa(const CaArtifact& ca, const CheckOptions& options, Findings& findings) {
  for (const pki::Certificate& c : ca.certs) {
    CheckValidity(c, "CA certificate", ca.display, options, findings);
    CheckCnRule(c, "CA certificate", ca.display, findings);
    if (!c.IsCa())
      findings.Add(Level::kError, ca.display, 0, "chain",
                   "CA certificate CN=" + Cn(c) + " has no basicConstraints CA:TRUE");
    if (!SelfSigned(c))
      findings.Add(Level::kWarning, ca.display, 0, "chain",
                   "CA certificate CN=" + Cn(c) +
                       " is not self-signed: pluto takes only "
                       "self-signed CA certificates in NSS as trust anchors (root_certs.c)");
  }
}

void CheckBundle(BundleArtifact& bundle, const std::string& password,
                 const std::vector<CaArtifact>& cas, const CheckOptions& options,
                 Findings& findings) {
  bundle.read = true;
  pkcs12::Bundle parsed;
  try {
    parsed = pkcs12::ReadBundle(bundle.data, password);
    bundle.identity = pkcs12::IdentifyBundle(parsed);
  } catch (const pkcs12::BundleError& e) {
    const std::string what = e.what();
    std::string hint;
    if (e.GetKind() == pkcs12::BundleError::Kind::kWrongPassword)
      hint = password.empty()
                 ? " (tried the empty password of `pk12util -W \"\"`, as the documented "
                   "script passes; give another with --password)"
                 : " (tried the password given)";
    findings.AddAt(Level::kMalformed, bundle.display, e.Offset(), "pkcs12",
                   what.substr(what.find(": ") + 2) + hint +
                       "; pk12util fails, so "
                       "ipsec-import.service fails and no certificate reaches NSS");
    return;
  }
  std::string schemes;
  for (const std::string& s : parsed.schemes) schemes += (schemes.empty() ? "" : ", ") + s;
  findings.Add(Level::kNote, bundle.display, 0, "pkcs12",
               std::to_string(parsed.bags.size()) + " bags" +
                   (parsed.hasMac ? ", MAC HMAC-" + parsed.macDigest + " verified" : ", no MAC") +
                   (schemes.empty() ? "" : ", encrypted with " + schemes));
  const pkcs12::BundleIdentity& id = *bundle.identity;
  if (!id.hasKey)
    findings.Add(
        Level::kError, bundle.display, 0, "key",
        "the bundle holds no private key: pluto cannot sign IKE_AUTH with CN=" + Cn(id.leaf));
  else if (!id.keyProblem.empty())
    findings.Add(Level::kWarning, bundle.display, 0, "key", id.keyProblem);
  else if (!id.keyMatchesLeaf)
    findings.Add(Level::kError, bundle.display, 0, "key",
                 "the private key does not belong to the certificate CN=" + Cn(id.leaf));
  else
    findings.Add(Level::kNote, bundle.display, 0, "key",
                 "the private key belongs to the certificate CN=" + Cn(id.leaf));
  findings.Add(
      Level::kNote, bundle.display, 0, "nickname",
      id.friendlyName ? "friendlyName '" + *id.friendlyName + "'" : std::string("no friendlyName"));
  CheckValidity(id.leaf, "certificate", bundle.display, options, findings);
  CheckCnRule(id.leaf, "certificate", bundle.display, findings);
  for (const pki::Certificate& other : id.others)
    CheckCnRule(other, "bundled certificate", bundle.display, findings);
  const std::vector<pki::Certificate> anchors = Anchors(cas);
  if (anchors.empty()) {
    findings.Add(Level::kWarning, bundle.display, 0, "chain",
                 "no CA file given: the chain is not checked");
  } else {
    const pki::ChainResult chain =
        pki::ValidateChain(id.leaf, id.others, anchors, options.date, "");
    if (chain.Ok())
      findings.Add(
          Level::kNote, bundle.display, 0, "chain",
          "CN=" + Cn(id.leaf) + " chains to the given CA at " + pki::FormatIso8601(options.date));
    else
      findings.Add(
          Level::kError, bundle.display, 0, "chain",
          "CN=" + Cn(id.leaf) + " does not chain to the given CA at " +
              pki::FormatIso8601(options.date) + ": " + pki::ChainErrorName(chain.error) +
              (chain.detail.empty() ? "" : " (" + chain.detail + ")") +
              "; a peer trusting only that CA answers IKE_AUTH with AUTHENTICATION_FAILED");
  }
  findings.Add(
      Level::kWarning, bundle.display, 0, "identity",
      "every node imports this one bundle and presents the same identity CN=" + Cn(id.leaf) +
          ": an external Libreswan peer with uniqueids=yes and one conn "
          "for all nodes keeps only the last node's IKE SA");
}

void CheckImport(const ImportScript& script, const std::string& scriptDisplay,
                 std::vector<BundleArtifact>& bundles, const std::vector<CaArtifact>& cas,
                 const std::vector<CertReference>& certs, const CheckOptions& options,
                 Findings& findings) {
  (void)options;
  ImportFiles files;
  files.certificates =
      [&](const std::string& path) -> std::optional<std::vector<pki::Certificate>> {
    for (const CaArtifact& ca : cas)
      if (ca.installPath == path || cas.size() == 1) return ca.certs;
    return std::nullopt;
  };
  files.bundle = [&](const std::string& path,
                     const ScriptCommand&) -> std::optional<pkcs12::BundleIdentity> {
    for (const BundleArtifact& b : bundles)
      if ((b.installPath == path || bundles.size() == 1) && b.identity) return b.identity;
    return std::nullopt;
  };
  const ImportRun run = RunImportScript(script, files);
  for (const StepResult& step : run.steps) {
    const int line = step.command->line;
    std::string output = step.output;
    while (!output.empty() && output.back() == '\n') output.pop_back();
    for (size_t p; (p = output.find('\n')) != std::string::npos;) output.replace(p, 1, "; ");
    if (step.ok) {
      if (!output.empty())
        findings.Add(Level::kNote, scriptDisplay, line, "nickname",
                     step.command->text + ": " + output);
      continue;
    }
    findings.Add(Level::kError, scriptDisplay, line, "nickname",
                 step.command->text + " fails: " + output +
                     (run.stopped ? ". The script runs under bash -e and stops here: "
                                    "ipsec-import.service fails; the MCD only logs failed units, "
                                    "so the node still reports Done and ipsec.service starts"
                                  : ""));
  }
  for (const CertReference& ref : certs) {
    if (run.db.ByNickname(ref.nickname)) {
      findings.Add(Level::kNote, ref.file, ref.line, "nickname",
                   "conn " + ref.conn + ": leftcert=" + ref.nickname +
                       " is in the node's NSS database after the import");
      continue;
    }
    std::string where;
    for (const pkcs12::NssEntry& e : run.db.Entries())
      if (e.hasKey) where = " (the bundle's certificate is there as '" + e.nickname + "')";
    findings.Add(Level::kError, ref.file, ref.line, "nickname",
                 "conn " + ref.conn + ": leftcert=" + ref.nickname +
                     " is not in the node's NSS database after the import" + where +
                     ": pluto refuses the conn (\"" + ref.conn +
                     "\": failed to add connection: "
                     "left certificate '" +
                     ref.nickname +
                     "' not found in the NSS database); it "
                     "installs no policy, and traffic to the peer stays in clear");
  }
  CheckNicknameCollisions(run.db, scriptDisplay, findings);
}

}  // namespace ipsecsim::check
