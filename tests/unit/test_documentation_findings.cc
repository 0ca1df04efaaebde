// The documentation's lines as preflight findings: each fires in its case
// and in no other, from the procedure as the loader rehearses it.
#include <boost/test/unit_test.hpp>
#include <string>

#include "preflight_documentation.h"
#include "scenario.h"

using namespace ipsecsim::harness;

namespace {

std::string Text(const std::string& cluster, const std::string& steps) {
  return "name: s\ncluster:\n  pools: [{name: worker, nodes: 2}]\n" + cluster +
         "lifecycle:\n  procedure:\n    steps:\n" + steps;
}

const std::string kEnable =
    "      - merge_patch: "
    "'{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"ipsecConfig\":{\"mode\":\"Full\"}}}"
    "}}'"
    "\n";
const std::string kEnableLegacy =
    "      - merge_patch: "
    "'{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"ipsecConfig\":{}}}}}'\n";
const std::string kDisable =
    "      - json_patch: "
    "'[{\"op\":\"remove\",\"path\":\"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig\"}]'\n";
const std::string kMigrate =
    "      - merge_patch: "
    "'{\"spec\":{\"migration\":{\"mtu\":{\"network\":{\"from\":1400,\"to\":1354},\"machine\":{"
    "\"to\":1500}}}}}'\n"
    "      - merge_patch: "
    "'{\"spec\":{\"migration\":null,\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"mtu\":1354}}}}'"
    "\n";
const std::string kDelete =
    "      - {delete_daemonsets: [ovn-ipsec-host, ovn-ipsec-containerized]}\n";
const std::string kUpdate = "      - {upgrade: \"4.15\"}\n";

std::vector<PreflightFinding> Findings(const std::string& text) {
  return DocumentationFindings(LoadScenarioText(text, "s.yaml"));
}

// The findings' texts, each reduced to the documentation sentence it quotes.
std::vector<std::string> Rules(const std::vector<PreflightFinding>& findings) {
  std::vector<std::string> out;
  for (const PreflightFinding& f : findings) {
    if (f.text.find("decreased the size of the cluster MTU") != std::string::npos)
      out.push_back("mtu");
    else if (f.text.find("must disable IPsec before updating") != std::string::npos)
      out.push_back("update");
    else if (f.text.find("delete the associated IPsec daemonsets") != std::string::npos)
      out.push_back("daemonsets");
    else if (f.text.find("only if you enabled IPsec after cluster installation") !=
             std::string::npos)
      out.push_back("disable");
    else
      out.push_back("?" + f.text);
  }
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(enabling_on_an_unreduced_mtu_gives_the_exact_headroom) {
  const auto v4 = Findings(Text("  version: \"4.15\"\n  cluster_mtu: 1400\n", kEnable));
  BOOST_TEST_REQUIRE(Rules(v4) == Strings{"mtu"});
  BOOST_TEST(v4[0].id == "D1");
  BOOST_TEST(v4[0].status == "warning");
  // 1400 + 58 (Geneve over IPv4) + 34 (ESP, 1400 + 58 - 20 + 2 a multiple of 4) = 1492.
  BOOST_TEST(v4[0].text.find("reserves 100 B, 146 budgeted") != std::string::npos, v4[0].text);
  BOOST_TEST(v4[0].text.find("short by 46 B") != std::string::npos, v4[0].text);
  BOOST_TEST(v4[0].text.find("1492 B as esp, headroom 8 B (it still fits)") != std::string::npos,
             v4[0].text);
  BOOST_TEST(v4[0].cause == "line 9: IPsec enabled");
  const auto v6 =
      Findings(Text("  version: \"4.15\"\n  cluster_mtu: 1400\n  ip_family: ipv6\n", kEnable));
  BOOST_TEST_REQUIRE(Rules(v6) == Strings{"mtu"});
  BOOST_TEST(v6[0].text.find("1512 B as esp, headroom -12 B (the sending host fragments it)") !=
                 std::string::npos,
             v6[0].text);
}

BOOST_AUTO_TEST_CASE(enabling_after_the_reduction_is_quiet) {
  BOOST_TEST(Findings(Text("  version: \"4.15\"\n  cluster_mtu: 1354\n", kEnable)).empty());
  BOOST_TEST(
      Findings(Text("  version: \"4.15\"\n  cluster_mtu: 1400\n", kMigrate + kEnable)).empty());
  // Only the first half of the procedure: the pods' routes already carry 1354.
  const std::string firstHalf = kMigrate.substr(0, kMigrate.find("      - merge_patch", 10));
  BOOST_TEST(
      Findings(Text("  version: \"4.15\"\n  cluster_mtu: 1400\n", firstHalf + kEnable)).empty());
}

BOOST_AUTO_TEST_CASE(updating_to_4_15) {
  const std::string installedOn = "  version: \"4.14\"\n  ipsec: {}\n";
  BOOST_TEST(Rules(Findings(Text(installedOn, kUpdate))) == Strings{"update"});
  BOOST_TEST(Rules(Findings(Text(installedOn, kDisable + kUpdate))) ==
             (Strings{"disable", "daemonsets"}));
  BOOST_TEST(Rules(Findings(Text(installedOn, kDisable + kDelete + kUpdate))) ==
             Strings{"disable"});
  // Only one of the two deleted: the finding names the other.
  const auto half = Findings(
      Text(installedOn, kDisable + "      - {delete_daemonsets: [ovn-ipsec-host]}\n" + kUpdate));
  BOOST_TEST_REQUIRE(Rules(half) == (Strings{"disable", "daemonsets"}));
  BOOST_TEST(half[1].consequence == "IPsec DaemonSets left: ovn-ipsec-containerized");
  // Never on: nothing to delete, nothing to disable.
  BOOST_TEST(Findings(Text("  version: \"4.14\"\n", kUpdate)).empty());
  // A z-stream update within 4.15 with IPsec on is not "updating to 4.15".
  BOOST_TEST(Findings(Text("  version: \"4.15.30\"\n  ipsec: {mode: Full}\n",
                           "      - {upgrade: \"4.15.40\"}\n"))
                 .empty());
}

BOOST_AUTO_TEST_CASE(disabling_what_was_enabled_after_install_is_allowed) {
  // Enabled after install (cluster MTU 1354), then disabled: no finding.
  BOOST_TEST(
      Findings(Text("  version: \"4.15\"\n  cluster_mtu: 1354\n", kEnable + kDisable)).empty());
  BOOST_TEST(Rules(Findings(Text("  version: \"4.15\"\n  ipsec: {mode: Full}\n", kDisable))) ==
             Strings{"disable"});
  // Enabled after install on 4.14, disabled, updated without deleting.
  BOOST_TEST(Rules(Findings(Text("  version: \"4.14\"\n  cluster_mtu: 1354\n",
                                 kEnableLegacy + kDisable + kUpdate))) == Strings{"daemonsets"});
}
