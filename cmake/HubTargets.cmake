# Shared compile settings for every hub target.
add_library(hub_build_settings INTERFACE)
target_include_directories(hub_build_settings INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_options(hub_build_settings INTERFACE -Wall -Wextra)
# GCC 12 at -O2/-O3 reports std::string and tl::expected internals inlined into
# our code as -Wrestrict (GCC bug 105651) and -Wmaybe-uninitialized false
# positives; the -O1 test build keeps both warnings, as errors.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(hub_build_settings INTERFACE
    "$<$<CONFIG:Release,RelWithDebInfo>:-Wno-restrict;-Wno-maybe-uninitialized>")
endif()
if(HUB_WERROR)
  target_compile_options(hub_build_settings INTERFACE -Werror)
endif()
if(HUB_SANITIZE)
  # GCC 12 reports -Wmaybe-uninitialized inside std::function/std::regex once
  # ASan instruments them (false positives); -Werror builds would stop there.
  target_compile_options(hub_build_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  target_link_options(hub_build_settings INTERFACE -fsanitize=address,undefined)
endif()
if(HUB_FAILPOINTS)
  target_compile_definitions(hub_build_settings INTERFACE HUB_ENABLE_FAILPOINTS=1)
endif()

# hub_library(NAME SOURCES ... DEPS ...): one component = one static library.
function(hub_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC hub_build_settings ${ARG_DEPS})
endfunction()

# hub_test(NAME [POSTGRESQL] [RUN_SERIAL] SOURCES ... DEPS ... [LABELS ...]): a GoogleTest executable
# whose tests are discovered into ctest at test time.
function(hub_test name)
  cmake_parse_arguments(ARG "POSTGRESQL;RUN_SERIAL" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE hub_build_settings ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # Tests find the source tree, the build tree and ../shared from these.
  target_compile_definitions(${name} PRIVATE HUB_SOURCE_DIR_DEFAULT="${PROJECT_SOURCE_DIR}"
                                             HUB_BINARY_DIR_DEFAULT="${PROJECT_BINARY_DIR}")
  set(props TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  if(ARG_POSTGRESQL)
    # Its tests use the suite's PostgreSQL cluster (tests/support/pg_cluster.sh).
    list(APPEND props FIXTURES_REQUIRED postgresql)
  endif()
  if(ARG_RUN_SERIAL)
    # Its tests stop the shared PostgreSQL server or load both cores: nothing beside them.
    list(APPEND props RUN_SERIAL TRUE)
  endif()
  if(HUB_SANITIZE)
    # UBSan reports and carries on by default: a test would pass with undefined
    # behaviour on its stderr. Halting makes every report a failure, in the
    # child processes (hub serve, simulators) the tests start as well.
    list(APPEND props ENVIRONMENT "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")
  endif()
  include(GoogleTest)
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ${props})
  # Tests that run the real `hub` binary need it built first.
  if(TARGET hub)
    add_dependencies(${name} hub)
  endif()
endfunction()
