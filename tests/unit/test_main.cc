#define BOOST_TEST_MODULE ipsecsim
#include <boost/test/unit_test.hpp>
