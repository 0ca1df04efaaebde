// The Libreswan configuration reader (models/libreswan): sections, %default
// and also= resolution, includes, and errors with file:line.
#include <boost/test/unit_test.hpp>
#include <chrono>

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

// conn c0 also=c1, c1 also=c2, ... up to c<last>.
std::string AlsoChain(int last) {
  std::string text;
  for (int i = 0; i < last; ++i)
    text += "conn c" + std::to_string(i) + "\n  also=c" + std::to_string(i + 1) + "\n";
  return text + "conn c" + std::to_string(last) + "\n  right=192.0.2.1\n";
}

BOOST_AUTO_TEST_CASE(also_lists_stop_at_libreswans_limit_of_32) {
  // c0 takes in c1..c31: 31 names.
  const ResolvedConfig within = ResolveText(AlsoChain(31));
  BOOST_TEST(Conn(within, "c0").loaded);
  BOOST_TEST(Conn(within, "c0").Get("right") == "192.0.2.1");
  // c0 takes in c1..c31, and c31's also= makes the 32nd name.
  const ResolvedConfig over = ResolveText(AlsoChain(32));
  BOOST_TEST(!Conn(over, "c0").loaded);
  BOOST_TEST(Conn(over, "c1").loaded);
  BOOST_REQUIRE(over.notices.size() == 1u);
  BOOST_TEST(over.notices[0].message ==
             "while loading conn 'c0', too many also= used at section c31. Limit is 32");
  BOOST_TEST(over.notices[0].where.line == 63);
  // A loop adds each conn once and counts no further names.
  BOOST_TEST(
      Conn(ResolveText("conn a\n  also=b\nconn b\n  also=a\n  right=192.0.2.1\n"), "a").loaded);
}

BOOST_AUTO_TEST_CASE(a_long_also_chain_resolves_in_linear_time_without_recursion) {
  // 100,000 conns (2.4 MB): recursion overflowed the stack, and walking every
  // chain to its end cost quadratic time.
  const std::string text = AlsoChain(100000);
  const auto start = std::chrono::steady_clock::now();
  const ResolvedConfig c = ResolveText(text);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST(seconds < 20);
  BOOST_REQUIRE(c.conns.size() == 100001u);
  BOOST_TEST(!c.conns[99968].loaded);
  BOOST_TEST(c.conns[99969].loaded);
  BOOST_TEST(c.notices.size() == 99969u);
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
