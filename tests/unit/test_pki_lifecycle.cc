// Ten simulated years of cluster certificates on ns-3's scheduler: issuance
// at install, renewal at the first pod start after the 15,770,000 s
// threshold, the CA refresh at 8 years and the old CA's retirement, and no
// certificate used outside its validity, checked independently of the
// model's own validator. Yearly-only pod restarts show the expiry gap.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>

#include "cert_files.h"
#include "cert_lifecycle.h"
#include "test_pki_support.h"

using namespace pkitest;

namespace {

constexpr int64_t kRestartPeriod = 90 * kDay;

LifecycleConfig SixNodeCluster(int64_t restartPeriod, int64_t firstRestart) {
  LifecycleConfig config;
  config.installEpoch = kInstallEpoch;
  config.signer.seed = kSeed;
  for (int i = 0; i < 6; ++i) {
    LifecycleNode node;
    node.name = (i < 3 ? "master-" : "worker-") + std::to_string(i % 3);
    node.systemId = "8a0c6f1e-3b7d-4c1a-9e2f-00000000000" + std::to_string(i);
    // Nodes restart one after another, a day apart, as an upgrade rolls.
    node.podRestarts = EveryPeriod(firstRestart + i * kDay, restartPeriod, config.duration);
    config.nodes.push_back(node);
  }
  return config;
}

std::vector<const PkiEvent*> Issued(const PkiEventLog& log, const std::string& node) {
  std::vector<const PkiEvent*> out;
  for (const auto& e : log) {
    if (e.kind == PkiEventKind::kCertIssued && e.node == node) out.push_back(&e);
  }
  return out;
}

// The first of the node's pod starts (install included) strictly after `t`.
int64_t FirstPodStartAfter(const LifecycleConfig& config, const LifecycleNode& node, int64_t t) {
  for (int64_t restart : node.podRestarts) {
    if (config.installEpoch + restart > t) return config.installEpoch + restart;
  }
  return -1;
}

// What the test itself knows about each certificate it saw in use.
struct UseAudit {
  uint64_t uses = 0;
  uint64_t outsideValidity = 0;
  uint64_t rejected = 0;
  std::map<std::string, int> reasons;
  int64_t firstRejection = -1;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(pki_lifecycle)

BOOST_AUTO_TEST_CASE(ten_years_with_quarterly_restarts_never_use_an_invalid_certificate) {
  const LifecycleConfig config = SixNodeCluster(kRestartPeriod, kRestartPeriod);
  CertLifecycle life(config);
  UseAudit audit;
  // Validity bounds read back from each certificate's DER, independently of
  // the model's validator (parsed once per certificate).
  std::map<Bytes, std::pair<int64_t, int64_t>> bounds;
  life.SetUseObserver([&](const CertUse& use) {
    ++audit.uses;
    if (!use.cert) {
      ++audit.outsideValidity;
      return;
    }
    auto it = bounds.find(use.cert->der);
    if (it == bounds.end()) {
      ParseError error;
      auto reparsed = ParseCertificate(use.cert->der, &error);
      if (!reparsed) BOOST_FAIL(error.Describe());
      it = bounds.emplace(use.cert->der, std::make_pair(reparsed->notBefore, reparsed->notAfter))
               .first;
    }
    if (use.time < it->second.first || use.time > it->second.second) ++audit.outsideValidity;
    if (!use.result.Ok()) ++audit.rejected;
  });
  const auto start = std::chrono::steady_clock::now();
  life.RunAlone();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST_MESSAGE("10-year timeline, 6 nodes: " << seconds << " s wall, " << life.Uses()
                                                   << " certificate uses, " << life.Events().size()
                                                   << " events");
  BOOST_CHECK_LT(seconds, 10.0);

  BOOST_CHECK_EQUAL(audit.outsideValidity, 0u);
  BOOST_CHECK_EQUAL(audit.rejected, 0u);
  BOOST_CHECK_EQUAL(life.Rejections(), 0u);
  // Daily checks of six nodes for ten years, plus every pod start.
  BOOST_CHECK_GE(audit.uses, 6u * 3650u);

  // CA: created at install, replaced at exactly 8 years.
  std::vector<int64_t> caCreated;
  for (const auto& e : life.Events()) {
    if (e.kind == PkiEventKind::kCaCreated) caCreated.push_back(e.time);
  }
  BOOST_REQUIRE_EQUAL(caCreated.size(), 2u);
  BOOST_CHECK_EQUAL(caCreated[0], kInstallEpoch);
  BOOST_CHECK_EQUAL(caCreated[1], kInstallEpoch + 8 * kYear);

  int64_t lastFirstCaExpiry = 0;
  for (size_t n = 0; n < config.nodes.size(); ++n) {
    const auto issued = Issued(life.Events(), config.nodes[n].name);
    // Install, ~4.5 years, ~9 years.
    BOOST_REQUIRE_EQUAL(issued.size(), 3u);
    BOOST_CHECK_EQUAL(issued[0]->time, kInstallEpoch);
    int64_t previousExpiry = kInstallEpoch + 5 * kYear;
    for (size_t k = 1; k < issued.size(); ++k) {
      const int64_t expected =
          FirstPodStartAfter(config, config.nodes[n], previousExpiry - kRenewBeforeExpirySeconds);
      BOOST_CHECK_EQUAL(issued[k]->time, expected);
      previousExpiry = issued[k]->time + 5 * kYear;
    }
    const double renewalYears = double(issued[1]->time - kInstallEpoch) / double(kYear);
    BOOST_CHECK_GE(renewalYears, 4.5);
    BOOST_CHECK_LE(renewalYears, 4.5 + 91.0 / 365.0);
    // The third certificate comes after the CA refresh and from the new CA.
    BOOST_CHECK_GE(issued[2]->time, kInstallEpoch + 8 * kYear);
    BOOST_CHECK_MESSAGE(issued[2]->detail.find("CA generation 2") != std::string::npos,
                        issued[2]->detail);
    BOOST_CHECK_MESSAGE(issued[1]->detail.find("CA generation 1") != std::string::npos,
                        issued[1]->detail);
    lastFirstCaExpiry = std::max(lastFirstCaExpiry, issued[1]->time + 5 * kYear);
  }

  // The first CA leaves the bundle when it expires, 10 years after install.
  std::vector<int64_t> retired;
  for (const auto& e : life.Events()) {
    if (e.kind == PkiEventKind::kCaRetired) retired.push_back(e.time);
  }
  BOOST_REQUIRE_EQUAL(retired.size(), 1u);
  BOOST_CHECK_EQUAL(retired[0], kInstallEpoch + 10 * kYear);
  BOOST_CHECK_LT(lastFirstCaExpiry, retired[0]);
  BOOST_CHECK_EQUAL(life.Signer().Bundle().size(), 1u);

  // The files at the end of the run verify with openssl at that time.
  TempDir dir;
  std::string error;
  BOOST_REQUIRE_MESSAGE(WriteCertFiles(dir.Path().string(), life.Signer(), life.Nodes(), &error),
                        error);
  const int64_t end = kInstallEpoch + config.duration;
  for (const auto& node : life.Nodes()) {
    auto r =
        Run("openssl verify -attime " + std::to_string(end) + " -CAfile " +
            dir.File("certs/ca-bundle.pem") + " " + dir.File("certs/" + node.NodeName() + ".pem"));
    BOOST_CHECK_MESSAGE(r.status == 0, node.NodeName() << ": " << r.output);
  }
}

BOOST_AUTO_TEST_CASE(yearly_restarts_alone_leave_expired_certificates_in_use) {
  // Restarts 30 days into each year: at 4 years + 30 days the certificate
  // still has 335 days left, so it is kept and expires before the next start.
  LifecycleConfig config = SixNodeCluster(kYear, 30 * kDay);
  // Until CA 1 expires at 10 years: the certificates renewed at 5 years
  // come from it and outlive it (test_pki_chain a_certificate_can_outlive_its_ca).
  config.duration = 10 * kYear - kDay;
  CertLifecycle life(config);
  UseAudit audit;
  uint64_t disagreements = 0;
  life.SetUseObserver([&](const CertUse& use) {
    if (!use.cert) BOOST_FAIL("a node has no certificate at " << use.time);
    const bool outside = use.time < use.cert->notBefore || use.time > use.cert->notAfter;
    audit.outsideValidity += outside;
    // The model must flag exactly the uses the test finds outside validity.
    disagreements += outside == use.result.Ok();
    if (!use.result.Ok()) {
      ++audit.reasons[ChainErrorName(use.result.error)];
      if (audit.firstRejection < 0) audit.firstRejection = use.time;
    }
  });
  life.RunAlone();

  BOOST_CHECK_EQUAL(disagreements, 0u);
  BOOST_CHECK_GT(audit.outsideValidity, 0u);
  BOOST_CHECK_EQUAL(audit.reasons.size(), 1u);
  BOOST_CHECK_GT(audit.reasons["expired"], 0);
  BOOST_CHECK_GT(audit.firstRejection, kInstallEpoch + 5 * kYear);
  BOOST_CHECK_LE(audit.firstRejection, kInstallEpoch + 5 * kYear + kDay);
  // worker pods renew at their first start after expiry: day 30 of year 5 + offset.
  const auto issued = Issued(life.Events(), config.nodes[0].name);
  BOOST_REQUIRE_GE(issued.size(), 2u);
  BOOST_CHECK_EQUAL(issued[1]->time, kInstallEpoch + 5 * kYear + 30 * kDay);
  size_t rejectedEvents = 0;
  for (const auto& e : life.Events()) rejectedEvents += e.kind == PkiEventKind::kCertRejected;
  BOOST_CHECK_EQUAL(rejectedEvents, life.Rejections());
  BOOST_CHECK_EQUAL(uint64_t(audit.outsideValidity), life.Rejections());
}

BOOST_AUTO_TEST_CASE(the_same_seed_replays_the_same_timeline) {
  LifecycleConfig config = SixNodeCluster(kRestartPeriod, kRestartPeriod);
  config.nodes.resize(2);
  config.duration = 6 * kYear;
  config.ikeCheckInterval = 7 * kDay;
  CertLifecycle a(config);
  a.RunAlone();
  CertLifecycle b(config);
  b.RunAlone();
  BOOST_REQUIRE_EQUAL(a.Events().size(), b.Events().size());
  for (size_t i = 0; i < a.Events().size(); ++i) {
    BOOST_CHECK_EQUAL(a.Events()[i].time, b.Events()[i].time);
    BOOST_CHECK_EQUAL(a.Events()[i].serial, b.Events()[i].serial);
    BOOST_CHECK_EQUAL(a.Events()[i].detail, b.Events()[i].detail);
  }
  BOOST_CHECK(a.Nodes()[1].Cert()->der == b.Nodes()[1].Cert()->der);
}

BOOST_AUTO_TEST_CASE(a_cluster_installed_in_2045_crosses_2050_cleanly) {
  LifecycleConfig config = SixNodeCluster(kRestartPeriod, kRestartPeriod);
  config.nodes.resize(2);
  config.installEpoch = 2366841600;  // 2045-01-01
  config.ikeCheckInterval = 7 * kDay;
  for (auto& node : config.nodes) {
    node.podRestarts = EveryPeriod(kRestartPeriod, kRestartPeriod, config.duration);
  }
  CertLifecycle life(config);
  size_t beyond2049 = 0;
  life.SetUseObserver([&](const CertUse& use) {
    BOOST_REQUIRE(use.result.Ok());
    beyond2049 += NeedsGeneralizedTime(use.cert->notAfter);
  });
  life.RunAlone();
  BOOST_CHECK_EQUAL(life.Rejections(), 0u);
  BOOST_CHECK_GT(beyond2049, 0u);
  BOOST_CHECK(NeedsGeneralizedTime(life.Signer().Current().cert.notAfter));
}

BOOST_AUTO_TEST_SUITE_END()
