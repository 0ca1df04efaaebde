# ipsecsim_boost_test(NAME SOURCES... LIBS ...) builds one Boost.Test executable
# and registers it with CTest, run from the source tree so that tests find
# tests/data and scenarios/.
function(ipsecsim_boost_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK
    IPSECSIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    IPSECSIM_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name} --log_level=test_suite
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
