// What pluto loads from a Libreswan file, as harness/external reads it: the
// sides oriented to the host, auto's default, templates, a missing leftcert,
// and every setting the run cannot act on refused at its file:line.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "bundle_identity.h"
#include "conf_parser.h"
#include "ovs_monitor_conf.h"
#include "pkcs12_file.h"
#include "pluto_connections.h"

using namespace ipsecsim;
using namespace ipsecsim::external;

namespace {

const ike::IpAddress kHost = ike::IpAddress::V4(0x0A00000Bu);  // 10.0.0.11

// left_server from the committed bundle, with its key.
const NssStore& Store() {
  static const NssStore store = [] {
    std::ifstream in("scenarios/external-host/left_server.p12", std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), {});
    const pkcs12::Bundle bundle = pkcs12::ReadBundle(Bytes(data.begin(), data.end()), "");
    const pkcs12::BundleIdentity id = pkcs12::IdentifyBundle(bundle);
    NssStore s;
    for (const pkcs12::Bag& bag : bundle.bags)
      if (bag.kind == pkcs12::Bag::Kind::kPrivateKey)
        s.Add({"left_server", id.leaf, KeyFor(bag.der, id.leaf), false});
    for (const pki::Certificate& ca : id.others) s.Add({"CA", ca, std::nullopt, true});
    return s;
  }();
  return store;
}

PlutoLoad Load(const std::string& text) {
  return LoadConnections(libreswan::Resolve(libreswan::ReadConfText(text, "test.conf")), Store(),
                         kHost);
}

const std::string kConn =
    "conn ext\n"
    "    left=%defaultroute\n"
    "    leftid=%fromcert\n"
    "    leftcert=left_server\n"
    "    right=192.0.2.10\n"
    "    rightid=%fromcert\n"
    "    type=transport\n";

std::string Refusal(const std::string& text) {
  try {
    Load(text);
  } catch (const ExternalConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pluto_connections)

BOOST_AUTO_TEST_CASE(auto_start_loads_one_transport_connection_with_the_certificates_dn) {
  const PlutoLoad load = Load(kConn + "    auto=start\n    leftprotoport=udp\n");
  BOOST_REQUIRE_EQUAL(load.connections.size(), 1u);
  const ike::ConnectionConfig& c = load.connections[0];
  BOOST_TEST(c.name == "ext");
  BOOST_TEST(c.localAddress.ToString() == kHost.ToString());
  BOOST_TEST(c.remoteAddress.ToString() == "192.0.2.10");
  BOOST_TEST(c.remoteId == "%fromcert");
  BOOST_TEST(c.protocol == 17);
  BOOST_TEST((c.autoMode == ike::AutoMode::kStart));
  BOOST_REQUIRE(c.identity);
  BOOST_TEST(c.identity->idFromCert);
  BOOST_TEST(c.identity->certificate.subjectCn == "left_server");
  BOOST_TEST(c.identity->trustAnchors.size() == 1u);  // the CA, trusted
}

BOOST_AUTO_TEST_CASE(without_type_the_conn_is_tunnel_mode_as_libreswans_default) {
  std::string text = kConn + "    auto=add\n";
  text.erase(text.find("    type=transport\n"), 19);
  const PlutoLoad load = Load(text);
  BOOST_REQUIRE_EQUAL(load.connections.size(), 1u);
  BOOST_TEST(load.connections[0].tunnel);
  BOOST_TEST(!Load(kConn + "    auto=add\n").connections[0].tunnel);
}

BOOST_AUTO_TEST_CASE(without_auto_nothing_is_loaded) {
  BOOST_TEST(Load(kConn).connections.empty());  // auto=ignore, the default
}

BOOST_AUTO_TEST_CASE(a_conn_written_from_the_peers_side_is_swapped) {
  const PlutoLoad load = Load(
      "conn ext\n    right=10.0.0.11\n    rightid=%fromcert\n    rightcert=left_server\n"
      "    left=192.0.2.10\n    leftid=@peer\n    type=transport\n    auto=add\n");
  BOOST_REQUIRE_EQUAL(load.connections.size(), 1u);
  BOOST_TEST(load.connections[0].remoteAddress.ToString() == "192.0.2.10");
  BOOST_TEST(load.connections[0].remoteId == "@peer");
}

BOOST_AUTO_TEST_CASE(a_missing_leftcert_keeps_the_conn_out_with_plutos_message) {
  std::string text = kConn + "    auto=start\n";
  text.replace(text.find("leftcert=left_server"), 20, "leftcert=other_name");
  const PlutoLoad load = Load(text);
  BOOST_TEST(load.connections.empty());
  BOOST_REQUIRE_EQUAL(load.log.size(), 1u);
  BOOST_TEST(load.log[0] ==
             "\"ext\": failed to add connection: left certificate 'other_name' not found in the "
             "NSS database");
}

BOOST_AUTO_TEST_CASE(a_right_any_template_must_only_wait) {
  std::string text = kConn + "    auto=start\n";
  text.replace(text.find("right=192.0.2.10"), 16, "right=%any");
  BOOST_TEST(Refusal(text).find("test.conf:") == 0u);
  BOOST_TEST(Refusal(text).find("expected auto=add") != std::string::npos);
  text.replace(text.find("auto=start"), 10, "auto=add");
  const PlutoLoad load = Load(text);
  BOOST_REQUIRE_EQUAL(load.connections.size(), 1u);
  BOOST_TEST(load.connections[0].remoteAddress.IsUnspecified());
}

BOOST_AUTO_TEST_CASE(keys_the_run_cannot_act_on_are_refused_or_named) {
  std::string passthrough = kConn + "    auto=add\n";
  passthrough.replace(passthrough.find("type=transport"), 14, "type=passthrough");
  BOOST_TEST(
      Refusal(passthrough).find("test.conf:7: conn ext: type=passthrough: expected tunnel") == 0u);
  BOOST_TEST(Refusal(kConn + "    auto=add\n    ike=aes256-sha1\n").find("ike=aes256-sha1") !=
             std::string::npos);
  BOOST_TEST(Refusal(kConn + "    auto=add\n    rightsubnet=192.0.2.0/24\n")
                 .find("expected the host itself (192.0.2.10/32)") != std::string::npos);
  BOOST_TEST(Refusal(kConn + "    auto=add\n    rightca=%same\n").find("rightca") !=
             std::string::npos);
  const PlutoLoad load = Load(kConn + "    auto=add\n    dpddelay=30\n");
  BOOST_REQUIRE_EQUAL(load.log.size(), 2u);
  BOOST_TEST(load.log[0] ==
             "test.conf:9: conn ext: dpddelay=30 is read but not modelled by ipsecsim");
}

BOOST_AUTO_TEST_CASE(a_conn_that_is_not_this_hosts_is_refused) {
  std::string text = kConn + "    auto=add\n";
  text.replace(text.find("left=%defaultroute"), 18, "left=10.9.9.9");
  BOOST_TEST(Refusal(text).find("expected this host's address 10.0.0.11") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// The user's file with ovs-monitor-ipsec's openshift.conf after it, as
// glob() sorts ipsec-endpoint-config.conf before openshift.conf.
PlutoLoad LoadBesideOvn(const std::string& text) {
  libreswan::ConfTree tree = libreswan::ReadConfText(text, "ipsec-endpoint-config.conf");
  const libreswan::ConfTree header = libreswan::ReadConfText(
      check::kOvsMonitorConfHeader, std::string("openshift.conf ") + kOvnHeaderLabel);
  tree.sections.insert(tree.sections.end(), header.sections.begin(), header.sections.end());
  return LoadConnections(libreswan::Resolve(tree), Store(), kHost);
}

std::string RefusalBesideOvn(const std::string& text) {
  try {
    LoadBesideOvn(text);
  } catch (const ExternalConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_user_default_fills_what_ovns_conns_leave_unset) {
  const std::string user =
      "conn %default\n    encapsulation=yes\n    salifetime=1h\n"
      "    type=tunnel\n    dpddelay=30\n" +
      kConn + "    auto=add\n";
  const PlutoLoad load = LoadBesideOvn(user);
  BOOST_TEST(load.ovnDefaults.forceEncapsulation.value_or(false));
  BOOST_TEST(load.ovnDefaults.saLifetimeSeconds.value_or(0) == 3600.0);
  // OVN's own type=transport is parsed later and wins, for its conns too.
  BOOST_TEST(!load.ovnDefaults.tunnel.value_or(true));
  bool named = false;
  for (const std::string& line : load.log)
    named |= line.find("dpddelay=30 reaches OVN's pod-to-pod conns: read but not modelled") !=
             std::string::npos;
  BOOST_TEST(named);
  // Without openshift.conf there are no OVN conns to reach.
  BOOST_TEST(!Load(user).ovnDefaults.forceEncapsulation.has_value());
  BOOST_TEST(RefusalBesideOvn("conn %default\n    rightsubnet=10.0.0.0/16\n" + kConn)
                 .find("rightsubnet=10.0.0.0/16 reaches OVN's pod-to-pod conns: not modelled") !=
             std::string::npos);
  BOOST_TEST(RefusalBesideOvn("conn %default\n    type=passthrough\n" + kConn).empty());
}
