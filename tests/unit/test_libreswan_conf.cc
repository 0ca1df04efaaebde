// The Libreswan configuration reader (models/libreswan): sections, %default
// and also= resolution, includes, and errors with file:line.
#include <boost/test/unit_test.hpp>

#include "check_conf.h"
#include "conf_checks.h"
#include "conf_parser.h"
#include "conf_resolve.h"

using namespace ipsecsim::libreswan;

namespace {

ResolvedConfig ResolveText(const std::string& text) {
  ResolvedConfig c = Resolve(ReadConfText(text, "t.conf"));
  CheckLoadValues(c);
  return c;
}

const ResolvedConn& Conn(const ResolvedConfig& c, const std::string& name) {
  for (const ResolvedConn& conn : c.conns)
    if (conn.name == name) return conn;
  BOOST_FAIL("no conn " + name);
  return c.conns.front();
}

std::string ErrorOf(const std::string& text) {
  try {
    ReadConfText(text, "t.conf");
  } catch (const ConfError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(libreswan_conf)

BOOST_AUTO_TEST_CASE(sections_settings_comments_and_continuation) {
  const ConfTree t = ReadConfText(
      "# comment\nconfig setup\n  uniqueids=no\n\nconn a\n\tleft=%defaultroute # trailing\n"
      "  # inside\n\n  leftid=\"@a b\"\n  right = 192.0.2.1\nconn %default\n  auto=start\n",
      "t.conf");
  BOOST_REQUIRE_EQUAL(t.sections.size(), 3u);
  BOOST_TEST(t.sections[0].name == "setup");
  BOOST_TEST(t.sections[1].name == "a");
  BOOST_REQUIRE_EQUAL(t.sections[1].settings.size(), 3u);
  BOOST_TEST(t.sections[1].settings[0].value == "%defaultroute");
  BOOST_TEST(t.sections[1].settings[1].value == "@a b");
  BOOST_TEST(t.sections[1].settings[1].where.line == 9);
  BOOST_TEST(t.sections[1].settings[2].value == "192.0.2.1");
}

BOOST_AUTO_TEST_CASE(every_default_applies_wherever_it_stands_and_the_last_wins) {
  const ResolvedConfig c = ResolveText(
      "conn %default\n  type=transport\n  ikev2=insist\nconn a\n  right=192.0.2.1\n"
      "conn %default\n  type=tunnel\n");
  const ResolvedConn& a = Conn(c, "a");
  BOOST_TEST(a.Get("type") == "tunnel");
  BOOST_TEST(a.Get("ikev2") == "insist");
  BOOST_TEST(static_cast<int>(a.Find("type")->origin) ==
             static_cast<int>(ResolvedSetting::Origin::kDefault));
}

BOOST_AUTO_TEST_CASE(also_adds_keys_and_a_key_set_twice_keeps_the_conn_out) {
  const ResolvedConfig c = ResolveText(
      "conn base\n  leftid=%fromcert\nconn a\n  also=base\n  right=192.0.2.1\n"
      "conn b\n  also=a\n  right=192.0.2.2\n");
  BOOST_TEST(Conn(c, "a").Get("leftid") == "%fromcert");
  BOOST_TEST(Conn(c, "a").loaded);
  BOOST_TEST(!Conn(c, "b").loaded);
  BOOST_REQUIRE(!c.notices.empty());
  BOOST_TEST(c.notices.back().message == "duplicate key 'right' in conn b while processing def a");
  BOOST_TEST(c.notices.back().where.line == 5);
}

BOOST_AUTO_TEST_CASE(aliases_share_one_value) {
  const ResolvedConfig c = ResolveText("conn a\n  lifetime=1h\n  salifetime=2h\n");
  BOOST_TEST(!Conn(c, "a").loaded);
  BOOST_TEST(ResolveText("conn a\n  keylife=1h\n").conns[0].Get("salifetime") == "1h");
}

BOOST_AUTO_TEST_CASE(errors_read_like_libreswan_with_file_and_line) {
  BOOST_TEST(ErrorOf("conn a\n  left=1.2.3.4\n  frobnicate=1\n") ==
             "t.conf:3: syntax error [frobnicate]");
  BOOST_TEST(ErrorOf("conn a\nleft=1.2.3.4\n") == "t.conf:2: syntax error [left]");
  BOOST_TEST(ErrorOf("conn a b\n") == "t.conf:1: syntax error [b]");
  BOOST_TEST(ErrorOf("conn a\n  type=bogus\n") == "t.conf:2: keyword type, invalid value: bogus");
  BOOST_TEST(ErrorOf("config setup\n  leftid=x\n") ==
             "t.conf:2: unexpected keyword 'leftid' in section 'config setup'");
  BOOST_TEST(ErrorOf("conn a\n  pfs=maybe\n") == "t.conf:2: syntax error [maybe]");
  BOOST_TEST(ErrorOf("conn a\n  leftid=\"open\n") == "t.conf:2: syntax error [\"] (no closing \")");
  BOOST_TEST(ErrorOf(std::string("conn a\n  left=1\0x\n", 16)).find("binary data") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(load_time_value_errors_keep_only_that_conn_out) {
  const ResolvedConfig c = ResolveText(
      "conn a\n  rightsubnet=10.0.0.0/33\nconn b\n  rightprotoport=bogus/1\nconn c\n"
      "  rightsubnet=10.1.0.0/16\n  leftprotoport=udp/6081\n");
  BOOST_TEST(!Conn(c, "a").loaded);
  BOOST_TEST(!Conn(c, "b").loaded);
  BOOST_TEST(Conn(c, "c").loaded);
}

BOOST_AUTO_TEST_CASE(subnet_arithmetic) {
  const Subnet machine = *ParseSubnet("10.0.0.0/16");
  BOOST_TEST(ParseSubnet("0.0.0.0/0")->Contains(machine));
  BOOST_TEST(ParseSubnet("10.0.128.0/17")->Overlaps(machine));
  BOOST_TEST(!ParseSubnet("10.1.0.0/16")->Overlaps(machine));
  BOOST_TEST(ParseSubnet("192.0.2.10")->prefix == 32);
  BOOST_TEST(ParseSubnet("2001:db8::/32")->ipv6);
  BOOST_TEST(!ParseSubnet("10.0.0.1/8"));  // host bits set
}

BOOST_AUTO_TEST_CASE(ovs_monitor_reads_hyphen_digit_names_as_its_tunnels) {
  using ipsecsim::check::LooksLikeOvsTunnelConn;
  for (const char* tunnel : {"nas-1", "ext-10.0.0.5", "vpn-2a", "ovn-1a2b3c-0-in-1", "x-out-7"})
    BOOST_TEST(LooksLikeOvsTunnelConn(tunnel), tunnel);
  for (const char* user : {"external", "nas_1", "vpn-a2", "left-server", "x2"})
    BOOST_TEST(!LooksLikeOvsTunnelConn(user), user);
}

BOOST_AUTO_TEST_SUITE_END()
