// MessageWindow: what it keeps of the datagrams, and for how long.
#include <boost/test/unit_test.hpp>

#include "message_window.h"

using ipsecsim::Bytes;
using ipsecsim::ike::MessageWindow;

BOOST_AUTO_TEST_SUITE(ike_window)

BOOST_AUTO_TEST_CASE(an_answered_request_is_freed_and_the_last_response_kept) {
  MessageWindow w;
  w.RequestSent(Bytes(1500, 0xaa));
  BOOST_TEST(w.RequestOutstanding());
  BOOST_TEST(w.OutstandingRequest().size() == 1500u);
  w.ResponseReceived();
  BOOST_TEST(!w.RequestOutstanding());
  BOOST_TEST(w.NextRequestId() == 1u);
  BOOST_TEST(w.OutstandingRequest().capacity() == 0u);  // not only empty

  BOOST_TEST((w.Classify(0) == MessageWindow::RequestKind::kNew));
  w.ResponseSent(0, Bytes(1200, 0xbb));
  BOOST_TEST((w.Classify(0) == MessageWindow::RequestKind::kRetransmission));
  BOOST_TEST(w.LastResponse() == Bytes(1200, 0xbb));  // answers a retransmission
  BOOST_TEST((w.Classify(1) == MessageWindow::RequestKind::kNew));
  BOOST_TEST((w.Classify(2) == MessageWindow::RequestKind::kOutOfWindow));
}

BOOST_AUTO_TEST_SUITE_END()
