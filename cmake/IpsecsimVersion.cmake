# The version and build of this ipsecsim, fixed when CMake configures the
# tree: the project version, `git describe` of the checkout, the compiler and
# the build type. `ipsecsim --version`, report.json, junit.xml and
# ipsecsim.__version__ all read them from the generated build_info.cc.
execute_process(
  COMMAND git describe --always --dirty --tags
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  OUTPUT_VARIABLE IPSECSIM_GIT_DESCRIBE
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET
  RESULT_VARIABLE git_result)
if(NOT git_result EQUAL 0 OR IPSECSIM_GIT_DESCRIBE STREQUAL "")
  set(IPSECSIM_GIT_DESCRIBE "unknown")  # a tarball, or git absent
endif()
set(IPSECSIM_COMPILER "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
set(IPSECSIM_BUILD_TYPE "${CMAKE_BUILD_TYPE}")
configure_file(${PROJECT_SOURCE_DIR}/harness/build_info.cc.in
  ${PROJECT_BINARY_DIR}/generated/build_info.cc @ONLY)
