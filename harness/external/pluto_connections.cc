#include "pluto_connections.h"

#include <arpa/inet.h>

#include <cctype>
#include <map>
#include <memory>
#include <regex>
#include <set>

namespace ipsecsim::external {
namespace {

using libreswan::ResolvedConn;
using libreswan::ResolvedSetting;

// Keys the run acts on; every other key a conn sets is named in the log.
const std::set<std::string> kModelledKeys = {
    "left",           "right",       "leftid",     "rightid",     "leftcert",      "leftrsasigkey",
    "rightrsasigkey", "authby",      "leftsubnet", "rightsubnet", "leftprotoport", "rightprotoport",
    "type",           "auto",        "ikev2",      "ike",         "esp",           "encapsulation",
    "salifetime",     "rekeymargin", "rightca",    "also"};

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<ike::IpAddress> ParseV4(const std::string& text) {
  in_addr a{};
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
  return ike::IpAddress::V4(ntohl(a.s_addr));
}

// One conn, read with left and right swapped when right is this host, as
// pluto orients a conn to the interface it finds (ipsec.conf(5), left).
class ConnReader {
 public:
  ConnReader(const ResolvedConn& conn, const ike::IpAddress& local) : conn_(conn), local_(local) {}

  std::string Where(const std::string& key) const {
    const ResolvedSetting* s = conn_.Find(key);
    const libreswan::SourceLocation& at = s ? s->setting.where : conn_.where;
    return at.Describe() + ": conn " + conn_.name + ": ";
  }

  [[noreturn]] void Refuse(const std::string& key, const std::string& why) const {
    const ResolvedSetting* s = conn_.Find(key);
    throw ExternalConfigError(
        Where(key) + (s ? key + "=" + Shown(s->setting.value) : key + " unset") + ": " + why);
  }

  // A value as a message shows it: a long one by its start and its length.
  static std::string Shown(const std::string& value) {
    if (value.size() <= 64) return value;
    return value.substr(0, 64) + "... (" + std::to_string(value.size()) + " characters)";
  }

  void Orient() {
    const std::string left = conn_.Get("left"), right = conn_.Get("right");
    if (IsLocal(left)) return;
    if (IsLocal(right)) {
      swapped_ = true;
      return;
    }
    Refuse("left", "expected this host's address " + local_.ToString() +
                       " or %defaultroute on one side (pluto loads no conn that is not its own)");
  }

  // The value of left<key> or right<key> after orientation.
  std::string Own(const std::string& key) const { return conn_.Get(OwnKey(key)); }
  std::string Peer(const std::string& key) const { return conn_.Get(PeerKey(key)); }
  std::string OwnKey(const std::string& key) const { return (swapped_ ? "right" : "left") + key; }
  std::string PeerKey(const std::string& key) const { return (swapped_ ? "left" : "right") + key; }

 private:
  bool IsLocal(const std::string& value) const {
    if (value == "%defaultroute") return true;
    const auto a = ParseV4(value);
    return a && *a == local_;
  }

  const ResolvedConn& conn_;
  ike::IpAddress local_;
  bool swapped_ = false;
};

// "8h", "480m", "28800s", "1d", "28800" (seconds), as Libreswan reads times.
// libstdc++'s std::regex recurses once per character: the values it reads
// are bounded first (no value the run accepts is longer).
constexpr size_t kMaxMatchedValue = 64;
constexpr size_t kMaxConnections = 1000;

std::optional<double> ParseTime(const std::string& text) {
  if (text.size() > kMaxMatchedValue) return std::nullopt;
  static const std::regex time(R"(^([0-9]{1,9})([smhd]?)$)");
  std::smatch m;
  if (!std::regex_match(text, m, time)) return std::nullopt;
  const double n = std::stod(m[1].str());
  const std::string unit = m[2].str();
  return unit == "m" ? n * 60 : unit == "h" ? n * 3600 : unit == "d" ? n * 86400 : n;
}

// "udp", "17", "udp/6081", "tcp/%any", "%any": protocol and port.
bool ParseProtoPort(const std::string& text, uint8_t* protocol, ike::PortSpan* ports) {
  if (text.size() > kMaxMatchedValue) return false;
  static const std::regex form(R"(^(%any|[a-z]+|[0-9]{1,3})(/(%any|[0-9]{1,5}))?$)");
  std::smatch m;
  const std::string t = Lower(text);
  if (!std::regex_match(t, m, form)) return false;
  const std::string p = m[1].str();
  if (p == "%any")
    *protocol = 0;
  else if (p == "tcp")
    *protocol = 6;
  else if (p == "udp")
    *protocol = 17;
  else if (p == "icmp")
    *protocol = 1;
  else if (std::isdigit(static_cast<unsigned char>(p[0])) && std::stoi(p) <= 255)
    *protocol = uint8_t(std::stoi(p));
  else
    return false;
  *ports = ike::PortSpan::Any();
  if (m[3].matched && m[3].str() != "%any") {
    const int port = std::stoi(m[3].str());
    if (port > 65535) return false;
    *ports = ike::PortSpan::Single(uint16_t(port));
  }
  return true;
}

// The only algorithms ipsecsim's daemons negotiate: AES-GCM-16 with a
// 256-bit key, PRF SHA2-256, MODP-2048 (docs/ike.md).
bool IsGcm256(const std::string& text, bool ike) {
  if (text.size() > kMaxMatchedValue) return false;
  static const std::regex ikeForm(
      R"(^aes_?gcm(_16|16)?-?256(-sha2(_256)?)?([-;](modp2048|dh14))?$)");
  static const std::regex espForm(R"(^aes_?gcm(_16|16)?-?256(-null)?$)");
  return std::regex_match(Lower(text), ike ? ikeForm : espForm);
}

// One identity per (leftcert, leftid) for all the conns of a pluto.
using IdentityCache = std::map<std::string, std::shared_ptr<const ike::IkeIdentity>>;

std::optional<ike::ConnectionConfig> ReadConn(const ResolvedConn& conn, const NssStore& nss,
                                              const ike::IpAddress& local, PlutoLoad& load,
                                              IdentityCache& identities) {
  const std::string autoValue = Lower(conn.Get("auto", "ignore"));
  if (autoValue == "ignore") return std::nullopt;
  ConnReader r(conn, local);
  r.Orient();
  ike::ConnectionConfig c;
  c.name = conn.name;
  c.localAddress = local;
  if (autoValue == "add")
    c.autoMode = ike::AutoMode::kAdd;
  else if (autoValue == "ondemand" || autoValue == "route")
    c.autoMode = ike::AutoMode::kRoute;
  else if (autoValue == "start")
    c.autoMode = ike::AutoMode::kStart;
  else
    r.Refuse("auto", "expected add, ondemand, route, start or ignore (keep is not modelled)");

  const std::string type = Lower(conn.Get("type", "tunnel"));
  if (type != "transport" && type != "tunnel")
    r.Refuse("type",
             "expected tunnel (the default) or transport (passthrough, drop and reject "
             "are not modelled)");
  c.tunnel = type == "tunnel";

  const std::string peer = r.Peer("");
  if (peer == "%any") {
    c.remoteAddress = ike::IpAddress::Any(local.GetFamily());
    if (c.autoMode != ike::AutoMode::kAdd)
      r.Refuse("auto", "a conn to %any can only wait for peers: expected auto=add");
  } else if (auto a = ParseV4(peer)) {
    c.remoteAddress = *a;
  } else {
    r.Refuse(r.PeerKey(""), "expected an IPv4 address or %any (names are not resolved)");
  }
  for (const std::string side : {"own", "peer"}) {
    const bool own = side == "own";
    const std::string key = own ? r.OwnKey("subnet") : r.PeerKey("subnet");
    const std::string subnet = conn.Get(key);
    if (subnet.empty()) continue;
    const ike::IpAddress host = own ? local : c.remoteAddress;
    if (c.remoteAddress.IsUnspecified() && !own)
      r.Refuse(key, "a subnet towards %any is not modelled");
    if (subnet != host.ToString() + "/32" && subnet != host.ToString())
      r.Refuse(key, "expected the host itself (" + host.ToString() +
                        "/32): the run models host-to-host conns only, whose selectors are the "
                        "two hosts");
  }
  ike::PortSpan ownPorts, peerPorts;
  uint8_t ownProto = 0, peerProto = 0;
  const std::string ownPP = r.Own("protoport"), peerPP = r.Peer("protoport");
  if (!ownPP.empty() && !ParseProtoPort(ownPP, &ownProto, &ownPorts))
    r.Refuse(r.OwnKey("protoport"), "expected PROTOCOL[/PORT], e.g. udp/6081");
  if (!peerPP.empty() && !ParseProtoPort(peerPP, &peerProto, &peerPorts))
    r.Refuse(r.PeerKey("protoport"), "expected PROTOCOL[/PORT], e.g. udp/6081");
  if (!ownPP.empty() && !peerPP.empty() && ownProto != peerProto)
    r.Refuse(r.PeerKey("protoport"), "expected the same protocol on both sides");
  c.protocol = !ownPP.empty() ? ownProto : peerProto;
  c.localPorts = ownPorts;
  c.remotePorts = peerPorts;

  const std::string authby = Lower(conn.Get("authby", "rsasig"));
  if (authby != "rsasig" && authby != "rsa-sha2" && authby != "rsa" && authby != "rsa-sha2_256")
    r.Refuse("authby", "expected RSA signatures (the run models certificate authentication only)");
  for (const std::string& key : {r.OwnKey("rsasigkey"), r.PeerKey("rsasigkey")}) {
    const std::string v = conn.Get(key, "%cert");
    if (v != "%cert") r.Refuse(key, "expected %cert (raw RSA keys are not modelled)");
  }
  const std::string ikev2 = Lower(conn.Get("ikev2", "insist"));
  if (ikev2 == "no" || ikev2 == "never")
    r.Refuse("ikev2", "IKEv1 is not modelled: expected ikev2=insist");
  if (auto ike = conn.Find("ike"); ike && !IsGcm256(ike->setting.value, true))
    r.Refuse("ike", "expected aes_gcm256-sha2_256, the only IKE proposal the run models");
  if (auto esp = conn.Find("esp"); esp && !IsGcm256(esp->setting.value, false))
    r.Refuse("esp", "expected aes_gcm256, the only ESP proposal the run models");
  const std::string encapsulation = Lower(conn.Get("encapsulation", "auto"));
  if (encapsulation == "yes")
    c.forceEncapsulation = true;
  else if (encapsulation != "auto" && encapsulation != "no")
    r.Refuse("encapsulation", "expected yes, no or auto");
  if (auto life = conn.Find("salifetime")) {
    const auto seconds = ParseTime(life->setting.value);
    if (!seconds || *seconds <= 0) r.Refuse("salifetime", "expected a time like 8h or 28800s");
    c.saLifetimeSeconds = *seconds;
  }
  if (auto margin = conn.Find("rekeymargin")) {
    const auto seconds = ParseTime(margin->setting.value);
    if (!seconds) r.Refuse("rekeymargin", "expected a time like 9m or 540s");
    c.rekeyMarginSeconds = *seconds;
  }

  const std::string peerId = r.Peer("id");
  if (peerId.empty())
    r.Refuse(r.PeerKey("id"),
             "the default ID (the peer's IP address) is not modelled: expected "
             "%fromcert, %any or @name");
  if (peerId != "%fromcert" && peerId != "%any" && peerId.front() != '@')
    r.Refuse(r.PeerKey("id"),
             "a DN or address ID is not modelled: expected %fromcert, %any or "
             "@name");
  c.remoteId = peerId;

  const std::string nickname = r.Own("cert");
  if (nickname.empty())
    r.Refuse(r.OwnKey("cert"), "expected a certificate nickname (authby=rsasig needs one)");
  const NssCertificate* cert = nss.ByNickname(nickname);
  if (!cert || !cert->key) {
    // connections.c: the conn is not loaded, and pluto says why.
    load.log.push_back("\"" + conn.name + "\": failed to add connection: left certificate '" +
                       nickname + "' not found in the NSS database");
    return std::nullopt;
  }
  const std::string ownId = r.Own("id");
  const std::string rightca = conn.Get(r.PeerKey("ca"));
  if (!rightca.empty())
    r.Refuse(r.PeerKey("ca"),
             "a CA restriction is not modelled: every trusted CA in the NSS "
             "database is accepted");
  std::shared_ptr<const ike::IkeIdentity>& cached = identities[nickname + "\n" + ownId];
  if (cached) {
    c.identity = cached;
  } else {
    auto identity = std::make_shared<ike::IkeIdentity>();
    if (ownId == "%fromcert") {
      identity->idFromCert = true;
      identity->id = "%fromcert";
    } else if (!ownId.empty() && ownId.front() == '@') {
      identity->id = ownId;
    } else {
      r.Refuse(r.OwnKey("id"),
               "expected %fromcert or @name (the default, this host's IP "
               "address, is not modelled)");
    }
    identity->certificate = cert->certificate;
    identity->key = *cert->key;
    identity->trustAnchors = nss.TrustAnchors();
    cached = identity;
    c.identity = identity;
  }
  for (const auto& [key, value] : conn.values)
    if (!kModelledKeys.count(key) && value.origin == ResolvedSetting::Origin::kOwn)
      load.log.push_back(r.Where(key) + key + "=" + value.setting.value +
                         " is read but not modelled by ipsecsim");
  load.log.push_back("\"" + conn.name + "\": added IKEv2 connection");
  return c;
}

// The keys ovs-monitor-ipsec writes into each of its conns; a %default
// never reaches them there.
const std::set<std::string> kOvnConnKeys = {"left",    "right",         "leftid",
                                            "rightid", "leftcert",      "leftrsasigkey",
                                            "rightca", "leftprotoport", "rightprotoport"};

// The merged %default as OVN's conns take it: what the run acts on, what it
// names in the log, and what it refuses rather than guess at. The keys of
// ovs-monitor-ipsec's own header (openshift.conf) are OVN's and say nothing.
ike::ConnectionDefaults ReadOvnDefaults(const libreswan::ResolvedConfig& config,
                                        std::vector<std::string>& log) {
  ike::ConnectionDefaults d;
  for (const auto& [key, setting] : config.defaults) {
    if (kOvnConnKeys.count(key)) continue;
    const bool ovnHeader = setting.where.file.find(kOvnHeaderLabel) != std::string::npos;
    const std::string at = setting.where.Describe() + ": conn %default: " + key + "=" +
                           ConnReader::Shown(setting.value) + " reaches OVN's pod-to-pod conns";
    auto refuse = [&at](const std::string& why) { throw ExternalConfigError(at + ": " + why); };
    const std::string value = Lower(setting.value);
    std::string acted;
    if (key == "type") {
      if (value != "tunnel" && value != "transport")
        refuse("expected tunnel or transport (OVN's conns would carry no Geneve)");
      d.tunnel = value == "tunnel";
      acted = value == "tunnel" ? "their Child SAs are tunnel mode" : "";
    } else if (key == "encapsulation") {
      if (value != "yes" && value != "no" && value != "auto") refuse("expected yes, no or auto");
      d.forceEncapsulation = value == "yes";
      acted = value == "yes" ? "their ESP goes in UDP 4500" : "";
    } else if (key == "salifetime" || key == "rekeymargin") {
      const auto seconds = ParseTime(setting.value);
      if (!seconds || (key == "salifetime" && *seconds <= 0)) refuse("expected a time like 8h");
      (key == "salifetime" ? d.saLifetimeSeconds : d.rekeyMarginSeconds) = *seconds;
      acted = "their Child SAs take it";
    } else if (key == "ike" || key == "esp") {
      if (!IsGcm256(setting.value, key == "ike"))
        refuse("expected AES-GCM-16-256, the only proposal the run models");
    } else if (key == "ikev2") {
      if (value == "no" || value == "never") refuse("IKEv1 is not modelled");
    } else if (key == "authby") {
      if (value != "rsasig" && value != "rsa-sha2" && value != "rsa" && value != "rsa-sha2_256")
        refuse("expected RSA signatures (OVN's conns authenticate by certificate)");
    } else if (key == "leftsubnet" || key == "rightsubnet" || key == "rightrsasigkey" ||
               key == "also") {
      refuse("not modelled for OVN's conns");
    } else if (!ovnHeader) {
      log.push_back(at + ": read but not modelled by ipsecsim");
      continue;
    }
    if (!ovnHeader && !acted.empty()) log.push_back(at + ": " + acted);
  }
  return d;
}

}  // namespace

PlutoLoad LoadConnections(const libreswan::ResolvedConfig& config, const NssStore& nss,
                          const ike::IpAddress& localAddress) {
  PlutoLoad load;
  if (auto u = config.setup.find("uniqueids"); u != config.setup.end()) {
    const std::string v = Lower(u->second.value);
    if (v != "yes" && v != "no")
      throw ExternalConfigError(u->second.where.Describe() + ": config setup: uniqueids=" +
                                u->second.value + ": expected yes or no");
    load.uniqueIds = v == "yes";
  }
  // Only a tree with ovs-monitor-ipsec's openshift.conf has OVN's conns.
  for (const auto& [key, setting] : config.defaults)
    if (setting.where.file.find(kOvnHeaderLabel) != std::string::npos) {
      load.ovnDefaults = ReadOvnDefaults(config, load.log);
      break;
    }
  size_t added = 0;
  IdentityCache identities;
  for (const ResolvedConn& conn : config.conns) {
    if (!conn.loaded) continue;
    if (auto c = ReadConn(conn, nss, localAddress, load, identities)) {
      if (++added > kMaxConnections)
        throw ExternalConfigError(conn.where.Describe() + ": conn " + conn.name + ": more than " +
                                  std::to_string(kMaxConnections) +
                                  " conns to load; ipsecsim's own limit (each is a "
                                  "connection of every node's pluto)");
      load.connections.push_back(*c);
    }
  }
  return load;
}

}  // namespace ipsecsim::external
