// The Network operator's configuration object: the documented patches, and
// what the API server refuses, release by release; what the operator renders.
#include <boost/test/unit_test.hpp>

#include "network_operator.h"
#include "ocp_zstreams.h"

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

// The API server's bounds on a JSON patch. The scenario loader's 64 KiB body
// limit comes first in a scenario, so the operation count is checked here.
BOOST_AUTO_TEST_CASE(a_json_patch_is_bounded_as_the_api_server_bounds_it) {
  auto ops = [](int n, const std::string& op) {
    std::string body = "[";
    for (int i = 0; i < n; ++i) body += (i ? "," : "") + op;
    return body + "]";
  };
  const std::string test = R"({"op":"test","path":"/kind","value":"Network"})";
  BOOST_TEST(Refusal(At("4.15"), ops(10000, test), false) == "");
  BOOST_TEST(Refusal(At("4.15"), ops(10001, test), false) ==
             "Request entity too large: the allowed number of operations in a JSON patch is "
             "10000, got 10001");
  // Each copy of /spec doubles it: the copies add more than 3 MiB long
  // before the document could exhaust memory.
  std::string copies = "[";
  for (int i = 0; i < 40; ++i)
    copies += std::string(i ? "," : "") + R"({"op":"copy","from":"/spec","path":"/spec/c)" +
              std::to_string(i) + R"("})";
  const std::string refused = Refusal(At("4.15"), copies + "]", false);
  BOOST_TEST(
      refused.find("Unable to complete the copy, the accumulated size increase of copy is") == 0u,
      refused);
  BOOST_TEST(refused.find("exceeding the limit 3145728") != std::string::npos, refused);
}

BOOST_AUTO_TEST_CASE(a_refused_patch_leaves_the_object_as_it_was) {
  NetworkOperatorConfig c = At("4.15", json{{"mode", "Full"}});
  const json before = c.Object();
  BOOST_CHECK_THROW(c.ApplyMergePatch(R"({"spec":{"defaultNetwork":{"ovnKubernetesConfig":)"
                                      R"({"ipsecConfig":{"bogus":1}}}}})"),
                    OperatorApiError);
  BOOST_TEST(c.Object() == before);
}

// The API schema takes any string as the type; the operator's
// MergeClusterConfig then writes network.config.openshift.io's networkType
// back over it (cluster-network-operator release-4.14 af41a3620,
// pkg/network/cluster_config.go), so the change is stored and undone.
BOOST_AUTO_TEST_CASE(a_patch_of_the_network_type_is_written_back_not_refused) {
  for (const char* version : {"4.14", "4.15", "4.16"}) {
    NetworkOperatorConfig c = At(version);
    c.ApplyMergePatch(R"({"spec":{"defaultNetwork":{"type":"Calico"}}})");
    BOOST_TEST(c.Object()["spec"]["defaultNetwork"]["type"] == "OVNKubernetes");
    BOOST_TEST(c.OverwrittenNetworkType().value_or("?") == "Calico");
    c.ApplyMergePatch(R"({"spec":{"defaultNetwork":{"type":"OVN\u0000Kubernetes"}}})");
    BOOST_TEST(c.OverwrittenNetworkType().value_or("?") == std::string("OVN\0Kubernetes", 14));
    c.ApplyJsonPatch(R"([{"op":"remove","path":"/spec/defaultNetwork/type"}])");
    BOOST_TEST(c.OverwrittenNetworkType().value_or("?") == "");
    BOOST_TEST(c.Object()["spec"]["defaultNetwork"]["type"] == "OVNKubernetes");
    c.ApplyMergePatch(kEnable);
    BOOST_TEST(!c.OverwrittenNetworkType());
  }
  const std::string why = Refusal(At("4.15"), R"({"spec":{"defaultNetwork":{"type":5}}})", true);
  BOOST_TEST(why.find("spec.defaultNetwork.type in body must be of type string: \"integer\"") !=
                 std::string::npos,
             why);
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
  auto at = [](const char* v, DaemonFixes f = DaemonFixes::kStock) {
    return ReleaseFor(*OcpVersion::Parse(v), f);
  };
  BOOST_TEST(!HasCrossingStreamsDefect(at("4.13").containerLibreswan));
  BOOST_TEST(HasCrossingStreamsDefect(at("4.14").containerLibreswan));
  BOOST_TEST(at("4.15").initiatesBothSides);
  const IpsecRelease fixed = at("4.15", DaemonFixes::kFixed);
  BOOST_TEST(!fixed.initiatesBothSides);
  BOOST_TEST(fixed.reconcileChecksKernel);
  BOOST_TEST(!HasCrossingStreamsDefect(at("4.16").hostLibreswan));
  // libreswan issue #1903: 4.6 to 4.15 have the defect, 4.5 and 5 do not.
  BOOST_TEST(HasCrossingStreamsDefect(Libreswan::k4_6));
  BOOST_TEST(HasCrossingStreamsDefect(Libreswan::k4_9));
  BOOST_TEST(!HasCrossingStreamsDefect(Libreswan::k4_5));
  BOOST_TEST(!HasCrossingStreamsDefect(Libreswan::k5));
  const IpsecRelease v5 =
      ReleaseFor(*OcpVersion::Parse("4.15"), DaemonFixes::kStock, Libreswan::k5);
  BOOST_TEST(!HasCrossingStreamsDefect(v5.hostLibreswan));
  BOOST_TEST(!HasCrossingStreamsDefect(v5.containerLibreswan));
}

BOOST_AUTO_TEST_CASE(z_streams_parse_and_a_bare_minor_is_its_first_z_stream) {
  const auto v = *OcpVersion::Parse("4.15.42");
  BOOST_TEST(v.patch == 42);
  BOOST_TEST(v.ToString() == "4.15.42");
  BOOST_TEST(!OcpVersion::Parse("4.15."));
  BOOST_TEST(!OcpVersion::Parse("4.15.1.2"));
  BOOST_TEST(Resolve(*OcpVersion::Parse("4.15")).ZStream() == "4.15.0");
  BOOST_TEST(Resolve(*OcpVersion::Parse("4.18")).ZStream() == "4.18.1");  // 4.18.0 never shipped
  BOOST_TEST(!NotShipped(*OcpVersion::Parse("4.15.41")));
  BOOST_TEST(NotShipped(*OcpVersion::Parse("4.15.1")).value_or("").find("skipped") !=
             std::string::npos);
  BOOST_TEST(NotShipped(*OcpVersion::Parse("4.15.99")).value_or("").find("ends at 4.15.67") !=
             std::string::npos);
  BOOST_TEST(ReleaseFor(*OcpVersion::Parse("4.15"), DaemonFixes::kStock).version.patch == 0);
}

BOOST_AUTO_TEST_CASE(update_graph_rules_and_risks) {
  auto v = [](const char* t) { return Resolve(*OcpVersion::Parse(t)); };
  BOOST_TEST(!UpdateNotAllowed(v("4.14.30"), v("4.15.42")));
  BOOST_TEST(!UpdateNotAllowed(v("4.15.30"), v("4.15.40")));
  BOOST_TEST(UpdateNotAllowed(v("4.15.40"), v("4.15.30")).has_value());
  BOOST_TEST(UpdateNotAllowed(v("4.13"), v("4.15")).has_value());
  BOOST_TEST(UpdateNotAllowed(v("4.15.3"), v("4.15.3")).has_value());
  // blocked-edges: OVNIPsecConnectivity up to 4.15.41, the paused-pool risk up to 4.15.48.
  BOOST_TEST(IpsecUpdateRisks(v("4.14"), v("4.15.41")).size() == 2u);
  BOOST_TEST(IpsecUpdateRisks(v("4.14"), v("4.15.42")).size() == 1u);
  BOOST_TEST(IpsecUpdateRisks(v("4.14"), v("4.15.49")).empty());
  BOOST_TEST(IpsecUpdateRisks(v("4.15.2"), v("4.15.10")).empty());
}

BOOST_AUTO_TEST_CASE(pod_scripts_and_operator_rules_per_z_stream) {
  auto at = [](const char* t) { return ReleaseFor(*OcpVersion::Parse(t), DaemonFixes::kStock); };
  // release-4.14: both pods check the host's libreswan rpm; #2152 adds the restart at 4.14.7.
  BOOST_TEST(int(at("4.14.6").pods.containerizedSleepsWhenHost) == int(PodGate::kHostLibreswanRpm));
  BOOST_TEST(int(at("4.14.6").pods.hostRestartsPluto) == int(PlutoRestart::kNever));
  BOOST_TEST(int(at("4.14.7").pods.hostRestartsPluto) == int(PlutoRestart::kEveryStart));
  // 4.15.0 (#2255): no rpm checks; the host pod flushes and restarts pluto; create-wait.
  const IpsecRelease r0 = at("4.15.0");
  BOOST_TEST(int(r0.pods.containerizedSleepsWhenHost) == int(PodGate::kNone));
  BOOST_TEST(r0.pods.hostFlushesAtStart);
  BOOST_TEST(r0.rules.createWaitDuringLegacyUpgrade);
  BOOST_TEST(!r0.rules.poolCountCondition);
  BOOST_TEST(at("4.15.25").rules.poolCountCondition);
  // 4.15.42 (#2596): no flush at start; the sidecar flushes on SIGTERM.
  BOOST_TEST(!at("4.15.42").pods.hostFlushesAtStart);
  BOOST_TEST(int(at("4.15.42").pods.hostSidecar) == int(SigtermFlush::kAlways));
  // 4.15.49 (#2658): restart only when needed, ipsec.service checks, no create-wait.
  const IpsecRelease r49 = at("4.15.49");
  BOOST_TEST(int(r49.pods.hostRestartsPluto) == int(PlutoRestart::kFirstStartOnNode));
  BOOST_TEST(int(r49.pods.containerizedSleepsWhenHost) == int(PodGate::kHostIpsecServiceActive));
  BOOST_TEST(!r49.rules.createWaitDuringLegacyUpgrade);
  BOOST_TEST(!r49.rules.poolCountCondition);
  BOOST_TEST(r49.rules.keepsNbIpsecInFullMode);
  BOOST_TEST(int(r49.pods.hostSidecar) == int(SigtermFlush::kOnlyWhenNotFull));
}
