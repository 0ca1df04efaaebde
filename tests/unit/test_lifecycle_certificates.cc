// Certificates over the years on small clusters left alone by `advance`
// steps (docs/lifecycle.md, "Certificates over the years"): renewal only at
// an IPsec pod start with fewer than 15,770,000 s left, the operator's CA
// replaced at 8 years, renewed nodes trusting the new CA alone, and expired
// certificates that keep working until a new IKE SA has to authenticate.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_command.h"
#include "tshark_run.h"

namespace fs = std::filesystem;
using namespace ipsecsim;

namespace {

constexpr double kYear = 365 * 86400.0;
constexpr double kStart = 60;  // procedure.start

std::string Scenario(const std::string& steps) {
  return "name: certs\n"
         "seed: 3\n"
         "cluster:\n"
         "  version: \"4.16.10\"\n"
         "  pools: [{name: master, nodes: 3}]\n"
         "  ipsec: {mode: Full}\n"
         "lifecycle:\n"
         "  modelled_crypto: true\n"
         "  probes: {interval: 1s, size: 100}\n"
         "  procedure:\n"
         "    start: 60s\n"
         "    steps:\n" +
         steps;
}

struct Run {
  std::string dir;  // DIR/certs
  nlohmann::json report;
  const nlohmann::json& Lifecycle() const { return report.at("lifecycle"); }
  // When each event containing `text` was logged.
  std::vector<double> Times(const std::string& text) const {
    std::vector<double> at;
    for (const auto& e : Lifecycle().at("events"))
      if (e.at("event").get<std::string>().find(text) != std::string::npos)
        at.push_back(e.at("at").get<double>());
    return at;
  }
};

Run RunSteps(const std::string& steps, const std::string& options = "") {
  const std::string parent = test::MakeTempDir("lifecycle-certs");
  const std::string file = parent + "/certs.yaml";
  std::ofstream(file) << Scenario(steps);
  const auto r = test::RunCommand(test::IpsecsimBinary() + " run " + file + " --out " + parent +
                                  " " + options + " 2>&1");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  Run run;
  run.dir = parent + "/certs";
  run.report = nlohmann::json::parse(test::ReadText(run.dir + "/report.json"));
  return run;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lifecycle_certificates)

BOOST_AUTO_TEST_CASE(renewal_comes_with_the_first_pod_start_after_4_5_years) {
  const Run run = RunSteps(
      "      - {advance: 4.4y}\n"
      "      - {upgrade: \"4.16.20\"}\n"
      "      - {advance: 0.2y}\n"
      "      - {upgrade: \"4.16.30\"}\n");
  const auto& certs = run.Lifecycle().at("certificates");
  // The first update restarts every pod with 0.6 years left: kept. The
  // second, with 0.4 years (< 15,770,000 s) left: renewed, once per node.
  const std::vector<double> renewed = run.Times("ovn-keys: certificate renewed");
  BOOST_REQUIRE_EQUAL(renewed.size(), 3u);
  const std::vector<double> secondUpdate = run.Times("update the cluster to 4.16.30");
  BOOST_REQUIRE_EQUAL(secondUpdate.size(), 1u);
  for (double t : renewed) BOOST_TEST(t > secondUpdate[0]);
  BOOST_TEST(secondUpdate[0] > kStart + 4.6 * kYear);
  BOOST_TEST(certs.at("renewals") == 3);
  BOOST_TEST(certs.at("ca_generations") == 1);
  for (const auto& n : certs.at("nodes")) {
    BOOST_TEST(n.at("issuer_ca_generation") == 1);
    BOOST_TEST(n.at("valid_at_end") == true);
    BOOST_TEST(n.at("not_before").get<std::string>().rfind("2030-08", 0) == 0u);
  }
  BOOST_TEST(certs.at("certificate_rejections") == 0);
  BOOST_TEST(run.Lifecycle().at("summary").at("pairs_up") == 3);
}

BOOST_AUTO_TEST_CASE(expired_certificates_work_until_a_new_ike_sa_authenticates) {
  const Run run = RunSteps(
      "      - {advance: 5.1y}\n"
      "      - {upgrade: \"4.16.20\"}\n",
      "--pcap");
  const double update = run.Times("update the cluster to 4.16.20").at(0);
  // The certificates expired at 5 years, during the quiet time: every pair
  // stayed up from its install-time IKE SA, rekeyed by CREATE_CHILD_SA.
  for (const auto& p : run.Lifecycle().at("pairs")) {
    bool coveredUp = false;
    for (const auto& i : p.at("intervals")) {
      const double from = i.at("from"), to = i.at("to");
      if (i.at("state") == "up" && from < kStart + 4.9 * kYear && to >= update) coveredUp = true;
      if (to <= update) BOOST_TEST((i.at("state") == "up" || to < kStart), p.dump());
    }
    BOOST_TEST(coveredUp, p.at("a") << " <-> " << p.at("b"));
  }
  const auto& certs = run.Lifecycle().at("certificates");
  BOOST_TEST(certs.at("renewals") == 3);
  BOOST_TEST(certs.at("certificate_rejections").get<int>() >= 1);
  BOOST_TEST(run.Lifecycle().at("summary").at("pairs_up") == 3);

  // On the wire: the late IKE_AUTH exchanges decrypt with the run's keys,
  // and one answers AUTHENTICATION_FAILED (24) inside its SK payload. The
  // capture is cut to the update first: five years of rekeys come before.
  const std::string late = run.dir + "/late.pcap";
  const auto cut = test::RunCommand("editcap -A " + std::to_string(int64_t(update)) + " " +
                                    run.dir + "/pcap/master-0-eth0.pcap " + late + " 2>&1");
  BOOST_REQUIRE_MESSAGE(cut.exitCode == 0, cut.output);
  // tshark reads key tables of tens of thousands of SAs slowly (a minute
  // for five years of ESP rekeys): keep the rows of the IKE SAs the cut
  // capture shows (their SPI pairs), and no ESP keys, which this needs not.
  const auto spis = test::RunCommand("tshark -r " + late +
                                     " -Y isakmp -T fields -E separator=, -e isakmp.ispi -e "
                                     "isakmp.rspi 2>/dev/null");
  BOOST_REQUIRE_EQUAL(spis.exitCode, 0);
  const std::string home = run.dir + "/home";
  fs::create_directories(home + "/.config/wireshark");
  std::ofstream(home + "/.config/wireshark/esp_sa").close();
  std::ifstream table(run.dir + "/keys/ikev2_decryption_table");
  std::ofstream kept(home + "/.config/wireshark/ikev2_decryption_table");
  size_t rows = 0;
  for (std::string row; std::getline(table, row);) {
    if (row.size() < 33 || spis.output.find(row.substr(0, 33)) == std::string::npos) continue;
    kept << row << "\n";
    ++rows;
  }
  kept.close();
  BOOST_TEST(rows > 0u);
  size_t authExchanges = 0, refused = 0;
  for (const std::string& line :
       test::TsharkLines(home, late,
                         "-Y 'isakmp.exchangetype == 35' -T fields -E separator=/t -e udp.dstport "
                         "-e isakmp.notify.msgtype")) {
    const auto f = test::TsharkFields(line);
    ++authExchanges;
    BOOST_TEST(f.at(0) == "500");  // no NAT: IKE stays on UDP 500
    if (f.size() < 2) continue;
    for (const std::string& type : test::TsharkFields(f[1], ','))
      if (type == "24") ++refused;
  }
  BOOST_TEST(authExchanges > 0u);
  BOOST_TEST(refused > 0u);
}

BOOST_AUTO_TEST_CASE(the_ca_is_replaced_at_8_years_and_renewed_nodes_trust_it_alone) {
  const Run run = RunSteps(
      "      - {advance: 4.6y}\n"
      "      - {upgrade: \"4.16.20\"}\n"
      "      - {advance_to: \"2034-02-01\"}\n"
      "      - {upgrade: \"4.16.30\"}\n"
      "      - {advance_to: \"2035-03-01\"}\n"
      "      - {upgrade: \"4.16.40\"}\n",
      "--certs");
  const std::vector<double> refreshed = run.Times("CA generation 2 signs from now on");
  BOOST_REQUIRE_EQUAL(refreshed.size(), 1u);
  BOOST_TEST(refreshed[0] == 8 * kYear);  // to the second: 80 % of the CA's 10 years
  // At 8.1 years the nodes' certificates (from 4.6 years) have 1.5 years
  // left: the update renews nothing, and every node still trusts CA 1.
  const double third = run.Times("update the cluster to 4.16.30").at(0);
  const double fourth = run.Times("update the cluster to 4.16.40").at(0);
  for (double t : run.Times("ovn-keys: certificate renewed")) BOOST_TEST((t < third || t > fourth));
  const auto& certs = run.Lifecycle().at("certificates");
  BOOST_TEST(certs.at("renewals") == 6);
  BOOST_TEST(certs.at("ca_generations") == 2);
  // The last update renews from CA 2: until both ends of a pair are
  // renewed, each refuses the other's certificate.
  BOOST_TEST(certs.at("certificate_rejections").get<int>() >= 1);
  for (const auto& n : certs.at("nodes")) {
    BOOST_TEST(n.at("issuer_ca_generation") == 2);
    BOOST_TEST(n.at("trusted_ca_generation") == 2);
  }
  BOOST_TEST(run.Lifecycle().at("summary").at("pairs_up") == 3);

  // The end-of-run files: the bundle still holds CA 1 (valid to 2036) and
  // CA 2, and openssl accepts each node's certificate at the end's date.
  const std::string end = run.dir + "/end/certs";
  const std::string bundle = test::ReadText(end + "/ca-bundle.pem");
  size_t cas = 0;
  for (size_t at = bundle.find("BEGIN CERTIFICATE"); at != std::string::npos;
       at = bundle.find("BEGIN CERTIFICATE", at + 1))
    ++cas;
  BOOST_TEST(cas == 2u);
  const int64_t endDate = 1767225600 + int64_t(run.report.at("simulated_seconds").get<double>());
  for (const char* node : {"master-0", "master-1", "master-2"}) {
    const auto v =
        test::RunCommand("openssl verify -attime " + std::to_string(endDate) + " -CAfile " + end +
                         "/ca.pem " + end + "/" + node + ".pem 2>&1");
    BOOST_TEST(v.exitCode == 0, node << ": " << v.output);
  }
  // The install-time files stay beside them.
  BOOST_TEST(fs::exists(run.dir + "/certs/ca.pem"));
}

BOOST_AUTO_TEST_SUITE_END()
