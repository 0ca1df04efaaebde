// tshark decrypts tunnel-mode ESP with the key file the run writes: IPv4 and
// IPv6 outer headers, with and without UDP 4500. Every ESP frame decrypts
// with a good ICV and shows the inner IP header with the site addresses.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "tshark_run.h"
#include "tunnel_world.h"

namespace {

using ipsecsim::test::Family;
using ipsecsim::test::TunnelCase;
using ipsecsim::test::TunnelWorld;
namespace fs = std::filesystem;

std::string Text(const ns3::Address& a) {
  std::ostringstream os;
  if (ns3::Ipv4Address::IsMatchingType(a)) {
    os << ns3::Ipv4Address::ConvertFrom(a);
  } else {
    os << ns3::Ipv6Address::ConvertFrom(a);
  }
  return os.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(xfrm_tunnel_tshark)

BOOST_DATA_TEST_CASE(tshark_decrypts_tunnel_mode_and_shows_the_inner_header,
                     boost::unit_test::data::make(ipsecsim::test::kTunnelCases), c) {
  const fs::path dir = fs::temp_directory_path() / ("ipsecsim-xfrm-tunnel-" + c.Name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string outer[2], inner[2];
  {
    TunnelWorld w(c);
    w.AddPolicies();
    w.AddStates();
    ns3::PointToPointHelper().EnablePcap((dir / "a.pcap").string(), w.devices.Get(0), false, true);
    w.Send(300, 4);
    BOOST_TEST(w.received.size() == 4u);
    BOOST_REQUIRE(w.keys.Write((dir / "esp_sa").string()));
    for (int i = 0; i < 2; ++i) {
      outer[i] = Text(w.Gateway(i));
      inner[i] = Text(w.Site(i));
    }
  }
  std::string keys;
  std::ifstream uat(dir / "esp_sa");
  for (std::string line; std::getline(uat, line);) keys += " -o 'uat:esp_sa:" + line + "'";
  const bool innerV4 = c.inner == Family::kIpv4, outerV4 = c.outer == Family::kIpv4;
  // Outer and inner headers as tshark lists them: one field per family, the
  // outer header's value first when both are of one family.
  const std::string fields =
      " -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e esp.icv_good -e udp.dstport";
  const auto lines =
      ipsecsim::test::TsharkLines(dir.string(), (dir / "a.pcap").string(),
                                  keys + " -Y 'esp' -T fields -E separator='|'" + fields);
  BOOST_REQUIRE_EQUAL(lines.size(), 4u);
  std::string v4src, v4dst, v6src, v6dst;
  if (outerV4 && innerV4) {
    v4src = outer[0] + "," + inner[0];
    v4dst = outer[1] + "," + inner[1];
  } else if (!outerV4 && !innerV4) {
    v6src = outer[0] + "," + inner[0];
    v6dst = outer[1] + "," + inner[1];
  } else {
    (outerV4 ? v4src : v6src) = outer[0];
    (outerV4 ? v4dst : v6dst) = outer[1];
    (innerV4 ? v4src : v6src) = inner[0];
    (innerV4 ? v4dst : v6dst) = inner[1];
  }
  const std::string ports = c.encap ? "4500,7000" : "7000";
  const std::string expected = v4src + "|" + v4dst + "|" + v6src + "|" + v6dst + "|1|" + ports;
  for (const std::string& line : lines) BOOST_TEST(line == expected, c.Name());
}

BOOST_AUTO_TEST_SUITE_END()
