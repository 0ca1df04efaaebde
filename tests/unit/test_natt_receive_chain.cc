// Several receive filters on one device: AddReceiveFilter sets the first
// directly, chains the next ones in order, and a frame dropped by an earlier
// model never reaches the later ones.
#include <boost/test/unit_test.hpp>

#include "ns3/bridge-net-device.h"
#include "ns3/csma-net-device.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "receive_filter_chain.h"

using namespace ns3;
using namespace ipsecsim::natt;

namespace {

// Counts what it is asked about; drops everything when told to.
class CountingModel : public ErrorModel {
 public:
  explicit CountingModel(bool drop) : drop_(drop) {}
  int seen = 0;

 private:
  bool DoCorrupt(Ptr<Packet>) override {
    ++seen;
    return drop_;
  }
  void DoReset() override { seen = 0; }
  bool drop_;
};

Ptr<ErrorModel> ReceiveModelOf(Ptr<NetDevice> device) {
  PointerValue value;
  device->GetAttribute("ReceiveErrorModel", value);
  return value.Get<ErrorModel>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(natt_receive_chain)

BOOST_AUTO_TEST_CASE(filters_run_in_the_order_added_and_stop_at_the_first_drop) {
  Ptr<CsmaNetDevice> device = CreateObject<CsmaNetDevice>();
  auto first = CreateObject<CountingModel>(false);
  auto second = CreateObject<CountingModel>(true);
  auto third = CreateObject<CountingModel>(false);
  BOOST_TEST(AddReceiveFilter(device, first));
  BOOST_TEST(ReceiveModelOf(device) == Ptr<ErrorModel>(first));  // alone: no chain
  BOOST_TEST(AddReceiveFilter(device, second));
  BOOST_TEST(AddReceiveFilter(device, third));
  Ptr<ErrorModelChain> chain = DynamicCast<ErrorModelChain>(ReceiveModelOf(device));
  BOOST_REQUIRE(chain);
  BOOST_TEST(chain->Models().size() == 3u);
  Ptr<Packet> frame = Create<Packet>(64);
  BOOST_TEST(chain->IsCorrupt(frame));
  BOOST_TEST(first->seen == 1);
  BOOST_TEST(second->seen == 1);
  BOOST_TEST(third->seen == 0);  // dropped before it
  chain->Reset();
  BOOST_TEST(first->seen == 0);
}

BOOST_AUTO_TEST_CASE(a_loss_model_first_keeps_its_draws_independent_of_later_filters) {
  // A RateErrorModel losing everything: the later filter never sees a frame.
  Ptr<CsmaNetDevice> device = CreateObject<CsmaNetDevice>();
  Ptr<RateErrorModel> loss = CreateObject<RateErrorModel>();
  loss->SetAttribute("ErrorRate", DoubleValue(1.0));
  loss->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
  device->SetAttribute("ReceiveErrorModel", PointerValue(loss));
  auto after = CreateObject<CountingModel>(false);
  BOOST_TEST(AddReceiveFilter(device, after));
  BOOST_TEST(ReceiveModelOf(device)->IsCorrupt(Create<Packet>(64)));
  BOOST_TEST(after->seen == 0);
}

BOOST_AUTO_TEST_CASE(devices_without_a_receive_filter_are_refused) {
  Ptr<NetDevice> bridge = CreateObject<BridgeNetDevice>();
  BOOST_TEST(!AddReceiveFilter(bridge, CreateObject<CountingModel>(false)));
}

BOOST_AUTO_TEST_SUITE_END()
