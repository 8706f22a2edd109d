# forumcast_test(NAME <name> LABEL unit|integration|e2e SOURCES ... LIBS ...)
# Adds one GoogleTest executable and registers its tests with CTest under a label,
# so `ctest -L unit` runs the fast ones in seconds.
include(GoogleTest)
function(forumcast_test)
  cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_include_directories(${T_NAME} PRIVATE ${FORUMCAST_SOURCE_DIR} ${FORUMCAST_SOURCE_DIR}/tests)
  target_compile_definitions(${T_NAME} PRIVATE
    FORUMCAST_SOURCE_DIR="${FORUMCAST_SOURCE_DIR}"
    FORUMCAST_BINARY_DIR="${CMAKE_BINARY_DIR}"
    FORUMCAST_WEB_ROOT="${FORUMCAST_WEB_ROOT}")
  gtest_discover_tests(${T_NAME}
    PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT}
    DISCOVERY_TIMEOUT 60)
endfunction()
