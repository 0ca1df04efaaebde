// The Network operator's configuration object: the documented patches, and
// what the API server refuses, release by release; what the operator renders.
#include <boost/test/unit_test.hpp>

#include "network_operator.h"

using namespace ipsecsim::sim;
using nlohmann::json;

namespace {

const char kEnable[] = R"({"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":{ }}}}})";
const char kDisable[] =
    R"([{"op":"remove","path":"/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig"}])";

NetworkOperatorConfig At(const std::string& version, const json& ipsec = nullptr) {
  return NetworkOperatorConfig(*OcpVersion::Parse(version), ipsec);
}

std::string Refusal(NetworkOperatorConfig config, const std::string& body, bool merge) {
  try {
    if (merge) {
      config.ApplyMergePatch(body);
    } else {
      config.ApplyJsonPatch(body);
    }
  } catch (const OperatorApiError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(documented_patches_turn_ipsec_on_and_off) {
  NetworkOperatorConfig c = At("4.14");
  BOOST_TEST(ToString(c.Intent()) == std::string("Disabled"));
  c.ApplyMergePatch(kEnable);
  BOOST_TEST(ToString(c.Intent()) == std::string("Full"));  // the legacy {} means Full
  BOOST_TEST(c.Render(Platform::kBaremetal, DaemonFixes::kStock).nbGlobalIpsec);
  c.ApplyJsonPatch(kDisable);
  BOOST_TEST(ToString(c.Intent()) == std::string("Disabled"));
  BOOST_TEST(!c.Render(Platform::kBaremetal, DaemonFixes::kStock).nbGlobalIpsec);
  BOOST_TEST(c.Render(Platform::kBaremetal, DaemonFixes::kStock).daemonSets.empty());
}

BOOST_AUTO_TEST_CASE(removing_a_path_that_is_not_there_fails_like_the_api_server) {
  const std::string why = Refusal(At("4.15"), kDisable, false);
  BOOST_TEST(why.find("jsonpatch remove operation does not apply: doc is missing path") !=
             std::string::npos);
  BOOST_TEST(why.find("/spec/defaultNetwork/ovnKubernetesConfig/ipsecConfig") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(fields_are_checked_per_release) {
  const std::string base = R"({"spec":{"defaultNetwork":{"ovnKubernetesConfig":{"ipsecConfig":)";
  // 4.14 knows only the empty object.
  BOOST_TEST(Refusal(At("4.14"), base + R"({"mode":"Full"}}}}})", true)
                 .find("ipsecConfig.mode: field not declared in schema") != std::string::npos);
  // 4.15 has mode, with three values.
  BOOST_TEST(Refusal(At("4.15"), base + R"({"mode":"Full"}}}}})", true).empty());
  BOOST_TEST(
      Refusal(At("4.15"), base + R"({"mode":"full"}}}}})", true)
          .find(R"(Unsupported value: "full": supported values: "Disabled", "External", "Full")") !=
      std::string::npos);
  BOOST_TEST(Refusal(At("4.15"), base + R"({"mode":3}}}}})", true).find("must be of type string") !=
             std::string::npos);
  // full.encapsulation exists from 4.16, and only with mode Full.
  const std::string always = R"("full":{"encapsulation":"Always"})";
  BOOST_TEST(Refusal(At("4.15"), base + R"({"mode":"Full",)" + always + "}}}}}", true)
                 .find("ipsecConfig.full: field not declared") != std::string::npos);
  BOOST_TEST(Refusal(At("4.16"), base + R"({"mode":"Full",)" + always + "}}}}}", true).empty());
  BOOST_TEST(Refusal(At("4.16"), base + R"({"mode":"External",)" + always + "}}}}}", true)
                 .find("full is forbidden when mode is not Full") != std::string::npos);
  BOOST_TEST(Refusal(At("4.16"), "not json", true).find("error decoding patch") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_refused_patch_leaves_the_object_as_it_was) {
  NetworkOperatorConfig c = At("4.15", json{{"mode", "Full"}});
  const json before = c.Object();
  BOOST_CHECK_THROW(c.ApplyMergePatch(R"({"spec":{"defaultNetwork":{"ovnKubernetesConfig":)"
                                      R"({"ipsecConfig":{"bogus":1}}}}})"),
                    OperatorApiError);
  BOOST_TEST(c.Object() == before);
}

BOOST_AUTO_TEST_CASE(what_each_release_renders) {
  const RenderedIpsec r13 =
      At("4.13", json::object()).Render(Platform::kBaremetal, DaemonFixes::kStock);
  BOOST_TEST(r13.daemonSets == std::vector<std::string>{"ovn-ipsec"});
  BOOST_TEST(r13.machineConfigs.empty());
  const RenderedIpsec r14 =
      At("4.14", json::object()).Render(Platform::kBaremetal, DaemonFixes::kStock);
  BOOST_TEST(r14.daemonSets ==
             (std::vector<std::string>{"ovn-ipsec-host", "ovn-ipsec-containerized"}));
  const RenderedIpsec r15 =
      At("4.15", json::object()).Render(Platform::kBaremetal, DaemonFixes::kStock);
  BOOST_TEST(r15.machineConfigs == (std::vector<std::string>{"80-ipsec-master-extensions",
                                                             "80-ipsec-worker-extensions"}));
  BOOST_TEST(!r15.nbGlobalIpsecEncapsulation);
  BOOST_TEST(At("4.15", json::object())
                 .Render(Platform::kIbmcloud, DaemonFixes::kStock)
                 .nbGlobalIpsecEncapsulation);
  const json always = {{"mode", "Full"}, {"full", {{"encapsulation", "Always"}}}};
  BOOST_TEST(
      At("4.16", always).Render(Platform::kAws, DaemonFixes::kStock).nbGlobalIpsecEncapsulation);
  // External: the host extension, no east-west IPsec.
  const RenderedIpsec ext =
      At("4.15", json{{"mode", "External"}}).Render(Platform::kAws, DaemonFixes::kStock);
  BOOST_TEST(!ext.nbGlobalIpsec);
  BOOST_TEST(ext.daemonSets.empty());
  BOOST_TEST(ext.machineConfigs.size() == 2u);
}

BOOST_AUTO_TEST_CASE(release_profiles_of_the_daemons) {
  BOOST_TEST(!ReleaseFor(*OcpVersion::Parse("4.13"), DaemonFixes::kStock).crossingStreamsDefect);
  BOOST_TEST(ReleaseFor(*OcpVersion::Parse("4.14"), DaemonFixes::kStock).crossingStreamsDefect);
  BOOST_TEST(ReleaseFor(*OcpVersion::Parse("4.15"), DaemonFixes::kStock).initiatesBothSides);
  const IpsecRelease fixed = ReleaseFor(*OcpVersion::Parse("4.15"), DaemonFixes::kFixed);
  BOOST_TEST(!fixed.crossingStreamsDefect);
  BOOST_TEST(!fixed.initiatesBothSides);
  BOOST_TEST(fixed.reconcileChecksKernel);
  BOOST_TEST(!ReleaseFor(*OcpVersion::Parse("4.16"), DaemonFixes::kStock).crossingStreamsDefect);
}
